import ArgumentParser
import Foundation
import Testing
@testable import asr

/// The whole `--help` text of every command, compared with the committed files in `Fixtures/help/`.
///
/// Regenerate them after changing a command's options or help (then review the diff):
/// `ASR_UPDATE_HELP_GOLDENS=1 swift test --filter HelpGoldenTests`
@Suite struct HelpGoldenTests {
    /// Width the help is rendered at (the width `asr` uses when its output is not a terminal).
    static let columns = 80

    /// Golden file name → the command whose help it holds.
    static let commands: [(String, ParsableCommand.Type)] = [
        ("asr", ASR.self), ("info", Info.self), ("prepare", Prepare.self), ("features", Features.self),
        ("synth", Synth.self), ("train", Train.self), ("decode", Decode.self), ("score", Score.self),
        ("run", Run.self), ("report", Report.self), ("bench", Bench.self), ("bench-features", BenchFeatures.self),
        ("bench-score", BenchScore.self), ("bench-lstm", BenchLSTM.self), ("bench-train", BenchTrain.self),
        ("bench-decode", BenchDecode.self),
    ]

    /// The folder of the golden files, in the source tree.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/help")

    /// The committed help text of `name` (as `asr` prints it, with a final newline).
    static func golden(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent("\(name).txt"), encoding: .utf8)
    }

    @Test("every command's --help matches its golden file", arguments: commands.map(\.0))
    func helpMatchesGolden(_ name: String) throws {
        let command = try #require(Self.commands.first { $0.0 == name }?.1)
        let text = ASR.helpMessage(for: command, columns: Self.columns) + "\n"
        if ProcessInfo.processInfo.environment["ASR_UPDATE_HELP_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try text.write(to: Self.folder.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8)
        }
        #expect(text == (try Self.golden(name)))
    }
}
