/// Namespace of the Seq2Seq module; its types are documented where they are declared.
public enum Seq2SeqModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "Seq2Seq"
}
