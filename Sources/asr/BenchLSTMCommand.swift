import ArgumentParser

/// `asr bench lstm`: LSTM forward plus backward time per step.
struct BenchLSTM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lstm",
        abstract: "LSTM forward plus backward time per step."
    )

    func run() throws {
        throw NotYetAvailable(command: "bench lstm")
    }
}
