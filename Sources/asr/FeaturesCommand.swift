import ArgumentParser

/// `asr features`: Extract Kaldi-compatible filterbank features.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Extract Kaldi-compatible filterbank features."
    )

    func run() throws {
        throw NotYetAvailable(command: "features")
    }
}
