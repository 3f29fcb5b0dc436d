import Foundation
import Options

/// What can go wrong while synthesizing a corpus.
public enum SynthesisError: OptionErrorCarrying, CustomStringConvertible, Equatable {
    /// No `flite` executable was found.
    case fliteMissing
    /// flite exited with a failure status.
    case fliteFailed(status: Int32, message: String)
    /// flite printed something the parser did not expect.
    case fliteOutput(text: String, reason: String)
    /// More distinct sentences were asked for than the prompt source can give.
    case tooManySentences(requested: Int, capacity: Int)
    /// A prompt file could not be used.
    case prompts(path: String, reason: String)
    /// An option is out of range.
    case option(OptionError)
    /// A word of a prompt could not be matched to flite's phones.
    case wordAlignment(text: String)
    /// The output folder already holds a corpus.
    case outputExists(path: String)

    /// One line saying what went wrong.
    public var description: String {
        switch self {
        case .fliteMissing:
            "flite not found on PATH: install Debian's flite package (make setup)"
        case let .fliteFailed(status, message):
            "flite failed with status \(status): \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        case let .fliteOutput(text, reason):
            "unexpected flite output for '\(text)': \(reason)"
        case let .tooManySentences(requested, capacity):
            "\(requested) distinct sentences requested, but the prompt source gives at most \(capacity)"
        case let .prompts(path, reason):
            "prompt file \(path): \(reason)"
        case let .option(error):
            "synthesis option \(error.key) = \(error.value) is invalid; allowed: \(error.allowed)"
        case let .wordAlignment(text):
            "could not align the words of '\(text)' with flite's phones"
        case let .outputExists(path):
            "\(path) already holds a corpus (TRAIN or TEST); choose an empty folder"
        }
    }
}
