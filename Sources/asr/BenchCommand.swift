import ArgumentParser

/// `asr bench`: speed measurements of the toolkit's stages (never part of the tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of features, scoring, LSTMs, training and decoding.",
        subcommands: [BenchFeatures.self, BenchScore.self, BenchLSTM.self, BenchTrain.self, BenchDecode.self]
    )
}
