import ArgumentParser

/// `asr decode`: Decode audio files to phones, offline or online.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode audio files to phones, offline or online."
    )

    func run() throws {
        throw NotYetAvailable(command: "decode")
    }
}
