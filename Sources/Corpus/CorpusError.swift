import Options

/// A problem with a corpus folder, a data file or a manifest; every case says what and where.
public enum CorpusError: OptionErrorCarrying, CustomStringConvertible, Equatable, Sendable {
    /// The path does not exist or is not a folder.
    case notAFolder(path: String)
    /// No `TRAIN` or `TEST` folder (any case) was found under the corpus root.
    case noTimitLayout(path: String)
    /// A file or folder could not be read.
    case cannotRead(path: String, reason: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A label file (.PHN, .WRD, .TXT) line is wrong: `PHN line 12: end 4100 before start 4200 in <path>`.
    case badLabel(kind: String, path: String, line: Int, reason: String)
    /// A manifest record is wrong: `manifest <path> line 3: <reason>`.
    case badManifest(path: String, line: Int, reason: String)
    /// A phone map or speaker list line is wrong.
    case badList(path: String, line: Int, reason: String)
    /// An utterance lacks a required file or its audio cannot be used (`--strict` stops on it).
    case badUtterance(path: String, reason: String)
    /// An option outside its allowed range; names the field.
    case invalidOption(field: String, message: String)
    /// A field of the preparation options outside its allowed values.
    case option(OptionError)

    /// One line saying what is wrong and where.
    public var description: String {
        switch self {
        case .notAFolder(let path): return "\(path): not a folder"
        case .noTimitLayout(let path):
            return "\(path): no TRAIN or TEST folder found (expected <root>/TRAIN/DR1/FCJF0/SI1027.WAV, any case)"
        case .cannotRead(let path, let reason): return "\(path): cannot be read (\(reason))"
        case .cannotWrite(let path, let reason): return "\(path): cannot be written (\(reason))"
        case .badLabel(let kind, let path, let line, let reason): return "\(kind) line \(line): \(reason) in \(path)"
        case .badManifest(let path, let line, let reason): return "manifest \(path) line \(line): \(reason)"
        case .badList(let path, let line, let reason): return "\(path) line \(line): \(reason)"
        case .badUtterance(let path, let reason): return "\(path): \(reason)"
        case .invalidOption(let field, let message): return "invalid option \(field): \(message)"
        case .option(let error): return "invalid option \(error)"
        }
    }
}
