import Foundation

/// Works around swift-corelibs-foundation's `FileManager.replaceItemAt`, which on Linux fails when the
/// target exists (and removes it), so a `CheckpointStore` can write each file only once: just before
/// the trainer saves, the existing checkpoint files are renamed to `NAME.prev`; once the new ones are
/// complete the `.prev` copies are removed. A run killed in between is restored to the previous
/// complete set by `restore()`; a set the save did not rewrite (best, when the epoch was not better)
/// is put back by `commit()`.
struct CheckpointRotation {
    /// The store's folder.
    let folder: URL
    /// Files a save writes, the one naming the set last (as `CheckpointStore` writes them).
    static let sets = [["last.safetensors", "last.optimizer.safetensors", "last.json"], ["best.safetensors", "best.json"]]

    /// Moves the current files aside, so that the next save creates them anew.
    func moveAside() {
        for name in CheckpointRotation.sets.joined() {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { _ = rename(url.path, url.path + ".prev") }
        }
    }

    /// After a save point: sets that were rewritten lose their `.prev` copies, the others get them back.
    func commit() {
        restore()
        for set in CheckpointRotation.sets where FileManager.default.fileExists(atPath: folder.appendingPathComponent(set.last!).path) {
            for name in set { try? FileManager.default.removeItem(atPath: folder.appendingPathComponent(name).path + ".prev") }
        }
    }

    /// After a kill during a save: a set whose last file is missing gets its previous files back.
    func restore() {
        for set in CheckpointRotation.sets {
            let last = folder.appendingPathComponent(set.last!).path
            guard !FileManager.default.fileExists(atPath: last), FileManager.default.fileExists(atPath: last + ".prev") else { continue }
            for name in set {
                let path = folder.appendingPathComponent(name).path
                if FileManager.default.fileExists(atPath: path + ".prev") { _ = rename(path + ".prev", path) }
            }
        }
    }
}
