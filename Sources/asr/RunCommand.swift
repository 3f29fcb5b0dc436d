import ArgumentParser

/// `asr run`: Run a recipe end to end into an experiment folder.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a recipe end to end into an experiment folder."
    )

    func run() throws {
        throw NotYetAvailable(command: "run")
    }
}
