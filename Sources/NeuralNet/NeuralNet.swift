/// Namespace of the NeuralNet module; its types are documented where they are declared.
public enum NeuralNetModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "NeuralNet"
}
