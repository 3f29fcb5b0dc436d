import Foundation

/// A fresh folder under the system temporary directory, removed when the value is released.
public final class TemporaryFolder {
    /// The folder.
    public let url: URL

    /// Creates `<tmp>/<prefix>-<UUID>`.
    public init(_ prefix: String = "MonotonicASRTests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder (not created).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}
