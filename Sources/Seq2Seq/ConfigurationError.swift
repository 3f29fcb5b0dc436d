/// An options field outside its allowed range.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The field's path, e.g. `encoder.layers`.
    public let field: String
    /// The offending value as written.
    public let value: String
    /// The allowed values, e.g. `1...8`.
    public let allowed: String

    /// An error for `field` holding `value` where `allowed` is required.
    public init(field: String, value: Any, allowed: String) {
        self.field = field
        self.value = "\(value)"
        self.allowed = allowed
    }

    /// `encoder.layers = 0: allowed 1...16`.
    public var description: String { "\(field) = \(value): allowed \(allowed)" }
}

/// Throws a `ConfigurationError` unless `value` lies in `range`.
func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ field: String) throws {
    guard range.contains(value) else {
        throw ConfigurationError(field: field, value: value, allowed: "\(range.lowerBound)...\(range.upperBound)")
    }
}
