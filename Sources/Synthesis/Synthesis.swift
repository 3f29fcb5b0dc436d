/// Namespace of the Synthesis module; its types are documented where they are declared.
public enum SynthesisModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "Synthesis"
}
