import Foundation
import FuzzTargets
import Testing

/// Every fuzz target over its committed seed corpus (`Fuzz/corpus/NAME`) and the inputs that once crashed
/// or hung it (`Fuzz/regressions/NAME`): each input is read through the same entry point libFuzzer drives
/// and ends in a one-line refusal or in acceptance, never in a signal (which would end this process).
@Suite(.serialized) struct FuzzReplayTests {
    /// The repository's `Fuzz` folder, found from this file's path.
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The files of `Fuzz/kind/name`, sorted (none when the folder is absent).
    static func inputs(_ kind: String, _ name: String) -> [URL] {
        let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(name)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// A refusal must be one line naming what is wrong; acceptance needs nothing more.
    static func check(_ outcome: FuzzOutcome, of input: URL) {
        if case .refused(let message) = outcome {
            #expect(!message.isEmpty && !message.contains("\n"), "\(input.lastPathComponent): \(message)")
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func seedCorpusIsReadWithoutASignal(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        defer { FuzzTarget.removeScratch() }
        let seeds = Self.inputs("corpus", name)
        #expect(!seeds.isEmpty, "Fuzz/corpus/\(name) holds no seed")
        var accepted = 0
        for seed in seeds {
            let outcome = target.run(try Data(contentsOf: seed))
            Self.check(outcome, of: seed)
            if outcome == .accepted { accepted += 1 }
        }
        // Each corpus starts from well-formed files the reader accepts, so mutations begin past the checks.
        #expect(accepted > 0, "no seed of \(name) is accepted")
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func regressionInputsAreRefusedInOneLineOrRead(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        defer { FuzzTarget.removeScratch() }
        for input in Self.inputs("regressions", name) {
            Self.check(target.run(try Data(contentsOf: input)), of: input)
        }
    }

    @Test func everyTargetHasADistinctName() {
        let names = FuzzTarget.all.map(\.name)
        #expect(Set(names).count == names.count && names.allSatisfy { FuzzTarget.named($0) != nil })
    }
}
