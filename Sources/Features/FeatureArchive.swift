import AtomicFiles
import Foundation

/// Where a feature archive (`NAME.feats` + `NAME.index.json`) failed, with the file concerned.
public struct FeatureArchiveError: Error, CustomStringConvertible, Equatable {
    /// The file concerned.
    public var path: String
    /// What is wrong.
    public var problem: String

    /// One line saying what is wrong and where.
    public var description: String { "feature archive \(path): \(problem)" }
}

/// One utterance's place in a feature archive.
public struct FeatureArchiveEntry: Codable, Sendable, Equatable {
    /// Utterance id.
    public var id: String
    /// Byte offset of the matrix in the data file.
    public var offset: Int
    /// Number of frames (rows).
    public var frames: Int
    /// Values per frame (columns).
    public var dim: Int
}

/// The layout shared by the writer and the reader.
///
/// Data file `NAME.feats`: a 32-byte header — magic `MASRFEAT`, UInt32 version 1, UInt32 0, UInt64
/// matrix count, UInt64 payload bytes, all little-endian — then every matrix `[frames, dim]` as
/// little-endian float32, row-major, one after another. Index `NAME.index.json`: the version, the data
/// file's name and size, and one entry (id, offset, frames, dim) per matrix in writing order.
enum FeatureArchiveLayout {
    static let magic = Array("MASRFEAT".utf8)
    static let version: UInt32 = 1
    static let headerBytes = 32

    struct Index: Codable {
        var version: Int
        var data: String
        var dataBytes: Int
        var utterances: [FeatureArchiveEntry]
    }

    static func dataURL(_ directory: URL, _ name: String) -> URL { directory.appendingPathComponent("\(name).feats") }
    static func indexURL(_ directory: URL, _ name: String) -> URL { directory.appendingPathComponent("\(name).index.json") }

    static func header(count: Int, payload: Int) -> [UInt8] {
        var bytes = magic
        withUnsafeBytes(of: version.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(0)) { bytes += $0 }
        withUnsafeBytes(of: UInt64(count).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(payload).littleEndian) { bytes += $0 }
        return bytes
    }
}

/// Writes one split's matrices into a feature archive, atomically: everything goes to temporary files
/// in the same folder, renamed into place by `finish()` (data first, then the index). Not thread-safe.
public final class FeatureArchiveWriter {
    private let directory: URL
    private let name: String
    private let temporaryData: URL
    private let temporaryIndex: URL
    private let handle: FileHandle
    private var entries: [FeatureArchiveEntry] = []
    private var ids: Set<String> = []
    private var offset = FeatureArchiveLayout.headerBytes
    private var finished = false

    /// Starts `directory/NAME.feats` and `directory/NAME.index.json` (created on `finish()`).
    public init(directory: URL, name: String) throws {
        self.directory = directory
        self.name = name
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        temporaryData = AtomicFile.temporaryURL(for: FeatureArchiveLayout.dataURL(directory, name))
        temporaryIndex = AtomicFile.temporaryURL(for: FeatureArchiveLayout.indexURL(directory, name))
        guard FileManager.default.createFile(atPath: temporaryData.path, contents: Data(FeatureArchiveLayout.header(count: 0, payload: 0))) else {
            throw FeatureArchiveError(path: temporaryData.path, problem: "cannot create")
        }
        handle = try FileHandle(forWritingTo: temporaryData)
        try handle.seekToEnd()
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporaryData)
        }
    }

    /// Number of matrices written so far.
    public var count: Int { entries.count }

    /// Appends utterance `id`'s matrix `[frames, dim]`; ids must be unique.
    public func append(_ id: String, _ matrix: FeatureMatrix) throws {
        precondition(!finished, "FeatureArchiveWriter.append after finish()")
        guard ids.insert(id).inserted else {
            throw FeatureArchiveError(path: temporaryData.path, problem: "utterance \(id) written twice")
        }
        let data = matrix.values.withUnsafeBufferPointer { p -> Data in
            var d = Data(count: p.count * 4)
            d.withUnsafeMutableBytes { raw in
                for (i, v) in p.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            }
            return d
        }
        try handle.write(contentsOf: data)
        entries.append(FeatureArchiveEntry(id: id, offset: offset, frames: matrix.frames, dim: matrix.dim))
        offset += data.count
    }

    /// Completes the header, flushes, and moves both files into place (replacing an older archive).
    public func finish() throws {
        precondition(!finished, "FeatureArchiveWriter.finish called twice")
        let payload = offset - FeatureArchiveLayout.headerBytes
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: Data(FeatureArchiveLayout.header(count: entries.count, payload: payload)))
        try handle.synchronize()
        try handle.close()
        finished = true
        let index = FeatureArchiveLayout.Index(version: Int(FeatureArchiveLayout.version), data: "\(name).feats",
                                               dataBytes: offset, utterances: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(index).write(to: temporaryIndex)
        try Self.replace(FeatureArchiveLayout.dataURL(directory, name), with: temporaryData)
        try Self.replace(FeatureArchiveLayout.indexURL(directory, name), with: temporaryIndex)
    }

    private static func replace(_ destination: URL, with source: URL) throws {
        do { try AtomicFile.commit(source, to: destination) } catch {
            throw FeatureArchiveError(path: destination.path, problem: "cannot rename \(source.lastPathComponent) into place (\(error.reason))")
        }
    }
}

