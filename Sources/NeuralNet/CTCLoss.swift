import Randomness
import TensorCore

/// Options of the CTC loss.
public struct CTCOptions: Codable, Sendable, Equatable {
    /// The blank's class index in 0..<classes. Default 0.
    public var blank: Int = 0
    /// Divisor of the summed −log p: labels in the batch (`.tokens`, default), sequences, or none.
    public var normalization: CrossEntropyOptions.Normalization = .tokens

    /// Options with the documented defaults unless given.
    public init(blank: Int = 0, normalization: CrossEntropyOptions.Normalization = .tokens) {
        self.blank = blank
        self.normalization = normalization
    }
}

/// A CTC target that cannot be aligned to its frames (every path would have probability 0).
public struct CTCError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The utterance.
    public let utterance: String
    /// Its labels U.
    public let labels: Int
    /// Frames its labels need: U plus one blank between equal neighbours.
    public let required: Int
    /// Frames it has (after any subsampling).
    public let frames: Int

    /// The error for `utterance`, whose `labels` labels need `required` frames but have `frames`.
    public init(utterance: String, labels: Int, required: Int, frames: Int) {
        self.utterance = utterance
        self.labels = labels
        self.required = required
        self.frames = frames
    }

    /// One line naming the utterance and the counts.
    public var description: String {
        "utterance \(utterance): \(labels) labels need at least \(required) frames for CTC "
            + "(one per label, a blank between repeats) but the input gives \(frames) (after subsampling)"
    }
}

/// Connectionist temporal classification (Graves et al. 2006) of one sequence, in float64: the
/// labelling's log probability summed over every alignment, by forward-backward over the
/// blank-extended labels l' = (∅, l₁, ∅, l₂, …, l_U, ∅) of length S = 2U + 1, in log space.
public enum CTC {
    /// Frames a labelling needs: U plus one per pair of equal neighbours (the blank between them).
    public static func requiredFrames(_ labels: [Int]) -> Int {
        labels.count + zip(labels, labels.dropFirst()).filter { $0 == $1 }.count
    }

    /// Throws `CTCError` naming `utterance` when `labels` cannot fit `frames` frames.
    public static func check(utterance: String, labels: [Int], frames: Int) throws(CTCError) {
        let required = requiredFrames(labels)
        if required > frames || frames == 0 {
            throw CTCError(utterance: utterance, labels: labels.count, required: max(required, 1), frames: frames)
        }
    }

    /// log(eᵃ + eᵇ), exact for −∞ operands.
    @inlinable
    public static func logAdd(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + LibM.log1p(LibM.exp(b - a)) : b + LibM.log1p(LibM.exp(a - b))
    }

    /// Log-softmax of each row of `logits` [frames, classes].
    public static func logSoftmax(_ logits: [Double], frames: Int, classes: Int) -> [Double] {
        var out = logits
        for t in 0..<frames {
            let row = (t * classes)..<((t + 1) * classes)
            let maximum = logits[row].max() ?? 0
            var total = 0.0
            for i in row { total += LibM.exp(logits[i] - maximum) }
            let shift = maximum + LibM.log(total)
            for i in row { out[i] = logits[i] - shift }
        }
        return out
    }

