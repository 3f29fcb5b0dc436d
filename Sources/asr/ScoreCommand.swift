import ArgumentParser

/// `asr score`: Score hypotheses against references: sclite-identical phone error rates.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score hypotheses against references: sclite-identical phone error rates."
    )

    func run() throws {
        throw NotYetAvailable(command: "score")
    }
}
