import NeuralNet

/// Throws NeuralNet's `ConfigurationError` for `field` unless `value` lies in `range`.
public func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ field: String) throws(ConfigurationError) {
    guard range.contains(value) else {
        throw ConfigurationError(field: field, value: "\(value)", allowed: "\(range.lowerBound)...\(range.upperBound)")
    }
}
