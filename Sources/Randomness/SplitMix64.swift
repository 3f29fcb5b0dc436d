/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit state advanced by the golden-ratio increment,
/// each output a mix of it: `z = s += 0x9E3779B97F4A7C15; z = (z ^ z>>30)·c1; z = (z ^ z>>27)·c2; z ^ z>>31`.
///
/// The one SplitMix64 of the package: it seeds `Xoshiro256StarStar` (training randomness) and is
/// itself the stream of feature dither and masks, of corpus synthesis and of test data. Its two
/// ways of deriving independent streams from one seed are kept apart by their labels.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The 64-bit state.
    public var state: UInt64

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// Stream `stream` of `seed` (corpus synthesis: one stream per item, whatever order items run in):
    /// seeded with the first output of `SplitMix64(seed: seed ^ stream·0xD1B54A32D192ED03)`.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: mixer.next())
    }

    /// Item `index` of the stream of `seed` (feature dither: frame t of an utterance): seeded with
    /// `SplitMix64(seed: seed ^ 0x9E3779B97F4A7C15).next() + index·0xD1B54A32D192ED03`.
    public init(seed: UInt64, index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        self.init(seed: mixer.next() &+ index &* 0xD1B5_4A32_D192_ED03)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
