import ArgumentParser

/// `asr bench score`: Scoring speed in utterances per second.
struct BenchScore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Scoring speed in utterances per second."
    )

    func run() throws {
        throw NotYetAvailable(command: "bench score")
    }
}
