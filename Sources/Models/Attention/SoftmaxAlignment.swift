import TensorCore

/// Softmax attention weights over the valid frames of one output step (Bahdanau et al.):
/// α_j = exp(e_j − m) / Σ_{l<length} exp(e_l − m), m = max e; α_j = 0 on padding.
public enum SoftmaxAlignment {
    /// Writes α [time] from energies e [time].
    public static func forward(energy e: UnsafePointer<Float>, time: Int, length: Int, alpha: UnsafeMutablePointer<Float>) {
        var maximum = -Float.infinity
        for j in 0..<length { maximum = max(maximum, e[j]) }
        var total: Float = 0
        for j in 0..<length {
            alpha[j] = SIMDMath.exp(e[j] - maximum)
            total += alpha[j]
        }
        let scale = 1 / total
        for j in 0..<length { alpha[j] *= scale }
        for j in length..<time { alpha[j] = 0 }
    }

    /// Backward: ∂L/∂e_j = α_j (gα_j − Σ_l α_l gα_l); zero on padding.
    public static func backward(
        alpha: UnsafePointer<Float>, gradAlpha: UnsafePointer<Float>, time: Int, length: Int,
        gradEnergy: UnsafeMutablePointer<Float>
    ) {
        var dot: Float = 0
        for j in 0..<length { dot += alpha[j] * gradAlpha[j] }
        for j in 0..<length { gradEnergy[j] = alpha[j] * (gradAlpha[j] - dot) }
        for j in length..<time { gradEnergy[j] = 0 }
    }
}
