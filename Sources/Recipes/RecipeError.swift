/// Where a recipe value came from: a line and column of a file, or a `--set` override.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The recipe file.
    public var file: String
    /// Line (from 1), or nil for a `--set` override.
    public var line: Int?
    /// Column (from 1).
    public var column: Int?
    /// The `--set` text, when the value came from the command line.
    public var override: String?

    /// `file:line:column`, or `--set key=value`.
    public var description: String {
        if let override { return "--set \(override)" }
        if let line, let column { return "\(file):\(line):\(column)" }
        return file
    }
}

/// A mistake in a recipe, with where it is and what would be allowed.
public enum RecipeError: Error, CustomStringConvertible, Equatable {
    /// The file is not valid YAML.
    case syntax(file: String, message: String)
    /// A key the schema does not have.
    case unknownKey(SourceLocation, key: String, section: String, allowed: [String])
    /// A value of the wrong kind (a word where a number belongs, a list where a mapping belongs...).
    case wrongType(SourceLocation, key: String, expected: String, found: String)
    /// A value of the right kind outside the allowed set or range.
    case invalidValue(SourceLocation, key: String, message: String)
    /// A `--set` argument that is not `key.path=value`.
    case badOverride(String)
    /// `--from` or `--only` names no stage.
    case unknownStage(String, allowed: [String])
    /// The recipe is larger than any recipe, or expands (through YAML aliases) to too many values.
    case tooLarge(file: String, what: String)
    /// Another `asr run` holds the experiment folder's lock (`ExperimentLock`).
    case experimentInUse(folder: String, holder: String)

    /// One line: location, what is wrong and what is allowed.
    public var description: String {
        switch self {
        case let .syntax(file, message):
            "\(file): not valid YAML: \(message)"
        case let .unknownKey(location, key, section, allowed):
            "\(location): unknown key '\(key)' in \(section); allowed: \(allowed.joined(separator: ", "))"
        case let .wrongType(location, key, expected, found):
            "\(location): '\(key)' must be \(expected), found \(found)"
        case let .invalidValue(location, key, message):
            "\(location): invalid '\(key)': \(message)"
        case let .badOverride(text):
            "--set \(text): expected key.path=value (for example --set train.epochs=3)"
        case let .unknownStage(name, allowed):
            "unknown stage '\(name)'; stages: \(allowed.joined(separator: ", "))"
        case let .tooLarge(file, what):
            "\(file): refused: \(what)"
        case let .experimentInUse(folder, holder):
            "\(folder): in use by another asr run (\(holder)); wait for it to finish or use another --exp"
        }
    }
}
