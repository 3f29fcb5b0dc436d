import Foundation
import Randomness

/// A SplitMix64 stream (Steele, Lea and Flood 2014), so dither and masks are the same on every
/// run and every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var bits: SplitMix64

    /// A generator whose sequence depends only on `seed`.
    public init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    /// A generator for item `index` of a stream seeded with `seed` (e.g. frame t of an utterance).
    public init(seed: UInt64, index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        bits = SplitMix64(seed: mixer.next() &+ index &* 0xD1B5_4A32_D192_ED03)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { bits.next() }

    /// A uniform value in the open interval (0, 1).
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Two independent standard normal values (Box–Muller: √(−2 ln u₁)·(cos 2πu₂, sin 2πu₂)).
    public mutating func nextGaussianPair() -> (Float, Float) {
        let r = (-2 * log(nextOpenUnit())).squareRoot()
        let theta = 2 * Double.pi * nextOpenUnit()
        return (Float(r * cos(theta)), Float(r * sin(theta)))
    }
}
