/// Namespace of the Recipes module; its types are documented where they are declared.
public enum RecipesModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "Recipes"
}
