import Foundation
import Testing
@testable import Recipes

/// One `asr run` at a time per experiment folder, and the temporaries of a killed run cleared.
@Suite struct ExperimentLockTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aSecondLockOnTheSameFolderIsRefusedUntilTheFirstEnds() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var first: ExperimentLock? = try ExperimentLock(folder: folder)
        #expect(try String(contentsOf: first!.file, encoding: .utf8) == "\(getpid())\n")
        do {
            _ = try ExperimentLock(folder: folder)
            Issue.record("a second lock was granted")
        } catch let error as RecipeError {
            #expect(error.description == "\(folder.path): in use by another asr run (process \(getpid())); wait for it to finish or use another --exp")
        }
        first = nil
        #expect(throws: Never.self) { _ = try ExperimentLock(folder: folder) }
        _ = first
    }

    @Test func temporariesOfAKilledRunAreRemovedWithoutFollowingLinks() throws {
        let folder = try Self.folder(), outside = try Self.folder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: outside)
        }
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("features"), withIntermediateDirectories: true)
        let stale = [folder.appendingPathComponent("features/.train.feats.0F1E.tmp"), folder.appendingPathComponent(".recipe.yaml.AB.tmp")]
        let kept = [folder.appendingPathComponent("features/train.feats"), folder.appendingPathComponent("notes.tmp"),
                    outside.appendingPathComponent(".corpus.X.tmp")]
        for url in stale + kept { try Data("x".utf8).write(to: url) }
        try manager.createSymbolicLink(at: folder.appendingPathComponent("corpus"), withDestinationURL: outside)
        let removed = ExperimentLock.removeStaleTemporaries(in: folder)
        #expect(Set(removed.map(\.lastPathComponent)) == Set(stale.map(\.lastPathComponent)))
        #expect(stale.allSatisfy { !manager.fileExists(atPath: $0.path) })
        #expect(kept.allSatisfy { manager.fileExists(atPath: $0.path) })
    }
}
