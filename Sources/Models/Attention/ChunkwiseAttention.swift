import TensorCore

/// Monotonic chunkwise attention (MoChA, Chiu & Raffel 2018) over one output step.
///
/// Training uses the expected chunk weights (eq. 17), with chunks truncated at the memory start:
///
///     β_j = Σ_{k=j..j+w−1} α_k · exp(u_j) / Σ_{l=k−w+1..k} exp(u_l)
///
/// computed with E = exp(u − max u) (the shift cancels) in O(T·w). Test time takes a softmax of u over
/// the w frames ending at the hard stop. w = 1 gives back plain monotonic attention: β = α.
public enum ChunkwiseAttention {
    /// Scratch kept from `forward` for `backward`: E_j = exp(u_j − m) and D_k = Σ_{l=k−w+1..k} E_l.
    public struct Cache {
        /// exp(u − max u) on valid frames [time].
        public var expEnergy: [Float]
        /// Chunk denominators D [time].
        public var denominator: [Float]
        /// A cache for rows of `time` frames.
        public init(time: Int) {
            expEnergy = [Float](repeating: 0, count: time)
            denominator = [Float](repeating: 0, count: time)
        }
    }

    /// Expected chunk weights β [time] from α [time] and chunk energies u [time]; padding gets 0.
    public static func forward(
        alpha: UnsafePointer<Float>, energy u: UnsafePointer<Float>, time: Int, length: Int, width: Int,
        beta: UnsafeMutablePointer<Float>, cache: inout Cache
    ) {
        var maximum = -Float.infinity
        for j in 0..<length { maximum = max(maximum, u[j]) }
        cache.expEnergy.withUnsafeMutableBufferPointer { e in
            cache.denominator.withUnsafeMutableBufferPointer { d in
                for j in 0..<length { e[j] = SIMDMath.exp(u[j] - maximum) }
                for k in 0..<length {
                    // A direct sum (w is small) rather than a running one: no drift on long inputs.
                    var sum: Float = 0
                    for l in max(0, k - width + 1)...k { sum += e[l] }
                    d[k] = sum
                }
                for j in 0..<length {
                    var s: Float = 0
                    for k in j..<min(j + width, length) { s += alpha[k] / d[k] }
                    beta[j] = e[j] * s
                }
            }
        }
        for j in length..<time { beta[j] = 0 }
    }

    /// Backward of `forward`: from ∂L/∂β writes ∂L/∂α and ∂L/∂u (both [time], zero on padding).
    public static func backward(
        alpha: UnsafePointer<Float>, gradBeta: UnsafePointer<Float>, time: Int, length: Int, width: Int,
        cache: Cache, gradAlpha: UnsafeMutablePointer<Float>, gradEnergy: UnsafeMutablePointer<Float>
    ) {
        cache.expEnergy.withUnsafeBufferPointer { e in
            cache.denominator.withUnsafeBufferPointer { d in
                // gS_j = gβ_j E_j; g(α_k/D_k) = Σ_{j=k−w+1..k} gS_j.
                var gradExp = [Float](repeating: 0, count: max(length, 0))
                for k in 0..<length {
                    var gRatio: Float = 0
                    for j in max(0, k - width + 1)...k { gRatio += gradBeta[j] * e[j] }
                    gradAlpha[k] = gRatio / d[k]
                    let gD = -gRatio * alpha[k] / (d[k] * d[k])
                    for l in max(0, k - width + 1)...k { gradExp[l] += gD }
                }
                for j in 0..<length {
                    var s: Float = 0
                    for k in j..<min(j + width, length) { s += alpha[k] / d[k] }
                    gradExp[j] += gradBeta[j] * s
                    gradEnergy[j] = gradExp[j] * e[j]
                }
            }
        }
        for j in max(length, 0)..<time {
            gradAlpha[j] = 0
            gradEnergy[j] = 0
        }
    }

    /// Test-time chunk weights: softmax of u over frames max(0, t − w + 1)...t, written into
    /// `weights` [time] (zero elsewhere); all zeros when `stop` is nil (nothing attended).
    public static func hardWeights(
        energy u: UnsafePointer<Float>, time: Int, stop: Int?, width: Int, weights: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<time { weights[j] = 0 }
        guard let stop else { return }
        let start = max(0, stop - width + 1)
        var maximum = -Float.infinity
        for j in start...stop { maximum = max(maximum, u[j]) }
        var total: Float = 0
        for j in start...stop {
            weights[j] = SIMDMath.exp(u[j] - maximum)
            total += weights[j]
        }
        for j in start...stop { weights[j] /= total }
    }
}
