/// An option outside its allowed values: the key path of the field (relative to the options struct
/// whose `validate()` threw, e.g. `encoder.layers`), its value and what is allowed. The one error type
/// of every options struct's `validate()`.
public struct OptionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Field names from the outermost struct in, e.g. `["encoder", "layers"]`.
    public var keyPath: [String]
    /// The offending value as text.
    public var value: String
    /// The allowed values or range, e.g. `1...16` or `>= 0`.
    public var allowed: String

    /// An error for the dotted `key` (`encoder.layers`) holding `value`, which must be `allowed`.
    public init(_ key: String, value: Any, allowed: String) {
        self.keyPath = key.split(separator: ".").map(String.init)
        self.value = "\(value)"
        self.allowed = allowed
    }

    /// The dotted key path, e.g. `encoder.layers`.
    public var key: String { keyPath.joined(separator: ".") }

    /// One line: `encoder.layers = 0; allowed: 1...16`.
    public var description: String { "\(key) = \(value); allowed: \(allowed)" }

    /// The same error with `parent` (a dotted key path) in front of its key path.
    public func within(_ parent: String) -> OptionError {
        var error = self
        error.keyPath = parent.split(separator: ".").map(String.init) + keyPath
        return error
    }

    /// Runs `check` (a nested struct's `validate()`), putting `parent` in front of the key path of an
    /// `OptionError` it throws; other errors pass unchanged.
    public static func within<E: Error>(_ parent: String, _ check: () throws(E) -> Void) throws(E) {
        do { try check() } catch {
            if let option = error as? OptionError, let nested = option.within(parent) as? E { throw nested }
            throw error
        }
    }
}

/// Throws an `OptionError` for `key` holding `value` unless `ok`.
public func require(_ ok: Bool, _ key: String, _ value: Any, _ allowed: String) throws(OptionError) {
    if !ok { throw OptionError(key, value: value, allowed: allowed) }
}

/// Throws an `OptionError` for `key` unless `value` lies in `range` (allowed: `lower...upper`).
public func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ key: String) throws(OptionError) {
    guard range.contains(value) else {
        throw OptionError(key, value: value, allowed: "\(range.lowerBound)...\(range.upperBound)")
    }
}

extension OptionError {
    /// The command-line spelling of the last key: `numMelBins` → `num-mel-bins`.
    public var flagName: String {
        var flag = ""
        for character in keyPath.last ?? "" {
            if character.isUppercase { flag += "-" + character.lowercased() } else { flag.append(character) }
        }
        return flag
    }
}

/// A module's error type with a case that carries an options struct's `OptionError`, so that code
/// throwing the module's error can run a `validate()`.
public protocol OptionErrorCarrying: Error {
    /// The module's error for an invalid option.
    static func option(_ error: OptionError) -> Self
}

extension OptionErrorCarrying {
    /// Runs `check` (an options struct's `validate()`), turning its `OptionError` into `.option`.
    public static func validating(_ check: () throws(OptionError) -> Void) throws(Self) {
        do { try check() } catch { throw .option(error) }
    }
}
