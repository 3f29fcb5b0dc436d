import AtomicFiles
import Foundation

/// The record a stage leaves in `EXP/stamps/STAGE.json` when it completes: the hash of everything it
/// depended on. A later run skips the stage while the hash is unchanged.
public struct StageStamp: Codable, Sendable, Equatable {
    /// Stage name.
    public var stage: String
    /// Hash of the stage's options, its upstream stages' stamps and its external inputs.
    public var key: String
    /// When the stage completed (ISO 8601).
    public var completed: String
    /// Wall-clock seconds it took.
    public var seconds: Double

    /// Reads a stamp, or nil when there is none (or it is unreadable, which means "not completed").
    public static func read(_ url: URL) -> StageStamp? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(StageStamp.self, from: data)
    }

    /// Writes the stamp atomically.
    public func write(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(encoder.encode(self), to: url)
    }
}
