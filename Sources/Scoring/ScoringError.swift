import Options

/// What went wrong while reading or scoring transcripts, and where.
public enum ScoringError: OptionErrorCarrying, CustomStringConvertible, Equatable {
    /// A line that is not a transcript (or mapping) line.
    case malformedLine(file: String, line: Int, reason: String)
    /// An utterance id given twice in one file.
    case duplicateId(file: String, line: Int, id: String)
    /// A reference utterance id given twice.
    case duplicateReference(id: String)
    /// Hypothesis ids with no reference utterance.
    case hypothesesWithoutReference(file: String, ids: [String])
    /// A file that could not be read or written.
    case io(file: String, reason: String)
    /// An option outside its allowed range.
    case option(OptionError)

    /// One line saying what and where.
    public var description: String {
        switch self {
        case let .malformedLine(file, line, reason):
            return "\(file) line \(line): \(reason)"
        case let .duplicateId(file, line, id):
            return "\(file) line \(line): utterance id '\(id)' appears a second time"
        case let .duplicateReference(id):
            return "reference utterance id '\(id)' appears twice"
        case let .hypothesesWithoutReference(file, ids):
            let shown = ids.prefix(20).joined(separator: " ")
            let more = ids.count > 20 ? " … (\(ids.count - 20) more)" : ""
            return "\(file): \(ids.count) hypothesis id(s) have no reference: \(shown)\(more)"
        case let .io(file, reason):
            return "\(file): \(reason)"
        case let .option(error):
            return "option \(error)"
        }
    }
}
