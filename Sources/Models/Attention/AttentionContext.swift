import TensorCore

/// The context vector of one output step: c = Σ_j α_j h_j over a memory h [time, dim].
public enum AttentionContext {
    /// Writes c [dim] = Σ_{j<length} α_j h_j.
    public static func forward(
        alpha: UnsafePointer<Float>, memory: UnsafePointer<Float>, length: Int, dim: Int,
        context: UnsafeMutablePointer<Float>
    ) {
        for k in 0..<dim { context[k] = 0 }
        for j in 0..<length {
            let a = alpha[j]
            if a == 0 { continue }
            Kernels.axpy(a, memory + j * dim, context, dim)
        }
    }

    /// Backward: writes ∂L/∂α_j = gcᵀ h_j (zero on padding, `time` entries) and accumulates
    /// α_j·gc into ∂L/∂h_j.
    public static func backward(
        alpha: UnsafePointer<Float>, memory: UnsafePointer<Float>, gradContext: UnsafePointer<Float>,
        time: Int, length: Int, dim: Int,
        gradAlpha: UnsafeMutablePointer<Float>, gradMemory: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<length {
            gradAlpha[j] = dot(gradContext, memory + j * dim, dim)
            let a = alpha[j]
            if a != 0 { Kernels.axpy(a, gradContext, gradMemory + j * dim, dim) }
        }
        for j in length..<time { gradAlpha[j] = 0 }
    }

    /// xᵀy over `count` entries.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
        var accumulator = SIMD16<Float>()
        var k = 0
        while k + 16 <= count {
            accumulator += SIMDMath.load(x + k) * SIMDMath.load(y + k)
            k += 16
        }
        var total = accumulator.sum()
        while k < count {
            total += x[k] * y[k]
            k += 1
        }
        return total
    }
}
