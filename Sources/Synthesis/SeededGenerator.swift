import Foundation
import Randomness

/// A deterministic random number generator (a SplitMix64 stream) so that a corpus is a function
/// of its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var bits: SplitMix64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        bits = SplitMix64(seed: seed)
    }

    /// A generator for one item of a larger job: the same `(seed, stream)` always gives the same sequence,
    /// whatever order the items are processed in.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        bits = SplitMix64(seed: mixer.next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { bits.next() }

    /// A uniform draw from `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }

    /// A standard normal draw (Box-Muller).
    public mutating func gaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
