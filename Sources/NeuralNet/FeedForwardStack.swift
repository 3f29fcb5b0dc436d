import Randomness
import TensorCore

/// Elementwise nonlinearity f of a hidden layer.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// tanh(a).
    case tanh
    /// max(a, 0).
    case relu
    /// 1 / (1 + e^−a).
    case sigmoid

    /// f(x) on `tape`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        switch self {
        case .tanh: tape.tanh(x)
        case .relu: tape.relu(x)
        case .sigmoid: tape.sigmoid(x)
        }
    }
}

/// A stack of hidden layers under a logit layer a_y = W_L h_{L−1} + b_L, trainable by any `TrainingRule`:
/// feed-forward layers h_l = f(W_l h_{l−1} + b_l) (l = 1..L−1, h_0 = x; inputs `[..., inputs]`), or
/// unidirectional LSTM layers h_l = LSTM_l(h_{l−1}) over `[batch, time, inputs]` (`recurrent` given).
/// Logits `[..., outputs]`.
///
/// Parameters: `<name>.layer<l>.{weight [n_l, n_{l−1}], bias [n_l]}` (feed-forward) or
/// `<name>.layer<l>.{weightIH [4n_l, n_{l−1}], weightHH [4n_l, n_l], bias [4n_l]}` (LSTM) for l = 1..L−1,
/// and `<name>.output.{weight, bias}`. The fixed feedback matrices B_l (`feedback[l−1]`, [n_l, n_y] for
/// DFA and LAFS; for FA shaped like the transposed input weights of layer l + 1: [n_l, n_{l+1}], or
/// [n_l, 4n_{l+1}] into an LSTM layer, and [n_l, n_y] below the logit layer) are not parameters: they are
/// drawn from the `feedbackSeed` given at construction, so a model rebuilt with the same seed has the same ones.
///
/// LSTM layers under DFA or LAFS get δh_{l,t} = B_l e_t at every frame's output h_{l,t} (e_t the output
/// error of frame t, or under LAFS the layer's own readout error) and assign it within the layer by
/// `RecurrentCredit`: `.throughTime` is the hybrid construction (exact BPTT inside each layer, random
/// feedback between layers), `.instantaneous` the one-step one (reference §7.2, options 3 and 1).
/// LSTM layers under FA get δh_{l,t} = B_l δz_{l+1,t}, the gate errors of layer l + 1 at frame t through
/// B_l in place of W_ihᵀ (the top layer: B_l e_t), and assign it within the layer by the same `credit`.
public final class FeedForwardStack {
    /// Feed-forward hidden layers W_1..W_{L−1}; empty for an LSTM stack.
    public let hidden: [Linear]
    /// LSTM hidden layers 1..L−1; empty for a feed-forward stack.
    public let recurrent: [LSTMWeights]
    /// How LSTM layers assign their error across time under the rules other than backprop (backprop
    /// always runs full BPTT); nil for a feed-forward stack.
    public let credit: RecurrentCredit?
    /// The logit layer W_L.
    public let output: Linear
    /// f of the feed-forward layers.
    public let activation: Activation
    /// B_1..B_{L−1} for `rule`; empty for backprop.
    public let feedback: [Tensor]
    /// The rule the feedback matrices were drawn for.
    public let rule: TrainingRule

    /// Registers the layers (feed-forward weights uniform ±1/√inputs, biases 0; LSTM weights as
    /// `LSTMWeights` with forget bias 1) and draws the feedback matrices for `rule` with `options` from a
    /// generator seeded by `feedbackSeed`. With `recurrent` the hidden layers are LSTMs assigning credit
    /// across time that way under the rules other than backprop.
    public init(_ registry: ParameterRegistry, name: String, inputs: Int, hiddenSizes: [Int], outputs: Int,
                activation: Activation, recurrent: RecurrentCredit? = nil, rule: TrainingRule,
                feedback options: FeedbackOptions, feedbackSeed: UInt64, rng: inout Xoshiro256StarStar) throws(ParameterError) {
        var layers: [Linear] = []
        var cells: [LSTMWeights] = []
        var width = inputs
        for (l, size) in hiddenSizes.enumerated() {
            if recurrent != nil {
                cells.append(try LSTMWeights(registry, name: "\(name).layer\(l + 1)", inputs: width, hidden: size, forgetBias: 1,
                                             rng: &rng))
            } else {
                layers.append(try Linear(registry, name: "\(name).layer\(l + 1)", inputs: width, outputs: size, rng: &rng))
            }
            width = size
        }
        hidden = layers
        self.recurrent = cells
        credit = recurrent
        output = try Linear(registry, name: "\(name).output", inputs: width, outputs: outputs, rng: &rng)
        self.activation = activation
        self.rule = rule
        var draw = Xoshiro256StarStar(seed: feedbackSeed)
        feedback = rule == .backprop ? [] : hiddenSizes.enumerated().map { l, size in
            let target = rule == .feedbackAlignment && l + 1 < hiddenSizes.count
                ? hiddenSizes[l + 1] * (recurrent == nil ? 1 : 4) : outputs
            return options.draw(rows: size, columns: target, rng: &draw)
        }
    }

    /// Hidden layers L − 1.
    public var depth: Int { max(hidden.count, recurrent.count) }

    /// The weight matrices of each hidden layer whose update the alignment angle compares: [W_l] of a
    /// feed-forward layer, [W_ih, W_hh] of an LSTM layer.
    public var hiddenWeights: [[Parameter]] {
        hidden.isEmpty ? recurrent.map { [$0.weightIH, $0.weightHH] } : hidden.map { [$0.weight] }
    }

