import NeuralNet
import Randomness
import TensorCore

/// DFA for the attention encoder-decoder: the hybrid construction of the DFA reference's §7.3.
///
/// Blocks: each encoder layer k (its LSTM directions), the decoder block (embedding, decoder LSTM and the
/// mechanism's energies: one op producing o_u = [s_u; c_u]) and the output layer a_u = W o_u + b. With
/// e_u = ∂J/∂a_u the output error of step u:
/// - the output layer gets its true gradient;
/// - the decoder block gets δo_u = B_dec e_u at its output (after the decoder's dropout) and inside it exact
///   gradients: BPTT through its LSTM and through the attention (energies, the monotonic recurrence), to the
///   embedding; it sends nothing to the encoder;
/// - encoder layer k gets, at each of its output frames j that becomes encoder state j' = j / s_k
///   (s_k = 2^(subsampling steps after layer k); frames dropped later get nothing),
///   δh_{k,j} = Σ_u α_{u,j'} B_k e_u (each step's error routed to the states it attended, α the expected
///   weights the context used: β for MoChA), at the input of layer k + 1 after dropout (the top layer: the
///   memory), and inside the layer exact BPTT; it sends nothing to the layer below.
public struct AttentionFeedback {
    /// B_dec [S + M, labels + 1].
    public let decoder: Tensor
    /// B_k [M, labels + 1] for encoder layer k = 0..<layers (M the encoder's output width).
    public let encoder: [Tensor]

    /// The matrices of `config`, drawn in order B_0 … B_{K−1}, B_dec from `config.feedback.seed` with its
    /// distribution and scale (0: 1/√width of the receiving block's output).
    init(config: AttentionModelConfig) {
        var rng = Xoshiro256StarStar(seed: config.feedback.seed ^ 0xFEED_BAC4_A77E_0001)
        let outputs = config.decoder.outputCount, memory = config.encoder.outputSize
        encoder = (0..<config.encoder.layers).map { _ in config.feedback.draw(rows: memory, columns: outputs, rng: &rng) }
        decoder = config.feedback.draw(rows: config.decoder.hiddenSize + memory, columns: outputs, rng: &rng)
    }
}

/// What the encoder's feedback gates read once the forward pass is done: the output error (through its tap)
/// and the expected attention weights α [U, B, T'] of the decoder's forward pass.
final class AttendedError {
    /// The tap on the logits [B, U, labels + 1].
    let output = ErrorTap()
    /// α [U, B, T'] (set by the decoder's forward pass).
    var weights: Tensor?
}

extension Tape {
    /// Identity forward on h [B, T_k, n]; backward drops the gradient from above and sends instead
    /// δh_{b,j} = Σ_u α_{u,b,j/s} (e_{b,u} Bᵀ) at frames j with j mod s = 0 and j/s < T' (0 elsewhere), with
    /// e [B, U, m] the output error and α [U, B, T'] the attention weights held by `source`, B [n, m].
    func attendedFeedbackGate(_ h: Variable, feedback: Tensor, stride s: Int, from source: AttendedError) -> Variable {
        record(inputs: [h], output: h.value) { ctx in
            guard let error = source.output.gradient, let alpha = source.weights else { return }
            let (batch, frames, n) = (h.shape[0], h.shape[1], h.shape[2])
            let (steps, states) = (alpha.shape[0], alpha.shape[2])
            let m = feedback.shape[1]
            precondition(error.shape == [batch, steps, m] && feedback.shape[0] == n && alpha.shape[1] == batch,
                         "attended feedback: error \(error.shape), weights \(alpha.shape), B \(feedback.shape), h \(h.shape)")
            var projected = Tensor.zeros([batch * steps, n])   // e_{b,u} Bᵀ
            BLAS.matmul(error.reshaped([batch * steps, m]), .none, feedback, .transposed, into: &projected)
            var signal = Tensor.zeros([batch, frames, n])
            projected.withUnsafeBufferPointer { p in
                alpha.withUnsafeBufferPointer { a in
                    signal.withUnsafeMutableBufferPointer { out in
                        for b in 0..<batch {
                            for j in stride(from: 0, to: frames, by: s) where j / s < states {
                                let row = out.baseAddress! + (b * frames + j) * n
                                for u in 0..<steps {
                                    let weight = a[(u * batch + b) * states + j / s]
                                    guard weight != 0 else { continue }
                                    let source = p.baseAddress! + (b * steps + u) * n
                                    for i in 0..<n { row[i] += weight * source[i] }
                                }
                            }
                        }
                    }
                }
            }
            ctx.accumulate(0, signal)
        }
    }
}
