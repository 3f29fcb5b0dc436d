import Foundation

/// Writes files whole or not at all: the content goes to a temporary name in the destination's
/// folder, which is then renamed over the destination (`rename(2)` is atomic within a file system),
/// so a reader sees the old file or the new one, never half of one.
///
/// The one temporary-then-rename writer of the package; modules map `AtomicFileError` to their
/// own typed errors.
public enum AtomicFile {
    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
        let temporary = temporaryURL(for: url)
        do {
            try data.write(to: temporary)
        } catch {
            unlink(temporary.path)
            throw .cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        try commit(temporary, to: url)
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws(AtomicFileError) {
        try write(Data(text.utf8), to: url)
    }

    /// Lets `body` create the file at a temporary path beside `url` (for writers that need a path,
    /// such as C libraries), then renames it over `url`. The temporary file is removed when `body`
    /// or the rename fails; `body`'s error is rethrown as is, a failed rename throws `AtomicFileError`.
    public static func produce(_ url: URL, _ body: (URL) throws -> Void) throws {
        let temporary = temporaryURL(for: url)
        do {
            try body(temporary)
        } catch {
            unlink(temporary.path)
            throw error
        }
        try commit(temporary, to: url)
    }

    /// A fresh temporary name for `url`: `.<name>.<UUID>.tmp` in the same folder (so the rename
    /// stays within one file system). For writers that fill it over many calls, then `commit`.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    }

    /// Renames the finished `temporary` over `url`; on failure removes `temporary` and throws `.cannotRename`.
    public static func commit(_ temporary: URL, to url: URL) throws(AtomicFileError) {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .cannotRename(path: url.path, temporary: temporary.lastPathComponent, reason: reason)
        }
    }
}

/// A file that could not be written, naming it and the system's reason.
public enum AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The content could not be written to the temporary file for `path`.
    case cannotWrite(path: String, reason: String)
    /// The finished temporary file could not be renamed over `path`.
    case cannotRename(path: String, temporary: String, reason: String)

    /// The destination.
    public var path: String {
        switch self {
        case .cannotWrite(let path, _), .cannotRename(let path, _, _): path
        }
    }

    /// The system's reason.
    public var reason: String {
        switch self {
        case .cannotWrite(_, let reason), .cannotRename(_, _, let reason): reason
        }
    }

    /// `cannot write PATH: REASON` or `cannot rename TEMPORARY to PATH: REASON`.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRename(let path, let temporary, let reason): "cannot rename \(temporary) to \(path): \(reason)"
        }
    }
}
