import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The advisory lock (`flock`) on an experiment folder's `.lock` file that `asr run` holds while its
/// stages run, so that two runs never write into the same folder at once. The file holds the holder's
/// process id; the lock ends with the process (also when it is killed), so a stale file never blocks.
public final class ExperimentLock {
    /// The lock file, `EXP/.lock`.
    public let file: URL
    private let descriptor: Int32

    /// Takes the lock of `folder` (which must exist) at once, or throws `RecipeError.experimentInUse`
    /// naming the process that holds it.
    public init(folder: URL) throws {
        file = folder.appendingPathComponent(".lock")
        let fd = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RecipeError.experimentInUse(folder: folder.path, holder: "cannot open \(file.path): errno \(errno)")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw RecipeError.experimentInUse(folder: folder.path, holder: "process \(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")")
        }
        descriptor = fd
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Removes the temporary files a killed run left under `folder` (`AtomicFile`'s `.NAME.UUID.tmp`),
    /// without following symbolic links (a linked corpus is never touched); returns what it removed.
    /// Call it only while holding the folder's lock.
    @discardableResult
    public static func removeStaleTemporaries(in folder: URL) -> [URL] {
        let manager = FileManager.default
        guard let walk = manager.enumerator(at: folder, includingPropertiesForKeys: [.isSymbolicLinkKey]) else { return [] }
        var removed: [URL] = []
        for case let url as URL in walk {
            if (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]))?.isSymbolicLink == true {
                walk.skipDescendants()
                continue
            }
            let name = url.lastPathComponent
            if name.hasPrefix("."), name.hasSuffix(".tmp"), (try? manager.removeItem(at: url)) != nil { removed.append(url) }
        }
        return removed
    }
}
