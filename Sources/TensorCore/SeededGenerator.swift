import Randomness

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64), so runs repeat.
///
/// Used for initialisation, dropout masks and weight noise. Each consumer should own one
/// (or derive one with `split()`), so adding a consumer does not shift the others' streams.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The four 64-bit words of state (exposed so optimizer checkpoints can resume the stream).
    public private(set) var state: [UInt64]

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        state = (0..<4).map { _ in seeder.next() }
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A new generator seeded from this one's stream.
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }

    /// Uniform on `[0, 1)` with 24 random bits.
    public mutating func nextUnit() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform on `[low, high)`.
    public mutating func nextUniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextUnit() }

    /// Standard normal (Box–Muller on two uniforms).
    public mutating func nextNormal() -> Float {
        let u1 = Double((next() >> 11) + 1) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }
}

// Foundation-free libm access.
#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
