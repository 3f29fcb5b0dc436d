import Foundation
import Options

/// Reads whole audio files (every format libsndfile reads, or headerless PCM).
public enum AudioReader {
    /// Reads `url` into memory: channels chosen by `options.channels` (default mono mix-down),
    /// resampled to `options.sampleRate` with libsamplerate only when that is set and differs.
    public static func read(_ url: URL, options: AudioReadOptions = .init()) throws(AudioError) -> Audio {
        try AudioError.validating(options.validate)
        let file = try SoundFile(reading: url, raw: options.raw)
        try options.channels.check(channels: file.channels, path: file.path)
        let interleaved = try file.readAll()
        var samples = options.channels.apply(interleaved, channels: file.channels)
        let channels = options.channels.outputChannels(from: file.channels)
        var rate = file.sampleRate
        if let target = options.sampleRate, target != rate {
            samples = try Resampler.resample(samples, channels: channels, from: rate, to: target,
                                             quality: options.resampleQuality)
            rate = target
        }
        return Audio(samples: samples, sampleRate: rate, channels: channels)
    }
}
