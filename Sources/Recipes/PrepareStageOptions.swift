import Options

/// Options of the `prepare` stage (TIMIT-layout corpus → manifests).
public struct PrepareStageOptions: DefaultedOptions, Sendable, Equatable {
    /// Keep the SA sentences (default false: TIMIT's protocol leaves them out everywhere).
    public var includeSA: Bool = false
    /// Development speaker list; default: the corpus's own `dev_spk.list` when it has one, else TIMIT's 50.
    public var devSpeakers: String? = nil
    /// Core-test speaker list; default: the corpus's own `test_spk.list` when it has one, else TIMIT's 24.
    public var testSpeakers: String? = nil
    /// Stop at the first bad utterance instead of skipping it, each .PHN tiling its audio within 25 ms (default false).
    public var strict: Bool = false

    /// The defaults.
    public init() {}

    /// Nothing can be out of range; present for uniformity with the other stages.
    public func validate() throws(OptionError) {}
}
