/// An options struct: `Codable`, with a documented default for every field, all of which `init()` gives.
///
/// JSON that leaves fields out decodes to those defaults through `OptionsJSON` (the synthesized
/// `Decodable` is used as is; no type writes its own defaulting `init(from:)`).
public protocol DefaultedOptions: Codable {
    /// Every field at its documented default.
    init()
}

/// The defaults of the wrapped type of an `Optional` field whose default is nil, so that a partial
/// JSON object given for such a field still gets the other fields' defaults.
public protocol OptionalOptionsDefaults {
    /// `Wrapped()`: the wrapped options struct at its defaults.
    static var wrappedDefaults: any DefaultedOptions { get }
}

extension Optional: OptionalOptionsDefaults where Wrapped: DefaultedOptions {
    /// `Wrapped()`.
    public static var wrappedDefaults: any DefaultedOptions { Wrapped() }
}
