import Foundation
import Testing
@testable import Recipes

/// Counts how often each test stage ran, and can make one fail once.
final class StageLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    var failing: String?

    func ran(_ stage: String) throws {
        try lock.withLock {
            if failing == stage {
                failing = nil
                throw StageError.badData(stage: stage, message: "killed")
            }
            counts[stage, default: 0] += 1
        }
    }

    func count(_ stage: String) -> Int { lock.withLock { counts[stage] ?? 0 } }
}

/// Three stages whose fingerprints follow the recipe's `name` (a) and `corpus` (b); c has none of its own.
func testStages(_ ledger: StageLedger) -> [StageDefinition] {
    [
        StageDefinition(name: "a", fingerprint: { recipe, _ in recipe.settings.name }, run: { try ledger.ran($0.stage) }),
        StageDefinition(name: "b", fingerprint: { recipe, _ in recipe.settings.corpus ?? "" }, run: { try ledger.ran($0.stage) }),
        StageDefinition(name: "c", fingerprint: { _, _ in "" }, run: { try ledger.ran($0.stage) }),
    ]
}

@Suite("Stage runner")
struct StageRunnerTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")

    func runner(_ text: String, _ ledger: StageLedger) throws -> StageRunner {
        StageRunner(recipe: try Recipe.parse(text, file: "r.yaml"), experiment: Experiment(root: folder),
                    stages: testStages(ledger))
    }

    @Test("completed stages are skipped; a change reruns that stage and everything after it")
    func skipping() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = StageLedger()
        try runner("name: x\ncorpus: c1\n", ledger).run(RunRequest()) { _ in }
        let second = try runner("name: x\ncorpus: c1\n", ledger).run(RunRequest()) { _ in }
        #expect(second.map(\.1) == [.skipped, .skipped, .skipped])
        #expect(["a", "b", "c"].map(ledger.count) == [1, 1, 1])
        try runner("name: x\ncorpus: c2\n", ledger).run(RunRequest()) { _ in }
        #expect(["a", "b", "c"].map(ledger.count) == [1, 2, 2])
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("recipe.yaml").path))
        #expect(StageStamp.read(folder.appendingPathComponent("stamps/b.json"))?.stage == "b")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("logs/c.log").path))
    }

    @Test("--from reruns from a stage, --only runs one, --dry-run runs nothing")
    func requests() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = StageLedger()
        let recipe = "name: x\n"
        try runner(recipe, ledger).run(RunRequest()) { _ in }
        try runner(recipe, ledger).run(RunRequest(from: "b")) { _ in }
        #expect(["a", "b", "c"].map(ledger.count) == [1, 2, 2])
        let only = try runner(recipe, ledger).run(RunRequest(only: "a")) { _ in }
        #expect(only.map(\.1) == [.ran, .disabled, .disabled])
        #expect(["a", "b", "c"].map(ledger.count) == [2, 2, 2])
        let until = try runner("name: z\n", ledger).run(RunRequest(until: "a")) { _ in }
        #expect(until.map(\.0) == ["a"])
        #expect(["a", "b", "c"].map(ledger.count) == [3, 2, 2])
        let dry = try runner("name: y\n", ledger).run(RunRequest(dryRun: true)) { _ in }
        #expect(dry.map(\.1) == [.wouldRun, .wouldRun, .wouldRun])
        #expect(["a", "b", "c"].map(ledger.count) == [3, 2, 2])
        #expect(throws: RecipeError.unknownStage("z", allowed: ["a", "b", "c"])) {
            try runner(recipe, ledger).run(RunRequest(from: "z")) { _ in }
        }
    }

    @Test("a run killed in a stage resumes at that stage")
    func resume() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = StageLedger()
        ledger.failing = "b"
        #expect(throws: StageError.self) { try runner("name: x\n", ledger).run(RunRequest()) { _ in } }
        #expect(["a", "b", "c"].map(ledger.count) == [1, 0, 0])
        let outcomes = try runner("name: x\n", ledger).run(RunRequest()) { _ in }
        #expect(outcomes.map(\.1) == [.skipped, .ran, .ran])
    }
}
