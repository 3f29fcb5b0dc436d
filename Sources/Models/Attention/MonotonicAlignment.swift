/// What becomes of alignment mass that scans past the last valid frame without stopping.
public enum RunOffRule: String, Codable, Sendable, CaseIterable {
    /// The mass is lost: the context is a zero vector, and in hard decoding the head is gone for every
    /// later step ([R17] Algorithm 1; what the plain training expectation implies).
    case zeros
    /// The mass parks on the last valid frame: equivalent to forcing p = 1 there (fairseq/MILk mass
    /// preservation); in hard decoding the head stays on frame T − 1.
    case stayOnLast
}

/// Expected monotonic alignment of Raffel et al. (2017) by the exact O(T) recurrence, eqs. 11–14.
///
/// For one output step with stopping probabilities p [T] and the previous alignment α_prev [T]:
///
///     q_0 = α_prev_0,   q_j = (1 − p_{j−1}) q_{j−1} + α_prev_j,   α_j = p_j q_j
///
/// which equals α_{i,j} = p_{i,j} Σ_{k≤j} α_{i−1,k} Π_{l=k..j−1} (1 − p_{i,l}). Frames j ≥ `length` are
/// padding: α_j = 0 there. No division, no normalisation: Σ_j α_j ≤ Σ_j α_prev_j.
public enum MonotonicAlignment {
    /// The one-hot alignment before the first output step, α₀ = [1, 0, …, 0], of `time` frames.
    public static func initial(time: Int) -> [Float] {
        var alpha = [Float](repeating: 0, count: time)
        if time > 0 { alpha[0] = 1 }
        return alpha
    }

    /// One output step forward. Buffers hold `time` entries; `alpha` and `q` are written in full
    /// (zero on padding). `q` is kept for `backward`.
    ///
    /// - Parameters: p [time], alphaPrevious [time], alpha [time] (out), q [time] (out);
    ///   `length` ≤ `time` valid frames.
    @inline(__always)
    public static func forward(
        p: UnsafePointer<Float>, alphaPrevious: UnsafePointer<Float>, time: Int, length: Int,
        runOff: RunOffRule, alpha: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>
    ) {
        var carry: Float = 0
        var current: Float = 0
        for j in 0..<length {
            current = carry * current + alphaPrevious[j]
            q[j] = current
            let pj = effectiveP(p, j, length, runOff)
            alpha[j] = pj * current
            carry = 1 - pj
        }
        for j in length..<time {
            q[j] = 0
            alpha[j] = 0
        }
    }

    /// One output step backward: from ∂L/∂α [time] and the stored q, writes ∂L/∂p and ∂L/∂α_prev.
    ///
    ///     gq_j = p_j gα_j + (1 − p_j) gq_{j+1},   gp_j = q_j (gα_j − gq_{j+1}),   gα_prev_j = gq_j
    ///
    /// With `.stayOnLast` the last valid frame has p = 1, so its gp is 0. Padding gets zeros.
    @inline(__always)
    public static func backward(
        p: UnsafePointer<Float>, q: UnsafePointer<Float>, gradAlpha: UnsafePointer<Float>,
        time: Int, length: Int, runOff: RunOffRule,
        gradP: UnsafeMutablePointer<Float>, gradAlphaPrevious: UnsafeMutablePointer<Float>
    ) {
        var gradNext: Float = 0
        var j = length - 1
        while j >= 0 {
            let pj = effectiveP(p, j, length, runOff)
            let gq = pj * gradAlpha[j] + (1 - pj) * gradNext
            gradP[j] = (runOff == .stayOnLast && j == length - 1) ? 0 : q[j] * (gradAlpha[j] - gradNext)
            gradAlphaPrevious[j] = gq
            gradNext = gq
            j -= 1
        }
        for j in max(length, 0)..<time {
            gradP[j] = 0
            gradAlphaPrevious[j] = 0
        }
    }

    @inline(__always)
    private static func effectiveP(_ p: UnsafePointer<Float>, _ j: Int, _ length: Int, _ runOff: RunOffRule) -> Float {
        (runOff == .stayOnLast && j == length - 1) ? 1 : p[j]
    }

    /// Expected alignments of a whole utterance: row i of the result is α_{i+1} [T] computed from
    /// row i of `p` [U][T], starting from `alphaInitial` (default α₀ = δ₀).
    public static func expected(p: [[Float]], alphaInitial: [Float]? = nil, runOff: RunOffRule = .zeros) -> [[Float]] {
        guard let time = p.first?.count else { return [] }
        var previous = alphaInitial ?? initial(time: time)
        var q = [Float](repeating: 0, count: time)
        var rows: [[Float]] = []
        for row in p {
            precondition(row.count == time, "every row of p must have \(time) frames")
            var alpha = [Float](repeating: 0, count: time)
            forward(p: row, alphaPrevious: previous, time: time, length: time, runOff: runOff, alpha: &alpha, q: &q)
            rows.append(alpha)
            previous = alpha
        }
        return rows
    }
}
