/// Decoded audio: Float32 samples in [-1, 1) with their rate and channel count.
///
/// Integer PCM is scaled by `1 / 2^(bits-1)` (16-bit: `int16 / 32768`), so multiplying by 32768 gives
/// back the integer values Kaldi works on. Layout: `[frames]` when mono, `[frames, channels]`
/// interleaved otherwise.
public struct Audio: Sendable, Equatable {
    /// Samples, `[frames]` (mono) or `[frames, channels]` interleaved.
    public var samples: [Float]
    /// Frames per second, in Hz.
    public var sampleRate: Int
    /// Number of interleaved channels (1 = mono).
    public var channels: Int

    /// Number of frames: `samples.count / channels`.
    public var frames: Int { channels > 0 ? samples.count / channels : 0 }
    /// Duration in seconds: `frames / sampleRate`.
    public var duration: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }

    /// Audio from interleaved `samples` (`[frames, channels]`) at `sampleRate` Hz.
    public init(samples: [Float], sampleRate: Int, channels: Int = 1) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.channels = channels
    }
}
