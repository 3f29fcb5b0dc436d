import Foundation

/// Audio arriving as bytes (standard input, a pipe): a RIFF/WAVE or NIST SPHERE header at its start is
/// recognised and describes the samples after it; anything else is headerless PCM in a given layout.
public enum PCMByteStream {
    /// Bytes needed to recognise a header (a SPHERE header is 1024 bytes; a WAVE header rarely more than 4 KiB).
    public static let headerProbe = 4096

    /// The layout of the samples in `head` (the first bytes of a stream) and how many header bytes to skip:
    /// RIFF/WAVE (PCM 8/16/24/32-bit, IEEE float 32/64, `WAVE_FORMAT_EXTENSIBLE` of those) and NIST SPHERE
    /// (`NIST_1A`, uncompressed PCM) are read from their headers; other bytes are `raw` with nothing to skip.
    /// `source` names the stream in errors.
    public static func layout(of head: Data, raw: RawPCMFormat, source: String) throws(AudioError) -> (format: RawPCMFormat, headerBytes: Int) {
        let bytes = [UInt8](head)
        if bytes.starts(with: Array("RIFF".utf8)), bytes.count >= 12, Array(bytes[8..<12]) == Array("WAVE".utf8) {
            return try wave(bytes, source: source)
        }
        if bytes.starts(with: Array("NIST_1A".utf8)) { return try sphere(bytes, source: source) }
        return (raw, 0)
    }

    /// Little-endian unsigned integer of `count` bytes at `offset`.
    private static func little(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        (0..<count).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }

    /// A RIFF/WAVE header: its `fmt ` chunk, and the start of its `data` chunk.
    private static func wave(_ bytes: [UInt8], source: String) throws(AudioError) -> (format: RawPCMFormat, headerBytes: Int) {
        var offset = 12
        var format: RawPCMFormat?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = little(bytes, offset + 4, 4)
            let body = offset + 8
            if id == "fmt " {
                guard body + 16 <= bytes.count else { break }
                var tag = little(bytes, body, 2)
                let channels = little(bytes, body + 2, 2), rate = little(bytes, body + 4, 4), bits = little(bytes, body + 14, 2)
                if tag == 0xFFFE, size >= 40, body + 26 <= bytes.count { tag = little(bytes, body + 24, 2) }
                let encoding: RawPCMEncoding? = switch (tag, bits) {
                case (1, 8): .pcmU8
                case (1, 16): .pcm16
                case (1, 24): .pcm24
                case (1, 32): .pcm32
                case (3, 32): .float32
                case (3, 64): .float64
                default: nil
                }
                guard let encoding else {
                    throw .unsupportedEncoding(path: source, detail: "WAVE format tag \(tag) with \(bits)-bit samples")
                }
                format = RawPCMFormat(sampleRate: rate, channels: channels, encoding: encoding, byteOrder: .little)
            } else if id == "data" {
                guard let format else { throw .corrupt(path: source, message: "WAVE data chunk before its fmt chunk") }
                try AudioError.validating(format.validate)
                return (format, body)
            }
            offset = body + size + size % 2
        }
        throw .corrupt(path: source, message: "no WAVE fmt and data chunks in the first \(bytes.count) bytes")
    }

    /// A NIST SPHERE header: `NIST_1A`, its size, then `field -type value` lines up to `end_head`.
    private static func sphere(_ bytes: [UInt8], source: String) throws(AudioError) -> (format: RawPCMFormat, headerBytes: Int) {
        let lines = String(decoding: bytes.prefix(min(bytes.count, 1 << 16)), as: UTF8.self).split(separator: "\n")
        guard lines.count > 2, let size = Int(lines[1].trimmingCharacters(in: .whitespaces)), size >= 16 else {
            throw .corrupt(path: source, message: "NIST SPHERE header without its size")
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst(2) {
            let parts = line.split(separator: " ", maxSplits: 2)
            if parts.first == "end_head" { break }
            if parts.count == 3 { fields[String(parts[0])] = parts[2].trimmingCharacters(in: .whitespaces) }
        }
        if let coding = fields["sample_coding"], coding.lowercased().contains("shorten") { throw .shortenCompressed(path: source) }
        if let coding = fields["sample_coding"], !coding.lowercased().hasPrefix("pcm") {
            throw .unsupportedEncoding(path: source, detail: "NIST SPHERE sample_coding \(coding)")
        }
        let width = Int(fields["sample_n_bytes"] ?? "2") ?? 2
        let encoding: RawPCMEncoding? = switch width {
        case 1: .pcmS8
        case 2: .pcm16
        case 3: .pcm24
        case 4: .pcm32
        default: nil
        }
        guard let encoding else { throw .unsupportedEncoding(path: source, detail: "NIST SPHERE sample_n_bytes \(width)") }
        let order: ByteOrder = fields["sample_byte_format"]?.hasPrefix("10") == true ? .big : .little
        let format = RawPCMFormat(sampleRate: Int(fields["sample_rate"] ?? "16000") ?? 16000,
                                  channels: Int(fields["channel_count"] ?? "1") ?? 1, encoding: encoding, byteOrder: order)
        try AudioError.validating(format.validate)
        return (format, size)
    }
}

/// Turns headerless PCM bytes into samples in [-1, 1), interleaved `[frames, channels]`; bytes of an
/// incomplete last frame wait for the next call.
public struct PCMSampleDecoder: Sendable {
    /// The layout decoded.
    public let format: RawPCMFormat
    private var carry: [UInt8] = []

    /// A decoder for `format`.
    public init(format: RawPCMFormat) { self.format = format }

    /// Bytes per sample of one channel.
    public var sampleBytes: Int {
        switch format.encoding {
        case .pcmS8, .pcmU8: 1
        case .pcm16: 2
        case .pcm24: 3
        case .pcm32, .float32: 4
        case .float64: 8
        }
    }

    /// The whole frames in `carry + data`, as samples (integers scaled by 1/2^(bits−1), floats as they are).
    public mutating func decode(_ data: Data) -> [Float] {
        carry.append(contentsOf: data)
        let width = sampleBytes, frame = width * format.channels
        let whole = carry.count / frame * frame
        var out = [Float]()
        out.reserveCapacity(whole / width)
        let big = format.byteOrder == .big && width > 1
        for start in stride(from: 0, to: whole, by: width) {
            var bits: UInt64 = 0
            for k in 0..<width { bits |= UInt64(carry[start + (big ? width - 1 - k : k)]) << (8 * UInt64(k)) }
            out.append(Self.sample(bits, encoding: format.encoding, width: width))
        }
        carry.removeFirst(whole)
        return out
    }

    /// One sample from its little-endian bits.
    private static func sample(_ bits: UInt64, encoding: RawPCMEncoding, width: Int) -> Float {
        switch encoding {
        case .pcmU8: return (Float(bits) - 128) / 128
        case .float32: return Float(bitPattern: UInt32(truncatingIfNeeded: bits))
        case .float64: return Float(Double(bitPattern: bits))
        default:
            let shift = UInt64(64 - 8 * width)
            let signed = Int64(bitPattern: bits << shift) >> shift
            return Float(signed) / Float(1 << (8 * width - 1))
        }
    }

    /// Bytes of an incomplete frame still waiting.
    public var pendingBytes: Int { carry.count }
}
