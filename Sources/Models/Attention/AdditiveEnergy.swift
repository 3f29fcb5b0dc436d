import TensorCore

/// The additive (Bahdanau) energy of one decoder query against one memory frame, and its backward.
///
///     a_j = vᵀ tanh(q + k_j),   q = W s + b [d],   k_j = V h_j [d]
///
/// The attention mechanisms scale and shift a_j: softmax attention uses e = a (eq. 15), monotonic
/// attention e = g·a/‖v‖ + r (eq. 16). The tanh values are kept for the backward pass.
public enum AdditiveEnergy {
    /// a = vᵀ tanh(query + key); writes tanh(query + key) into `hidden` when it is not nil.
    /// Buffers hold `dim` entries.
    @inline(__always)
    public static func forward(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, v: UnsafePointer<Float>, dim: Int,
        hidden: UnsafeMutablePointer<Float>?
    ) -> Float {
        var accumulator = SIMD16<Float>()
        var k = 0
        while k + 16 <= dim {
            let t = SIMDMath.tanh(SIMDMath.load(query + k) + SIMDMath.load(key + k))
            if let hidden { SIMDMath.store(t, hidden + k) }
            accumulator += t * SIMDMath.load(v + k)
            k += 16
        }
        var total = accumulator.sum()
        while k < dim {
            let t = SIMDMath.tanh(query[k] + key[k])
            hidden?[k] = t
            total += t * v[k]
            k += 1
        }
        return total
    }

    /// Backward of `forward` for a gradient ∂L/∂a = `grad`: accumulates grad·v⊙(1 − t²) into
    /// `gradQuery` and `gradKey`, and grad·t into `gradV`.
    @inline(__always)
    public static func backward(
        grad: Float, hidden: UnsafePointer<Float>, v: UnsafePointer<Float>, dim: Int,
        gradQuery: UnsafeMutablePointer<Float>, gradKey: UnsafeMutablePointer<Float>,
        gradV: UnsafeMutablePointer<Float>
    ) {
        let g = SIMD16<Float>(repeating: grad)
        var k = 0
        while k + 16 <= dim {
            let t = SIMDMath.load(hidden + k)
            let gz = g * SIMDMath.load(v + k) * (1 - t * t)
            SIMDMath.store(SIMDMath.load(gradQuery + k) + gz, gradQuery + k)
            SIMDMath.store(SIMDMath.load(gradKey + k) + gz, gradKey + k)
            SIMDMath.store(SIMDMath.load(gradV + k) + g * t, gradV + k)
            k += 16
        }
        while k < dim {
            let t = hidden[k]
            let gz = grad * v[k] * (1 - t * t)
            gradQuery[k] += gz
            gradKey[k] += gz
            gradV[k] += grad * t
            k += 1
        }
    }
}
