import ArgumentParser

/// `asr synth`: Synthesize a TIMIT-layout corpus with flite.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize a TIMIT-layout corpus with flite."
    )

    func run() throws {
        throw NotYetAvailable(command: "synth")
    }
}
