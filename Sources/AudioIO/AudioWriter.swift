import AtomicFiles
import CSndfile
import Foundation

/// File formats `AudioWriter` writes: container and sample encoding.
public enum AudioFileFormat: String, Codable, Sendable, Equatable, CaseIterable {
    /// RIFF WAV, unsigned 8-bit PCM.
    case wav8
    /// RIFF WAV, signed 16-bit PCM.
    case wav16
    /// RIFF WAV, signed 24-bit PCM.
    case wav24
    /// RIFF WAV, signed 32-bit PCM.
    case wav32
    /// RIFF WAV, IEEE 32-bit float.
    case wavFloat
    /// FLAC, 16-bit.
    case flac16
    /// FLAC, 24-bit.
    case flac24
    /// NIST SPHERE, signed 16-bit PCM little-endian (TIMIT's `.WAV` format).
    case sphere16
    /// AIFF, signed 16-bit PCM.
    case aiff16
    /// AIFF, signed 24-bit PCM.
    case aiff24

    /// libsndfile's `SF_FORMAT_*` word.
    var sndfileFormat: Int32 {
        switch self {
        case .wav8: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_U8)
        case .wav16: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .wav24: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case .wav32: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_32)
        case .wavFloat: return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        case .flac16: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .flac24: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
        case .sphere16: return Int32(SF_FORMAT_NIST | SF_FORMAT_PCM_16) | Int32(SF_ENDIAN_LITTLE)
        case .aiff16: return Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16)
        case .aiff24: return Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_24)
        }
    }

    /// Bits per integer sample, or nil for float.
    var integerBits: Int? {
        switch self {
        case .wav8: return 8
        case .wav16, .flac16, .sphere16, .aiff16: return 16
        case .wav24, .flac24, .aiff24: return 24
        case .wav32: return 32
        case .wavFloat: return nil
        }
    }

    /// The usual file name extension (`wav`, `flac`, `sph`, `aiff`).
    public var fileExtension: String {
        switch self {
        case .wav8, .wav16, .wav24, .wav32, .wavFloat: return "wav"
        case .flac16, .flac24: return "flac"
        case .sphere16: return "sph"
        case .aiff16, .aiff24: return "aiff"
        }
    }
}

/// Writes audio files atomically (a temporary file in the same folder, renamed when complete).
public enum AudioWriter {
    /// Writes interleaved `samples` (`[frames, channels]`, values in [-1, 1)) at `sampleRate` Hz.
    ///
    /// Integer formats store `round(x · 2^(bits-1))` clamped to the type's range, so values `k / 2^(bits-1)`
    /// read back exactly. The file appears complete or not at all.
    public static func write(_ samples: [Float], sampleRate: Int, channels: Int = 1, to url: URL,
                             format: AudioFileFormat) throws(AudioError) {
        let path = url.relativePath
        guard (1...1_000_000).contains(sampleRate) else {
            throw .invalidOption(field: "sampleRate", message: "\(sampleRate) is not in 1...1000000")
        }
        guard (1...256).contains(channels), samples.count % channels == 0 else {
            throw .invalidOption(field: "channels",
                                 message: "\(channels) channels do not divide \(samples.count) samples")
        }
        let temporaryURL = AtomicFile.temporaryURL(for: url)
        let temporary = temporaryURL.path
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard sf_format_check(&info) == Int32(SF_TRUE) else {
            throw .writeFailed(path: path, message: "libsndfile cannot write \(format.rawValue) with \(channels) channel(s) at \(sampleRate) Hz")
        }
        let (opened, openError) = sndfileOpenLock.withLock { _ -> (OpaquePointer?, String) in
            let handle = sf_open(temporary, Int32(SFM_WRITE), &info)
            return (handle, handle == nil ? String(cString: sf_strerror(nil)) : "")
        }
        guard let handle = opened else { throw .writeFailed(path: path, message: openError) }
        let frames = sf_count_t(samples.count / channels)
        let written: sf_count_t
        switch format.integerBits {
        case 16?:
            let ints = samples.map { Int16(clamping: Int(($0 * 32768).rounded())) }
            written = sf_writef_short(handle, ints, frames)
        case let bits?:
            // libsndfile takes 32-bit words and keeps their top `bits` bits.
            let scale = Double(1 << (bits - 1)), shift = Int32(32 - bits)
            let ints = samples.map { sample -> Int32 in
                let value = (Double(sample) * scale).rounded()
                let limit = scale - 1
                return Int32(min(max(value, -scale), limit)) << shift
            }
            written = sf_writef_int(handle, ints, frames)
        case nil:
            written = sf_writef_float(handle, samples, frames)
        }
        let writeError = written == frames ? nil : String(cString: sf_strerror(handle))
        let closeStatus = sf_close(handle)
        if let message = writeError ?? (closeStatus == 0 ? nil : "closing failed (\(closeStatus))") {
            unlink(temporary)
            throw .writeFailed(path: path, message: message)
        }
        do { try AtomicFile.commit(temporaryURL, to: url) } catch { throw .writeFailed(path: path, message: error.reason) }
    }

    /// Writes `audio` (its samples, rate and channels) to `url` in `format`, atomically.
    public static func write(_ audio: Audio, to url: URL, format: AudioFileFormat) throws(AudioError) {
        try write(audio.samples, sampleRate: audio.sampleRate, channels: audio.channels, to: url, format: format)
    }
}
