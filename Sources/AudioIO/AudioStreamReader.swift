import Foundation
import Options

/// Reads an audio file block by block without loading it whole (for online decoding).
///
/// Each block is `[frames, channels]` after the channel selection of the options (mono by default),
/// resampled on the fly when `options.sampleRate` asks for another rate. Without resampling the
/// concatenated blocks equal `AudioReader.read` of the same file. Owns its file and closes it when released.
public final class AudioStreamReader {
    private let file: SoundFile
    private let selection: ChannelSelection
    private let resampler: Resampler?
    private var atEnd = false
    /// Rate of the blocks returned, in Hz.
    public let sampleRate: Int
    /// Channels of the blocks returned.
    public let channels: Int
    /// Frames the file's header announces, at the file's own rate (for FLAC and Ogg only a claim: the
    /// blocks go on until the data ends).
    public let fileFrames: Int
    /// Rate of the file, in Hz.
    public let fileSampleRate: Int

    /// Opens `url`; errors as for `AudioReader.read`.
    public init(_ url: URL, options: AudioReadOptions = .init()) throws(AudioError) {
        try AudioError.validating(options.validate)
        let opened = try SoundFile(reading: url, raw: options.raw)
        try options.channels.check(channels: opened.channels, path: opened.path)
        selection = options.channels
        channels = options.channels.outputChannels(from: opened.channels)
        fileFrames = opened.frames
        fileSampleRate = opened.sampleRate
        if let target = options.sampleRate, target != opened.sampleRate {
            resampler = try Resampler(channels: channels, from: opened.sampleRate, to: target,
                                      quality: options.resampleQuality)
            sampleRate = target
        } else {
            resampler = nil
            sampleRate = opened.sampleRate
        }
        file = opened
    }

    /// The next block of at most `frames` file frames, `[n, channels]`, or nil after the last one.
    /// With resampling a block holds about `frames * sampleRate / fileSampleRate` frames (the last
    /// one also the filter's tail) and may be empty before the end.
    public func next(frames: Int) throws(AudioError) -> [Float]? {
        guard frames > 0 else { throw .invalidOption(field: "frames", message: "\(frames) is not >= 1") }
        if atEnd { return nil }
        let block = selection.apply(try file.read(maxFrames: frames), channels: file.channels)
        let isLast = block.count < frames * channels
        if isLast { atEnd = true }
        if let resampler {
            return try resampler.process(block, endOfInput: isLast)
        }
        if block.isEmpty { return nil }
        return block
    }
}
