import ArgumentParser

/// `asr bench features`: Single-thread feature extraction speed in times real time.
struct BenchFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Single-thread feature extraction speed in times real time."
    )

    func run() throws {
        throw NotYetAvailable(command: "bench features")
    }
}
