import ArgumentParser

/// `asr train`: Train a monotonic-attention encoder-decoder.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a monotonic-attention encoder-decoder."
    )

    func run() throws {
        throw NotYetAvailable(command: "train")
    }
}
