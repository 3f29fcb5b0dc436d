import Options
import TensorCore

/// Options of the sequence cross-entropy loss.
public struct CrossEntropyOptions: Codable, Sendable, Equatable {
    /// How the summed loss is divided.
    public enum Normalization: String, Codable, Sendable {
        /// By the number of labelled positions (default).
        case tokens
        /// By the number of sequences.
        case sequences
        /// Not at all.
        case none
    }

    /// Label smoothing ε in [0, 1): the target puts `1 - ε` on the label and `ε/V` on every class
    /// (default 0).
    public var labelSmoothing: Float = 0
    /// Divisor of the summed loss (default `.tokens`).
    public var normalization: Normalization = .tokens

    /// Options with the documented defaults unless given.
    public init(labelSmoothing: Float = 0, normalization: Normalization = .tokens) {
        self.labelSmoothing = labelSmoothing
        self.normalization = normalization
    }

    /// Checks every field's range.
    public func validate() throws(OptionError) {
        try require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", labelSmoothing, "[0, 1)")
    }
}

extension Tape {
    /// Cross-entropy of `logits` `[batch, length, classes]` against padded label sequences:
    /// `targets[b]` labels positions `0 ..< targets[b].count` (≤ length); later positions are
    /// padding and contribute nothing. Result `[]`.
    ///
    /// Per labelled position, with `p = softmax(logits)` and `q = (1-ε)·onehot(y) + ε/V`:
    /// `loss = -Σ_v q_v log p_v`; gradient `(p - q) / divisor`. Computed in one fused op
    /// (max-subtracted log-softmax, Float64 sums).
    public func crossEntropy(_ logits: Variable, targets: [[Int]], options: CrossEntropyOptions = .init()) -> Variable {
        precondition(logits.shape.count == 3 && logits.shape[0] == targets.count,
                     "crossEntropy of logits \(logits.shape) with \(targets.count) target sequences")
        let (B, L, V) = (logits.shape[0], logits.shape[1], logits.shape[2])
        let eps = Double(options.labelSmoothing)
        var logp = logits.value
        var total = 0.0
        var tokens = 0
        logp.withUnsafeMutableBufferPointer { p in
            Kernels.softmaxRows(p.baseAddress!, rows: B * L, n: V, logarithm: true)
            for (b, labels) in targets.enumerated() {
                precondition(labels.count <= L, "\(labels.count) labels for \(L) positions in sequence \(b)")
                for (t, y) in labels.enumerated() {
                    precondition(y >= 0 && y < V, "label \(y) outside 0..<\(V) at sequence \(b) position \(t)")
                    let row = p.baseAddress! + (b * L + t) * V
                    var sumLog = 0.0
                    for v in 0..<V { sumLog += Double(row[v]) }
                    total += -(1 - eps) * Double(row[y]) - eps / Double(V) * sumLog
                    tokens += 1
                }
            }
        }
        let divisor: Double
        switch options.normalization {
        case .tokens: divisor = Double(Swift.max(tokens, 1))
        case .sequences: divisor = Double(Swift.max(B, 1))
        case .none: divisor = 1
        }
        let saved = logp
        return record(inputs: [logits], output: Tensor(scalar: Float(total / divisor))) { ctx in
            guard let g = ctx.outputGradient() else { return }
            let scale = Float(Double(g.scalar) / divisor)
            let off = Float(eps / Double(V))
            saved.withUnsafeBufferPointer { lp in
                ctx.withGradient(0) { d in
                    for (b, labels) in targets.enumerated() {
                        for (t, y) in labels.enumerated() {
                            let base = (b * L + t) * V
                            for v in 0..<V { d[base + v] += scale * (SIMDMath.exp(lp[base + v]) - off) }
                            d[base + y] -= scale * Float(1 - eps)
                        }
                    }
                }
            }
        }
    }
}
