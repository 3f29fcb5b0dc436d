/// Vectorised transcendental functions over `Float` buffers, used by the attention kernels.
///
/// exp follows the classic range reduction x = n·ln2 + r with a degree-6 polynomial for e^r
/// (relative error ≈ 1.2e−7); tanh(x) = 2σ(2x) − 1 and σ(x) = 1 / (1 + e^−x) build on it.
enum VectorMath {
    /// e^x lane-wise, inputs clamped to [−87, 88] (so the result is finite and normal).
    @inline(__always)
    static func exp(_ input: SIMD16<Float>) -> SIMD16<Float> {
        var x = input
        x.replace(with: 88, where: x .> 88)
        x.replace(with: -87, where: x .< -87)
        let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var poly: SIMD16<Float> = SIMD16(repeating: 1.987_569_15e-4)
        poly = poly * r + 1.398_199_95e-3
        poly = poly * r + 8.333_451_9e-3
        poly = poly * r + 4.166_579_59e-2
        poly = poly * r + 1.666_666_55e-1
        poly = poly * r + 5.000_000_12e-1
        let y = poly * (r * r) + r + 1
        let exponent = (SIMD16<Int32>(n) &+ 127) &<< 23
        return y * unsafeBitCast(exponent, to: SIMD16<Float>.self)
    }

    /// tanh(x) = 2 / (1 + e^−2x) − 1, lane-wise.
    @inline(__always)
    static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        2 / (1 + exp(-2 * x)) - 1
    }

    /// e^x for one value through the vector path (so scalar and vector results agree bit for bit).
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        exp(SIMD16(repeating: x))[0]
    }

    /// σ(x) = 1 / (1 + e^−x) for one value.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// tanh(x) for one value through the vector path.
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        tanh(SIMD16(repeating: x))[0]
    }

    /// Natural logarithm of a positive value (libm, Foundation-free).
    static func log(_ x: Float) -> Float { Float(_logDouble(Double(x))) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _logDouble(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cosDouble(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _logDouble(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cosDouble(_ x: Double) -> Double { Darwin.cos(x) }
#endif
