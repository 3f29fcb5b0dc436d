import ArgumentParser

/// `asr prepare`: Write train/dev/test manifests from a TIMIT-layout corpus.
struct Prepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Write train/dev/test manifests from a TIMIT-layout corpus."
    )

    func run() throws {
        throw NotYetAvailable(command: "prepare")
    }
}
