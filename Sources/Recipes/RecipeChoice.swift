/// A recipe field whose value is one word of a fixed set (an enum); errors list the allowed words.
public protocol RecipeChoice {
    /// The allowed words.
    static var recipeChoices: [String] { get }
}

extension RecipeChoice where Self: CaseIterable & RawRepresentable, RawValue == String {
    /// The enum's raw values.
    public static var recipeChoices: [String] { allCases.map(\.rawValue) }
}
