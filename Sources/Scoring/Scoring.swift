/// Namespace of the Scoring module; its types are documented where they are declared.
public enum ScoringModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "Scoring"
}