/// Reads a feature archive without loading it: the index is read at once, each matrix on demand with
/// `pread`, so one reader serves many threads. The header, sizes and offsets are checked on opening.
public final class FeatureArchive: Sendable {
    /// Utterance ids in archive order.
    public let ids: [String]
    /// Entries in archive order.
    public let entries: [FeatureArchiveEntry]
    /// The data file.
    public let dataURL: URL
    private let positions: [String: Int]
    private let descriptor: Int32

    /// Opens `directory/NAME.feats` with its index; throws `FeatureArchiveError` on any inconsistency.
    public init(directory: URL, name: String) throws {
        let indexURL = FeatureArchiveLayout.indexURL(directory, name)
        dataURL = FeatureArchiveLayout.dataURL(directory, name)
        let index: FeatureArchiveLayout.Index
        do {
            index = try JSONDecoder().decode(FeatureArchiveLayout.Index.self, from: Data(contentsOf: indexURL))
        } catch {
            throw FeatureArchiveError(path: indexURL.path, problem: "unreadable index (\(error))")
        }
        let path = dataURL.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FeatureArchiveError(path: path, problem: "cannot open (errno \(errno))") }
        var ok = false
        defer { if !ok { close(fd) } }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw FeatureArchiveError(path: path, problem: "cannot stat") }
        let size = Int(status.st_size)
        guard index.version == Int(FeatureArchiveLayout.version) else {
            throw FeatureArchiveError(path: indexURL.path, problem: "version \(index.version), expected \(FeatureArchiveLayout.version)")
        }
        guard size == index.dataBytes else {
            throw FeatureArchiveError(path: path, problem: "size \(size) bytes, index says \(index.dataBytes) (truncated or replaced)")
        }
        var header = [UInt8](repeating: 0, count: FeatureArchiveLayout.headerBytes)
        guard pread(fd, &header, header.count, 0) == header.count,
              Array(header[0..<8]) == FeatureArchiveLayout.magic else {
            throw FeatureArchiveError(path: path, problem: "not a feature archive (bad header)")
        }
        let fields = header.withUnsafeBytes { raw in
            (UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
             Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))),
             Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))))
        }
        guard fields.0 == FeatureArchiveLayout.version, fields.1 == index.utterances.count,
              fields.2 == size - FeatureArchiveLayout.headerBytes else {
            throw FeatureArchiveError(path: path, problem: "header (version \(fields.0), \(fields.1) matrices, \(fields.2) bytes) disagrees with the index")
        }
        var positions = [String: Int]()
        for (i, entry) in index.utterances.enumerated() {
            guard entry.frames >= 0, entry.dim >= 0, entry.offset >= FeatureArchiveLayout.headerBytes,
                  entry.offset + entry.frames * entry.dim * 4 <= size else {
                throw FeatureArchiveError(path: indexURL.path, problem: "entry \(entry.id) lies outside the data file")
            }
            guard positions.updateValue(i, forKey: entry.id) == nil else {
                throw FeatureArchiveError(path: indexURL.path, problem: "utterance \(entry.id) listed twice")
            }
        }
        self.positions = positions
        entries = index.utterances
        ids = index.utterances.map(\.id)
        descriptor = fd
        ok = true
    }

    deinit { close(descriptor) }

    /// The entry of utterance `id`, if present.
    public func entry(_ id: String) -> FeatureArchiveEntry? {
        positions[id].map { entries[$0] }
    }

    /// Utterance `id`'s matrix `[frames, dim]`.
    public func matrix(_ id: String) throws -> FeatureMatrix {
        guard let position = positions[id] else {
            throw FeatureArchiveError(path: dataURL.path, problem: "no utterance \(id)")
        }
        return try matrix(at: position)
    }

    /// The matrix of entry `position` (archive order), `[frames, dim]`.
    public func matrix(at position: Int) throws -> FeatureMatrix {
        let entry = entries[position]
        let count = entry.frames * entry.dim
        var values = [Float](repeating: 0, count: count)
        let bytes = count * 4
        let read = values.withUnsafeMutableBytes { raw in pread(descriptor, raw.baseAddress, bytes, off_t(entry.offset)) }
        guard read == bytes else {
            throw FeatureArchiveError(path: dataURL.path, problem: "short read of \(entry.id) (\(read) of \(bytes) bytes)")
        }
        #if _endian(big)
        for i in values.indices { values[i] = Float(bitPattern: UInt32(littleEndian: values[i].bitPattern)) }
        #endif
        return FeatureMatrix(frames: entry.frames, dim: entry.dim, values: values)
    }
}