    /// −log p(labels | z) for logits z [frames, classes] (row-major, softmax over classes per frame),
    /// and, with `gradient`, ∂/∂z_tk = y_tk − (1/p) Σ_{s: l'_s = k} α_t(s) β_t(s) / y_tk, where y = softmax(z),
    /// α_t(s) is the probability of the alignments of l'_1…l'_s to frames 0…t and β_t(s) that of l'_s…l'_S
    /// to frames t…T−1 (both including y_t l'_s). +∞ with a zero gradient when the labels cannot fit.
    public static func negativeLogLikelihood(logits: [Double], frames T: Int, classes V: Int, labels: [Int], blank: Int,
                                             gradient: Bool = true) -> (loss: Double, gradient: [Double]) {
        precondition(logits.count == T * V, "CTC logits of \(logits.count) values are not [\(T), \(V)]")
        let lp = logSoftmax(logits, frames: T, classes: V)
        let S = 2 * labels.count + 1
        let ext = (0..<S).map { $0 % 2 == 0 ? blank : labels[$0 / 2] }
        guard T > 0, requiredFrames(labels) <= T else {
            return (.infinity, [Double](repeating: 0, count: T * V))
        }
        // The transition s−2 → s is allowed into a label that differs from the label before the blank.
        let skip = (0..<S).map { s in s >= 2 && ext[s] != blank && ext[s] != ext[s - 2] }
        var alpha = [Double](repeating: -.infinity, count: T * S)
        alpha[0] = lp[blank]
        if S > 1 { alpha[1] = lp[ext[1]] }
        for t in 1..<max(T, 1) {
            for s in 0..<S {
                var a = alpha[(t - 1) * S + s]
                if s >= 1 { a = logAdd(a, alpha[(t - 1) * S + s - 1]) }
                if skip[s] { a = logAdd(a, alpha[(t - 1) * S + s - 2]) }
                alpha[t * S + s] = a == -.infinity ? a : a + lp[t * V + ext[s]]
            }
        }
        let logP = logAdd(alpha[(T - 1) * S + S - 1], S > 1 ? alpha[(T - 1) * S + S - 2] : -.infinity)
        guard gradient else { return (-logP, []) }

        var beta = [Double](repeating: -.infinity, count: T * S)
        beta[(T - 1) * S + S - 1] = lp[(T - 1) * V + ext[S - 1]]
        if S > 1 { beta[(T - 1) * S + S - 2] = lp[(T - 1) * V + ext[S - 2]] }
        for t in stride(from: T - 2, through: 0, by: -1) {
            for s in 0..<S {
                var b = beta[(t + 1) * S + s]
                if s + 1 < S { b = logAdd(b, beta[(t + 1) * S + s + 1]) }
                if s + 2 < S && skip[s + 2] { b = logAdd(b, beta[(t + 1) * S + s + 2]) }
                beta[t * S + s] = b == -.infinity ? b : b + lp[t * V + ext[s]]
            }
        }
        var grad = [Double](repeating: 0, count: T * V)
        var occupancy = [Double](repeating: -.infinity, count: V)
        for t in 0..<T {
            for k in 0..<V { occupancy[k] = -.infinity }
            for s in 0..<S { occupancy[ext[s]] = logAdd(occupancy[ext[s]], alpha[t * S + s] + beta[t * S + s]) }
            for k in 0..<V {
                let y = lp[t * V + k]
                let posterior = occupancy[k] == -.infinity ? 0 : LibM.exp(occupancy[k] - y - logP)
                grad[t * V + k] = LibM.exp(y) - posterior
            }
        }
        return (-logP, grad)
    }
}

extension Tape {
    /// CTC loss of `logits` [batch, time, classes] (softmax over classes; sequence b uses frames
    /// 0..<lengths[b]) against `targets` (labels in 0..<classes, never the blank):
    /// Σ_b −log p(targets[b] | logits[b]) / divisor. Result []. Sequences run in parallel on the
    /// compute threads, each in float64 (`CTC.negativeLogLikelihood`); the gradient is exact.
    ///
    /// Throws `CTCError` naming `utterances[b]` when a target needs more frames than it has.
    public func ctcLoss(_ logits: Variable, lengths: [Int], targets: [[Int]], utterances: [String],
                        options: CTCOptions = .init()) throws(CTCError) -> Variable {
        precondition(logits.shape.count == 3 && logits.shape[0] == targets.count && lengths.count == targets.count
                         && utterances.count == targets.count,
                     "ctcLoss of logits \(logits.shape) with \(targets.count) targets and \(lengths.count) lengths")
        let (B, T, V) = (logits.shape[0], logits.shape[1], logits.shape[2])
        for b in 0..<B {
            precondition(lengths[b] <= T, "sequence \(b): length \(lengths[b]) beyond \(T) frames")
            precondition(targets[b].allSatisfy { $0 >= 0 && $0 < V && $0 != options.blank },
                         "utterance \(utterances[b]): a label outside 0..<\(V) or the blank \(options.blank)")
            try CTC.check(utterance: utterances[b], labels: targets[b], frames: lengths[b])
        }
        var losses = [Double](repeating: 0, count: B)
        var gradient = Tensor.zeros([B, T, V])
        let blank = options.blank
        logits.value.withUnsafeBufferPointer { z in
            gradient.withUnsafeMutableBufferPointer { g in
                losses.withUnsafeMutableBufferPointer { l in
                    ComputeThreads.parallelFor(B) { b in
                        let n = lengths[b] * V
                        let row = Array(UnsafeBufferPointer(start: z.baseAddress! + b * T * V, count: n)).map(Double.init)
                        let result = CTC.negativeLogLikelihood(logits: row, frames: lengths[b], classes: V, labels: targets[b],
                                                               blank: blank, gradient: true)
                        l[b] = result.loss
                        for i in 0..<n { g[b * T * V + i] = Float(result.gradient[i]) }
                    }
                }
            }
        }
        let divisor: Double
        switch options.normalization {
        case .tokens: divisor = Double(Swift.max(targets.reduce(0) { $0 + $1.count }, 1))
        case .sequences: divisor = Double(Swift.max(B, 1))
        case .none: divisor = 1
        }
        let saved = gradient
        return record(inputs: [logits], output: Tensor(scalar: Float(losses.reduce(0, +) / divisor))) { ctx in
            guard let g = ctx.outputGradient() else { return }
            let scale = Float(Double(g.scalar) / divisor)
            saved.withUnsafeBufferPointer { s in
                ctx.withGradient(0) { d in
                    for i in 0..<d.count { d[i] += scale * s[i] }
                }
            }
        }
    }
}