    /// Widths of the logit layer's output.
    public var outputs: Int { output.weight.shape[0] }

    /// The forward pass of `x` (`[..., inputs]`; `[batch, time, inputs]` for LSTM layers, with each
    /// sequence's `lengths`, nil for all full) on `tape`, wired so that `backward(_:of:on:)` trains by
    /// `rule` (the stack's own or backprop, e.g. to measure the true gradient). LAFS needs `targets`
    /// (label sequences as `crossEntropy` takes them, with `options`) for each layer's readout loss.
    public func forward(_ x: Variable, on tape: Tape, rule: TrainingRule? = nil, targets: [[Int]]? = nil,
                        options: CrossEntropyOptions = .init(), lengths: [Int]? = nil) -> FeedbackPass {
        let rule = rule ?? self.rule
        precondition(rule == .backprop || rule == self.rule, "a stack drawn for \(self.rule) cannot train by \(rule)")
        let taps = (0...depth).map { _ in ErrorTap() }
        let readoutTaps = rule == .lafs ? (0..<depth).map { _ in ErrorTap() } : []
        var readoutLosses: [Variable] = []
        var h = x
        for l in 0..<depth {
            if recurrent.isEmpty {
                var a = hidden[l](h, on: tape)
                if rule == .feedbackAlignment && l > 0 { a = tape.tap(a, into: taps[l]) }
                h = activation(a, on: tape)
            } else {
                let below = rule == .feedbackAlignment && l > 0 ? feedback[l - 1] : nil
                h = recurrent[l].run(h, lengths: lengths, initialState: nil, reverse: false, on: tape,
                                     credit: rule == .backprop ? .throughTime : credit ?? .throughTime, inputFeedback: below).output
            }
            if rule == .lafs, let targets {
                let readout = tape.tap(tape.matmul(h, tape.constant(feedback[l])), into: readoutTaps[l])
                readoutLosses.append(tape.crossEntropy(readout, targets: targets, options: options))
            }
            switch rule {
            case .backprop: break
            case .feedbackAlignment where !recurrent.isEmpty:
                // Layer l + 1's LSTM op sends its gate errors through B_l itself; the top layer takes B_l e.
                if l == depth - 1 { h = tape.feedbackGate(h, feedback: feedback[l], from: taps[depth]) }
            case .feedbackAlignment: h = tape.feedbackGate(h, feedback: feedback[l], from: taps[l + 1])
            case .dfa: h = tape.feedbackGate(h, feedback: feedback[l], from: taps[depth])
            case .lafs: h = tape.feedbackGate(h, feedback: nil, from: nil)
            }
        }
        var logits = output(h, on: tape)
        if rule != .backprop { logits = tape.tap(logits, into: taps[depth]) }
        return FeedbackPass(logits: logits, readoutLosses: readoutLosses, outputTap: rule == .backprop ? nil : taps[depth],
                            readoutTaps: readoutTaps)
    }

    /// Runs the backward pass of `loss` (computed from `pass.logits`): the rule the pass was wired for;
    /// under LAFS each layer's readout loss is added so that it alone trains that layer.
    public func backward(_ loss: Variable, of pass: FeedbackPass, on tape: Tape) {
        let root = pass.readoutLosses.reduce(loss) { tape.add($0, $1) }
        tape.backward(root)
    }
}

/// What one forward pass of a `FeedForwardStack` leaves for its backward pass.
public struct FeedbackPass {
    /// The logits a_y.
    public let logits: Variable
    /// LAFS: each hidden layer's readout loss J_l; empty for the other rules.
    public let readoutLosses: [Variable]
    let outputTap: ErrorTap?
    let readoutTaps: [ErrorTap]

    /// LAFS, after the backward pass: the angle in degrees between each hidden layer's readout error
    /// e_l = ∂J_l/∂(B_lᵀ h_l) and the output error e = ∂J/∂a_y over the whole batch; empty for the other rules.
    public var readoutErrorAngles: [Double] {
        guard let e = outputTap?.gradient else { return [] }
        return readoutTaps.compactMap { $0.gradient.map { alignmentAngle($0, e) } }
    }
}

/// Holds the gradient that reached a tapped variable during the backward pass.
public final class ErrorTap {
    /// The gradient, once the backward pass has reached the tap; nil before.
    public internal(set) var gradient: Tensor?

    /// An empty tap.
    public init() {}
}

extension Tape {
    /// Identity forward; backward passes the gradient through and keeps a copy in `box`.
    public func tap(_ x: Variable, into box: ErrorTap) -> Variable {
        record(inputs: [x], output: x.value) { ctx in
            guard let g = ctx.outputGradient() else { return }
            box.gradient = g
            ctx.accumulate(0, g)
        }
    }

    /// Identity forward; backward drops the gradient from above and sends instead δh = δ · Bᵀ, with δ
    /// [rows, m] the gradient kept by `source` and `feedback` B [n, m] (nothing when either is nil).
    public func feedbackGate(_ h: Variable, feedback: Tensor?, from source: ErrorTap?) -> Variable {
        record(inputs: [h], output: h.value) { ctx in
            guard let feedback, let error = source?.gradient else { return }
            let m = feedback.shape[1]
            var signal = Tensor.zeros([error.count / m, feedback.shape[0]])
            BLAS.matmul(error.reshaped([error.count / m, m]), .none, feedback, .transposed, into: &signal)
            ctx.accumulate(0, signal)
        }
    }
}
