import Options

/// Why an audio file could not be read, written or converted; every case names the file.
public enum AudioError: OptionErrorCarrying, CustomStringConvertible, Equatable, Sendable {
    /// No file at the path.
    case missing(path: String)
    /// The path exists but cannot be opened for reading (a folder, no permission).
    case unreadable(path: String, reason: String)
    /// The file holds zero bytes, or a header announcing zero frames.
    case zeroLength(path: String)
    /// libsndfile rejected the file; `message` is libsndfile's own.
    case corrupt(path: String, message: String)
    /// The data stops before the end the header announces.
    case truncated(path: String, detail: String)
    /// NIST SPHERE compressed with shorten, which libsndfile does not decode.
    case shortenCompressed(path: String)
    /// An encoding libsndfile recognises but cannot decode.
    case unsupportedEncoding(path: String, detail: String)
    /// A channel index outside the file's channels.
    case channelOutOfRange(path: String, channel: Int, channels: Int)
    /// Writing failed; `message` says why.
    case writeFailed(path: String, message: String)
    /// libsamplerate failed.
    case resampleFailed(message: String)
    /// An option outside its allowed range; names the field.
    case invalidOption(field: String, message: String)
    /// A field of the reading options outside its allowed values.
    case option(OptionError)

    /// One line: `<file>: <reason>`.
    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no such file"
        case .unreadable(let path, let reason): return "\(path): cannot be read (\(reason))"
        case .zeroLength(let path): return "\(path): zero-length audio (no samples)"
        case .corrupt(let path, let message): return "\(path): not readable audio: \(message)"
        case .truncated(let path, let detail): return "\(path): truncated: \(detail)"
        case .shortenCompressed(let path):
            return "\(path): NIST SPHERE with shorten compression is not supported; "
                + "convert it first, e.g. `sph2pipe -f wav IN OUT.wav` or `sox IN OUT.wav`"
        case .unsupportedEncoding(let path, let detail): return "\(path): unsupported encoding: \(detail)"
        case .channelOutOfRange(let path, let channel, let channels):
            return "\(path): channel \(channel) requested but the file has \(channels) channel(s) (0-based)"
        case .writeFailed(let path, let message): return "\(path): cannot write audio: \(message)"
        case .resampleFailed(let message): return "resampling failed: \(message)"
        case .invalidOption(let field, let message): return "invalid audio option \(field): \(message)"
        case .option(let error): return "invalid audio option \(error)"
        }
    }
}
