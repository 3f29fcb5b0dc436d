import AtomicFiles
import Foundation

/// Content hashes of an experiment's input files, kept in `EXP/stamps/content-hashes.json` by
/// (size, modification time), so that a run reads only files that changed since the last one. `cp -a`
/// keeps modification times, so a copied experiment reuses them. A file rewritten with the same size
/// within the same modification time keeps its old hash (as make and rsync assume).
final class ContentHashCache: @unchecked Sendable {
    struct Entry: Codable, Equatable {
        var size: Int
        var modified: Double
        var hash: String
    }

    private let url: URL
    private let experiment: Experiment
    private var entries: [String: Entry]
    private var changed = false

    /// The cache of `experiment` (empty when it has none or it is unreadable).
    init(experiment: Experiment) {
        self.experiment = experiment
        url = experiment.stamps.appendingPathComponent("content-hashes.json")
        entries = FileManager.default.contents(atPath: url.path).flatMap { try? JSONDecoder().decode([String: Entry].self, from: $0) } ?? [:]
    }

    /// The content hash of one file: its bytes, 32 hex digits.
    static func hash(of url: URL) throws -> String {
        var hash = ContentHash()
        try hash.update(file: url)
        return hash.hex
    }

    /// The hash of the file at `url` known as `key`: from the cache when its size and modification time
    /// are the recorded ones, otherwise read (and recorded).
    func hash(of url: URL, key: String, size: Int, modified: Double) throws -> String {
        if let entry = entries[key], entry.size == size, entry.modified == modified { return entry.hash }
        let entry = Entry(size: size, modified: modified, hash: try Self.hash(of: url))
        entries[key] = entry
        changed = true
        return entry.hash
    }

    /// Writes the cache when it changed and the experiment folder exists (a dry run of a new experiment
    /// creates nothing).
    func save() throws {
        guard changed, FileManager.default.fileExists(atPath: experiment.root.path) else { return }
        try experiment.folder(experiment.stamps)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(encoder.encode(entries), to: url)
        changed = false
    }
}
