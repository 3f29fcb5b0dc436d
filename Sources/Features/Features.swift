/// Namespace of the Features module; its types are documented where they are declared.
public enum FeaturesModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "Features"
}
