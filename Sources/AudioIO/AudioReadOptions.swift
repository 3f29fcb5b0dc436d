import Options

/// Which channels a reader returns. Coded as `"mix"`, `"all"` or a 0-based channel number.
public enum ChannelSelection: Codable, Sendable, Equatable {
    /// Average of all channels: `y[t] = (1/C) Σ_c x[t, c]` (mono).
    case mixDown
    /// One channel, 0-based (mono).
    case channel(Int)
    /// Every channel, interleaved `[frames, channels]`.
    case all

    /// Decodes `"mix"`, `"all"` or a channel number.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let index = try? container.decode(Int.self) {
            self = .channel(index)
            return
        }
        switch try container.decode(String.self) {
        case "mix": self = .mixDown
        case "all": self = .all
        case let other:
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "channels must be \"mix\", \"all\" or a channel number, not \"\(other)\"")
        }
    }

    /// Encodes as `"mix"`, `"all"` or the channel number.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .mixDown: try container.encode("mix")
        case .all: try container.encode("all")
        case .channel(let index): try container.encode(index)
        }
    }
}

/// Sample encoding of headerless PCM.
public enum RawPCMEncoding: String, Codable, Sendable, Equatable, CaseIterable {
    /// Signed 8-bit.
    case pcmS8 = "s8"
    /// Unsigned 8-bit.
    case pcmU8 = "u8"
    /// Signed 16-bit.
    case pcm16 = "s16"
    /// Signed 24-bit (3 bytes).
    case pcm24 = "s24"
    /// Signed 32-bit.
    case pcm32 = "s32"
    /// IEEE 32-bit float.
    case float32 = "f32"
    /// IEEE 64-bit float.
    case float64 = "f64"
}

/// Byte order of headerless PCM.
public enum ByteOrder: String, Codable, Sendable, Equatable {
    /// Least significant byte first (x86, TIMIT SPHERE `01`).
    case little
    /// Most significant byte first.
    case big
}

/// Description of a headerless PCM file, which has no header to say its rate and layout.
public struct RawPCMFormat: DefaultedOptions, Sendable, Equatable {
    /// Frames per second in Hz; default 16000.
    public var sampleRate: Int = 16000
    /// Interleaved channels; default 1.
    public var channels: Int = 1
    /// Sample encoding; default signed 16-bit.
    public var encoding: RawPCMEncoding = .pcm16
    /// Byte order; default little-endian.
    public var byteOrder: ByteOrder = .little

    /// Every field at its default.
    public init() {}

    /// A raw PCM description; defaults: 16 kHz, mono, signed 16-bit little-endian.
    public init(sampleRate: Int = 16000, channels: Int = 1, encoding: RawPCMEncoding = .pcm16,
                byteOrder: ByteOrder = .little) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.encoding = encoding
        self.byteOrder = byteOrder
    }

    /// Checks `sampleRate` in 1...1_000_000 and `channels` in 1...256.
    public func validate() throws(OptionError) {
        try require(sampleRate, in: 1...1_000_000, "sampleRate")
        try require(channels, in: 1...256, "channels")
    }
}

/// How to read an audio file: channels, optional resampling, optional raw PCM layout.
public struct AudioReadOptions: DefaultedOptions, Sendable, Equatable {
    /// Channels to return; default `.mixDown` (mono average).
    public var channels: ChannelSelection = .mixDown
    /// Rate to resample to in Hz, or nil (default) to keep the file's rate. Resampling happens only
    /// when this is set and differs from the file's rate.
    public var sampleRate: Int? = nil
    /// libsamplerate converter used when resampling; default `.bestSinc`.
    public var resampleQuality: ResampleQuality = .bestSinc
    /// Layout of a headerless PCM file, or nil (default) to read the file's header.
    public var raw: RawPCMFormat? = nil

    /// Every field at its default.
    public init() {}

    /// Options; defaults: mono mix-down, the file's own rate, best sinc, headered file.
    public init(channels: ChannelSelection = .mixDown, sampleRate: Int? = nil,
                resampleQuality: ResampleQuality = .bestSinc, raw: RawPCMFormat? = nil) {
        self.channels = channels
        self.sampleRate = sampleRate
        self.resampleQuality = resampleQuality
        self.raw = raw
    }

    /// Checks `sampleRate` in 1...1_000_000, a channel index >= 0 and the raw layout.
    public func validate() throws(OptionError) {
        if let sampleRate { try require(sampleRate, in: 1...1_000_000, "sampleRate") }
        if case .channel(let index) = channels { try require(index >= 0, "channels", index, "a channel index >= 0") }
        if let raw { try OptionError.within("raw", raw.validate) }
    }
}
