/// An options value outside its allowed range, naming the field.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// Options type and field, e.g. `LSTMConfig.hiddenSize`.
    public let field: String
    /// The offending value as text.
    public let value: String
    /// The allowed range, e.g. `≥ 1`.
    public let allowed: String

    /// An error for `field` holding `value`, which must be `allowed`.
    public init(field: String, value: String, allowed: String) {
        self.field = field
        self.value = value
        self.allowed = allowed
    }

    /// One line: `LSTMConfig.hiddenSize = 0; allowed: ≥ 1`.
    public var description: String { "\(field) = \(value); allowed: \(allowed)" }
}

/// Throws a `ConfigurationError` for `field` unless `ok`.
func require(_ ok: Bool, _ field: String, _ value: some CustomStringConvertible, _ allowed: String) throws(ConfigurationError) {
    if !ok { throw ConfigurationError(field: field, value: value.description, allowed: allowed) }
}
