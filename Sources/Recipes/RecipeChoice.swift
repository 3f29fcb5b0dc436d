/// A recipe field whose value is one word of a fixed set (an enum); errors list the allowed words.
public protocol RecipeChoice {
    /// The allowed words.
    static var recipeChoices: [String] { get }
}

extension RecipeChoice where Self: CaseIterable & RawRepresentable, RawValue == String {
    /// The enum's raw values.
    public static var recipeChoices: [String] { allCases.map(\.rawValue) }
}

/// An options struct with a default value, so that a recipe can fill an optional field of this type
/// (nil by default) from its defaults.
public protocol RecipeDefaultConstructible {
    /// The defaults.
    init()
}

/// Gives the decoder a typed sample for `Optional<Wrapped>` fields whose default is nil.
protocol OptionalSampleProviding {
    /// A default value of the wrapped type.
    static var wrappedSample: Any { get }
}

extension Optional: OptionalSampleProviding where Wrapped: RecipeDefaultConstructible {
    static var wrappedSample: Any { Wrapped() }
}
