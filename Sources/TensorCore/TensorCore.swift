/// Namespace of the TensorCore module; its types are documented where they are declared.
public enum TensorCoreModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "TensorCore"
}
