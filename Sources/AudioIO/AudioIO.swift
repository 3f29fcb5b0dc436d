/// Namespace of the AudioIO module; its types are documented where they are declared.
public enum AudioIOModule {
    /// The module's name, as shown in diagnostics.
    public static let name = "AudioIO"
}
