import ArgumentParser

/// `asr bench train`: Time of one training step of the encoder-decoder.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time of one training step of the encoder-decoder."
    )

    func run() throws {
        throw NotYetAvailable(command: "bench train")
    }
}
