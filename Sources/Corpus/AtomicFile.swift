import Foundation

/// Writes files whole or not at all: into a temporary name in the destination's folder, then renamed.
enum AtomicFile {
    /// Writes `data` to `url` atomically; throws `CorpusError.cannotWrite` naming the file.
    static func write(_ data: Data, to url: URL) throws(CorpusError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw .cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .cannotWrite(path: url.path, reason: reason)
        }
    }
}
