import NeuralNet

/// CTC prefix scores of a growing label prefix, frame-synchronous (Watanabe et al. 2017, "Hybrid
/// CTC/Attention", Algorithm 2, with the sums truncated at a horizon j so they need only states 0…j).
///
/// For prefix g, γⁿ_t(g) and γᵇ_t(g) are the probabilities that frames 0…t collapse to g with the
/// last frame on g's last label or on a blank. For g = h + c, with y the CTC posteriors and
/// Φ_{t−1} = γᵇ_{t−1}(h) + (c = last(h) ? 0 : γⁿ_{t−1}(h)) (Φ_{−1} = 1 for the empty h, else 0):
///
///   γⁿ_t(g) = (γⁿ_{t−1}(g) + Φ_{t−1}) y_t(c),   γᵇ_t(g) = (γᵇ_{t−1}(g) + γⁿ_{t−1}(g)) y_t(∅),
///   prefix score ψ_j(g) = Σ_{t ≤ j} Φ_{t−1} y_t(c),   end score of h at j: γⁿ_j(h) + γᵇ_j(h).
///
/// With j the last state, ψ is the probability of every labelling starting with g and the end score
/// the labelling's CTC probability. All values are natural logs.
public final class CTCPrefix {
    /// The prefix's labels.
    public let labels: [Int]
    private let parent: CTCPrefix?
    /// log γⁿ_t, log γᵇ_t for t = 0..<computed.
    private var nonBlank: [Double] = []
    private var blank: [Double] = []

    /// The empty prefix.
    public init() {
        labels = []
        parent = nil
    }

    private init(parent: CTCPrefix, label: Int) {
        labels = parent.labels + [label]
        self.parent = parent
    }

    /// The prefix extended by `label`.
    public func appending(_ label: Int) -> CTCPrefix { CTCPrefix(parent: self, label: label) }

    /// log Φ_{t−1}(h, c) of extending this prefix h by c.
    private func phi(_ t: Int, label c: Int) -> Double {
        if t == 0 { return labels.isEmpty ? 0 : -.infinity }
        return labels.last == c ? blank[t - 1] : CTC.logAdd(blank[t - 1], nonBlank[t - 1])
    }

    /// Computes γ up to state `horizon` from posteriors `y` [≥ horizon + 1, V] (row-major).
    private func extend(through horizon: Int, _ y: CTCPosteriors) {
        guard nonBlank.count <= horizon else { return }
        parent?.extend(through: horizon, y)
        for t in nonBlank.count...horizon {
            let emptyBlank = t == 0 ? 0 : blank[t - 1]
            if let parent, let c = labels.last {
                let previousN = t == 0 ? -Double.infinity : nonBlank[t - 1]
                nonBlank.append(CTC.logAdd(previousN, parent.phi(t, label: c)) + y[t, c])
                blank.append(t == 0 ? -.infinity : CTC.logAdd(blank[t - 1], previousN) + y[t, y.blank])
            } else {
                nonBlank.append(-.infinity)
                blank.append(emptyBlank + y[t, y.blank])
            }
        }
    }

    /// log ψ_j(self + c) for every class c (the blank's entry is −∞), j = `horizon`.
    public func extensionScores(through horizon: Int, _ y: CTCPosteriors) -> [Double] {
        if horizon > 0 { extend(through: horizon - 1, y) }
        var scores = [Double](repeating: -.infinity, count: y.classes)
        for c in 0..<y.classes where c != y.blank {
            var total = -Double.infinity
            for t in 0...horizon { total = CTC.logAdd(total, phi(t, label: c) + y[t, c]) }
            scores[c] = total
        }
        return scores
    }

    /// log(γⁿ_j + γᵇ_j): the probability that states 0…j collapse to exactly this prefix, j = `horizon`.
    public func endScore(through horizon: Int, _ y: CTCPosteriors) -> Double {
        extend(through: horizon, y)
        return CTC.logAdd(nonBlank[horizon], blank[horizon])
    }
}

/// CTC log posteriors of the encoder states so far [count, V] (row-major), growing as states arrive.
public struct CTCPosteriors: Sendable {
    /// Classes V (phones + blank).
    public let classes: Int
    /// The blank class.
    public let blank: Int
    /// log y [count, V].
    public private(set) var values: [Double] = []

    /// No states yet.
    public init(classes: Int, blank: Int) {
        self.classes = classes
        self.blank = blank
    }

    /// States so far.
    public var count: Int { values.count / classes }

    /// Appends log posteriors [n, V] (row-major).
    public mutating func append(_ logProbabilities: [Float]) { values += logProbabilities.map(Double.init) }

    /// log y_t(c).
    @inline(__always)
    public subscript(t: Int, c: Int) -> Double { values[t * classes + c] }
}
