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
    /// The stage's own fingerprint lines (`option.path=value`, `input:name=hash`) the key was made of;
    /// nil in stamps written before they were recorded.
    public var fingerprint: [String]? = nil
    /// The key of the stage before it that the key chains in (empty for the first); nil in older stamps.
    public var upstream: String? = nil

    /// A stamp with every part given.
    public init(stage: String, key: String, completed: String, seconds: Double, fingerprint: [String]? = nil,
                upstream: String? = nil) {
        self.stage = stage
        self.key = key
        self.completed = completed
        self.seconds = seconds
        self.fingerprint = fingerprint
        self.upstream = upstream
    }

    /// Why a stage with `fingerprint` after an upstream key `upstream` is not up to date with this stamp,
    /// in words: the option paths and inputs that changed (old → new values of options), or a changed
    /// earlier stage.
    public func changes(fingerprint lines: [String], upstream: String, upstreamStage: String?) -> String {
        guard let recorded = fingerprint, let recordedUpstream = self.upstream else {
            return "its stamp predates recorded fingerprints"
        }
        func fields(_ lines: [String]) -> [String: String] {
            var result: [String: String] = [:]
            for line in lines {
                let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return result
        }
        let (old, new) = (fields(recorded), fields(lines))
        var said: [String] = []
        for key in Set(old.keys).union(new.keys).sorted() where old[key] != new[key] {
            if key.hasPrefix("input:") {
                said.append("input \(key.dropFirst(6)) changed")
            } else {
                said.append("\(key) \(old[key] ?? "unset") → \(new[key] ?? "unset")")
            }
        }
        if recordedUpstream != upstream { said.append("earlier stage \(upstreamStage ?? "") changed") }
        return said.isEmpty ? "its key changed" : said.joined(separator: "; ")
    }

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
