import Foundation

/// What a file's header says: format, rate, channels and length (the samples are not read).
public struct AudioHeader: Sendable, Equatable {
    /// Container and encoding as libsndfile names them (`WAV (Microsoft), Signed 16 bit PCM`).
    public var formatName: String
    /// Frames per second in Hz.
    public var sampleRate: Int
    /// Interleaved channels.
    public var channels: Int
    /// Number of frames.
    public var frames: Int
    /// Duration in seconds: `frames / sampleRate`.
    public var duration: Double { Double(frames) / Double(sampleRate) }

    /// Opens `url` and reads its header only (a FLAC or Ogg file, whose frame count is only a claim, is
    /// decoded to count its frames); errors as for `AudioReader.read` (including truncation and zero
    /// length). `raw` describes headerless PCM.
    public static func read(_ url: URL, raw: RawPCMFormat? = nil) throws(AudioError) -> AudioHeader {
        let file = try SoundFile(reading: url, raw: raw)
        return AudioHeader(formatName: file.formatName, sampleRate: file.sampleRate, channels: file.channels,
                           frames: try file.lengthInFrames())
    }
}

/// What `asr info` prints about one file: format, rate, channels, length and levels.
public struct AudioInfo: Sendable, Equatable {
    /// The file's path as given (`URL.relativePath`).
    public var path: String
    /// Container and encoding as libsndfile names them (`WAV (Microsoft), Signed 16 bit PCM`).
    public var formatName: String
    /// Frames per second in Hz.
    public var sampleRate: Int
    /// Interleaved channels.
    public var channels: Int
    /// Number of frames.
    public var frames: Int
    /// Duration in seconds: `frames / sampleRate`.
    public var duration: Double
    /// Peak level over all channels: `20 log10(max |x|)` dBFS (`-inf` for digital silence).
    public var peakDBFS: Double
    /// RMS level over all channels: `20 log10(sqrt(mean x²))` dBFS (a full-scale sine is −3.01).
    public var rmsDBFS: Double
    /// Samples that are NaN or infinite (possible in float files); the levels leave them out.
    public var nonFiniteSamples: Int

    /// Inspects `url`, streaming it block by block (never loaded whole). `raw` describes headerless PCM.
    public static func inspect(_ url: URL, raw: RawPCMFormat? = nil) throws(AudioError) -> AudioInfo {
        let file = try SoundFile(reading: url, raw: raw)
        var peak: Float = 0
        var sumOfSquares = 0.0
        var count = 0
        var nonFinite = 0
        while true {
            let block = try file.read(maxFrames: 65536)
            if block.isEmpty { break }
            for sample in block {
                guard sample.isFinite else {
                    nonFinite += 1
                    continue
                }
                peak = max(peak, abs(sample))
                sumOfSquares += Double(sample) * Double(sample)
            }
            count += block.count
        }
        let frames = count / file.channels
        try file.check(framesRead: frames)
        let finite = count - nonFinite
        let rms = finite > 0 ? (sumOfSquares / Double(finite)).squareRoot() : 0
        return AudioInfo(path: url.relativePath, formatName: file.formatName, sampleRate: file.sampleRate,
                         channels: file.channels, frames: frames,
                         duration: Double(frames) / Double(file.sampleRate),
                         peakDBFS: decibels(Double(peak)), rmsDBFS: decibels(rms), nonFiniteSamples: nonFinite)
    }

    /// `20 log10(x)`, `-inf` at 0.
    static func decibels(_ x: Double) -> Double { x > 0 ? 20 * log10(x) : -.infinity }

    /// One line: `path: format, 16000 Hz, 1 ch, 16000 frames, 1.000 s, peak -6.02 dBFS, RMS -9.03 dBFS`,
    /// followed by `, 2 non-finite samples (NaN or infinite)` when there are any.
    public var summary: String {
        func level(_ value: Double) -> String { value.isFinite ? String(format: "%.2f", value) : "-inf" }
        return "\(path): \(formatName), \(sampleRate) Hz, \(channels) ch, \(frames) frames, "
            + String(format: "%.3f s", duration)
            + ", peak \(level(peakDBFS)) dBFS, RMS \(level(rmsDBFS)) dBFS"
            + (nonFiniteSamples > 0 ? ", \(nonFiniteSamples) non-finite samples (NaN or infinite)" : "")
    }
}
