import ArgumentParser
import AudioIO
import Recipes

/// The audio-reading options of `asr decode`: headerless PCM layout, channel, minimum duration.
struct AudioInputArguments: ParsableArguments {
    @Option(help: "Sample rate in Hz of headerless PCM (standard input, wav.scp commands, *.raw, *.pcm).")
    var rawRate: Int = 16000
    @Option(help: "Sample format of headerless PCM: s8, u8, s16, s24, s32, f32 or f64, little-endian unless followed by be (s16be).")
    var rawFormat: RawSampleFormat = RawSampleFormat(argument: "s16")!
    @Option(help: "Interleaved channels of headerless PCM.")
    var rawChannels: Int = 1
    @Option(help: "Channel decoded from multichannel audio: mix (their average) or a 0-based channel number.")
    var channel: ChannelArgument = ChannelArgument(argument: "mix")!
    @Option(help: "Shortest input decoded, in seconds; shorter input gives an empty hypothesis.")
    var minDuration: Double = 0.1
    @Option(help: "Input none of whose 25 ms frames has a spectral flatness below this holds no speech (white noise: about 0.56, voiced speech: under 0.1) and gives an empty hypothesis; 1: no check.")
    var maxFlatness: Float = AudioInputOptions().maximumFlatness
    @Option(help: "Offline, input longer than this many seconds is cut in the middle of its pauses and the pieces decoded one by one (inf: never).")
    var segmentAbove: Double = AudioInputOptions().segmentation.longerThan
    @Option(help: "Shortest pause, in seconds, at which --segment-above cuts.")
    var segmentPause: Double = AudioInputOptions().segmentation.minimumPause

    func validate() throws {
        guard (1...1_000_000).contains(rawRate) else { throw ValidationError("--raw-rate must be in 1...1000000 Hz") }
        guard (1...256).contains(rawChannels) else { throw ValidationError("--raw-channels must be in 1...256") }
        guard minDuration >= 0, minDuration.isFinite else { throw ValidationError("--min-duration must be >= 0") }
        guard maxFlatness > 0, maxFlatness <= 1 else { throw ValidationError("--max-flatness must be in (0, 1]") }
        guard segmentAbove >= 0, !segmentAbove.isNaN else { throw ValidationError("--segment-above must be >= 0 seconds (inf: never)") }
        guard segmentPause >= 0.01, segmentPause.isFinite else { throw ValidationError("--segment-pause must be >= 0.01 seconds") }
        if case .channel(let index) = channel.selection, index >= rawChannels, rawChannels > 1 {
            throw ValidationError("--channel \(index) is not one of the --raw-channels \(rawChannels) (0-based)")
        }
    }

    /// The options as the decoders take them.
    var options: AudioInputOptions {
        var options = AudioInputOptions()
        options.raw = RawPCMFormat(sampleRate: rawRate, channels: rawChannels, encoding: rawFormat.encoding,
                                   byteOrder: rawFormat.byteOrder)
        options.channels = channel.selection
        options.minimumSeconds = minDuration
        options.maximumFlatness = maxFlatness
        options.segmentation.longerThan = segmentAbove
        options.segmentation.minimumPause = segmentPause
        return options
    }
}

/// `--raw-format`: an encoding with an optional `le`/`be` suffix.
struct RawSampleFormat: ExpressibleByArgument {
    let encoding: RawPCMEncoding
    let byteOrder: ByteOrder

    init?(argument: String) {
        var name = argument.lowercased(), order = ByteOrder.little
        if name.hasSuffix("be") { order = .big; name.removeLast(2) } else if name.hasSuffix("le") { name.removeLast(2) }
        guard let encoding = RawPCMEncoding(rawValue: name) else { return nil }
        self.encoding = encoding
        byteOrder = order
    }

    static var allValueStrings: [String] { RawPCMEncoding.allCases.map(\.rawValue) }
    var defaultValueDescription: String { encoding.rawValue + (byteOrder == .big ? "be" : "") }
}

/// `--channel`: `mix` or a 0-based channel number.
struct ChannelArgument: ExpressibleByArgument {
    let selection: ChannelSelection

    init?(argument: String) {
        if argument == "mix" {
            selection = .mixDown
        } else if let index = Int(argument), index >= 0 {
            selection = .channel(index)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String {
        if case .channel(let index) = selection { return String(index) }
        return "mix"
    }
}
