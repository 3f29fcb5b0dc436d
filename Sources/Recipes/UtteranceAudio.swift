import AudioIO
import Foundation
import ProcessRunner

/// How `asr decode` reads the audio of an item: the layout of headerless PCM and the channel kept.
public struct AudioInputOptions: Sendable, Equatable {
    /// Layout of headerless PCM: standard input or a command's output without a RIFF/NIST header, and
    /// files named `*.raw` or `*.pcm`. Default 16 kHz mono signed 16-bit little-endian.
    public var raw = RawPCMFormat()
    /// Channel kept from multichannel audio (default: the average of all channels).
    public var channels: ChannelSelection = .mixDown
    /// Shortest input decoded, in seconds (shorter input gives an empty hypothesis). Default 0.1.
    public var minimumSeconds: Double = 0.1
    /// Input none of whose 25 ms frames is less flat than this (`SpeechPresence`: white noise ≈ 0.56,
    /// voiced speech < 0.1) holds no speech and gives an empty hypothesis; 1 turns the check off. Default 0.3.
    public var maximumFlatness: Float = 0.3
    /// How a long recording is cut at its pauses into pieces decoded one by one (offline decoding).
    public var segmentation = PauseSegmenter()

    /// The defaults.
    public init() {}
}

/// Why an utterance gives an empty hypothesis without being decoded.
public enum UnusableAudio: Equatable, Sendable, CustomStringConvertible {
    /// Every sample is below one 16-bit step: nothing but digital silence.
    case digitalSilence(seconds: Double)
    /// Shorter than the minimum duration.
    case tooShort(seconds: Double, minimum: Double)
    /// Every frame flatter than the maximum: noise with no speech-like frame.
    case noSpeech(seconds: Double, flatness: Float, maximum: Float)

    /// The reason for the input of `seconds`, or nil when it is usable: fewer than `options.minimumSeconds`
    /// seconds is too short, peak |x| < 2⁻¹⁵ silence, and a least frame flatness (`SpeechPresence`) above
    /// `options.maximumFlatness` noise.
    public static func check(peak: Float, seconds: Double, flatness: Float, options: AudioInputOptions) -> UnusableAudio? {
        if seconds < options.minimumSeconds { return .tooShort(seconds: seconds, minimum: options.minimumSeconds) }
        if peak < 1 / 32768 { return .digitalSilence(seconds: seconds) }
        if options.maximumFlatness < 1, flatness > options.maximumFlatness {
            return .noSpeech(seconds: seconds, flatness: flatness, maximum: options.maximumFlatness)
        }
        return nil
    }

    /// `no usable frames: …`, one line.
    public var description: String {
        switch self {
        case .digitalSilence(let seconds):
            String(format: "no usable frames: %.2f s of digital silence (every sample below one 16-bit step); empty hypothesis", seconds)
        case .tooShort(let seconds, let minimum):
            String(format: "no usable frames: %.3f s is shorter than --min-duration %.3g s; empty hypothesis", seconds, minimum)
        case .noSpeech(let seconds, let flatness, let maximum):
            String(format: "no usable frames: none of %.2f s has the spectrum of speech (every 25 ms frame is flatter than "
                   + "--max-flatness %.2g, the least flat %.2f: noise?); empty hypothesis", seconds, maximum, flatness)
        }
    }
}

/// The samples of one item at the model's rate: files through libsndfile; standard input and command
/// output as bytes with their header recognised.
public enum UtteranceAudio {
    /// Mono samples in [-1, 1) of `item` at `rate` Hz.
    public static func samples(of item: DecodeItem, rate: Int, options: AudioInputOptions) throws -> [Float] {
        switch item.source {
        case .file(let path):
            let url = URL(fileURLWithPath: path)
            let headerless = ["raw", "pcm"].contains(url.pathExtension.lowercased())
            let read = AudioReadOptions(channels: options.channels, sampleRate: rate, raw: headerless ? options.raw : nil)
            return try AudioReader.read(url, options: read).samples
        case .standardInput:
            let data = try FileHandle.standardInput.readToEnd() ?? Data()
            return try samples(ofBytes: data, source: item.location, rate: rate, options: options)
        case .command(let command):
            let result = try ChildProcess.run("/bin/sh", ["-c", command])
            guard result.status == 0 else {
                let said = result.errors.split(separator: "\n").last.map { ": \($0)" } ?? ""
                throw StageError.badData(stage: "decode", message: "`\(command)` exited with status \(result.status)\(said)")
            }
            return try samples(ofBytes: result.stdout, source: item.location, rate: rate, options: options)
        }
    }

    /// Mono samples of a whole byte stream (RIFF/NIST header recognised, otherwise `options.raw`) at `rate`.
    public static func samples(ofBytes data: Data, source: String, rate: Int, options: AudioInputOptions) throws -> [Float] {
        let (format, skip) = try PCMByteStream.layout(of: data.prefix(PCMByteStream.headerProbe), raw: options.raw, source: source)
        var decoder = PCMSampleDecoder(format: format)
        let interleaved = decoder.decode(data.dropFirst(skip))
        guard !interleaved.isEmpty else { throw AudioError.zeroLength(path: source) }
        try options.channels.check(channels: format.channels, path: source)
        let mono = options.channels.apply(interleaved, channels: format.channels)
        if format.sampleRate == rate { return mono }
        return try Resampler.resample(mono, from: format.sampleRate, to: rate)
    }
}
