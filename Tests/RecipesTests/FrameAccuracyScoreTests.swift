import Corpus
import Foundation
import Models
import Testing
@testable import Recipes

/// The score stage reports the frame accuracy the decode stage measured, and nothing when it measured none.
@Suite struct FrameAccuracyScoreTests {
    /// An experiment with a two-utterance test manifest and hypotheses of 1 substitution in 5 phones.
    static func experiment() throws -> Experiment {
        let experiment = Experiment(root: FileManager.default.temporaryDirectory.appendingPathComponent("frames-score-\(UUID().uuidString)"))
        try experiment.folder(experiment.data)
        try experiment.folder(experiment.decode)
        func entry(_ id: String, _ phones: [String]) -> ManifestEntry {
            ManifestEntry(id: id, speaker: "s1", dialect: "dr1", split: "test", audio: "\(id).wav", sampleRate: 16000,
                          samples: 1600 * phones.count,
                          phones: phones.enumerated().map { Segment(start: 1600 * $0, end: 1600 * ($0 + 1), label: $1) },
                          words: [], text: "")
        }
        try Manifest.write([entry("u1", ["aa", "b", "d"]), entry("u2", ["iy", "k"])],
                           to: experiment.data.appendingPathComponent("test.jsonl"))
        try Data("u1 aa b t\nu2 iy k\n".utf8).write(to: experiment.decode.appendingPathComponent("test.hyp"))
        return experiment
    }

    static func score(_ experiment: Experiment) throws -> [String] {
        let lines = LineCollector()
        let context = try StageContext(recipe: try Recipe.parse("name: frames\n", file: "r.yaml"), experiment: experiment,
                                       stage: "score", echo: { lines.add($0) })
        try ScoreStage.run(context)
        return lines.lines
    }

    @Test func frameAccuracyFromTheDecodeStageIsLoggedReportedAndKept() throws {
        let experiment = try Self.experiment()
        defer { try? FileManager.default.removeItem(at: experiment.root) }
        let counts = FrameCounts(correct: 57, frames: 80)
        try JSONEncoder().encode(counts).write(to: experiment.decode.appendingPathComponent("test.frames.json"))
        let lines = try Self.score(experiment)
        #expect(lines.contains("score: frame accuracy 71.25% [C 57 / N 80]"))
        #expect(lines.contains { $0.hasPrefix("score: PER 20.00%") })
        let report = try String(contentsOf: experiment.score.appendingPathComponent("report.txt"), encoding: .utf8)
        #expect(report.hasSuffix("frame accuracy 71.25% [C 57 / N 80]\n"))
        let kept = try JSONDecoder().decode(FrameCounts.self, from: Data(contentsOf: experiment.score.appendingPathComponent("frames.json")))
        #expect(kept == counts)
    }

    @Test func withoutFrameCountsTheScoreHasNoFrameAccuracy() throws {
        let experiment = try Self.experiment()
        defer { try? FileManager.default.removeItem(at: experiment.root) }
        try experiment.folder(experiment.score)
        try Data("{}".utf8).write(to: experiment.score.appendingPathComponent("frames.json"))   // left by an earlier model
        let lines = try Self.score(experiment)
        #expect(!lines.contains { $0.contains("frame accuracy") })
        #expect(!FileManager.default.fileExists(atPath: experiment.score.appendingPathComponent("frames.json").path))
    }

    @Test func unreadableFrameCountsAreAnErrorNamingTheFile() throws {
        let experiment = try Self.experiment()
        defer { try? FileManager.default.removeItem(at: experiment.root) }
        try Data("not json".utf8).write(to: experiment.decode.appendingPathComponent("test.frames.json"))
        #expect { try Self.score(experiment) } throws: { "\($0)".contains("test.frames.json") }
    }
}

/// Lines echoed by a stage context.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
