import ArgumentParser

/// `asr bench decode`: Decoding time against input length, monotonic versus softmax.
struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decoding time against input length, monotonic versus softmax."
    )

    func run() throws {
        throw NotYetAvailable(command: "bench decode")
    }
}
