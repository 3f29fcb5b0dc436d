import Foundation
import Testing
@testable import Features

/// Feature archives: round trip, random access, checks on opening, atomic writing, Kaldi and NumPy exports.
@Suite struct FeatureArchiveTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let matrices: [(String, FeatureMatrix)] = [
        ("utt_b", TransformTests.matrix(frames: 7, dim: 3, seed: 1)),
        ("utt_a", TransformTests.matrix(frames: 1, dim: 3, seed: 2)),
        ("utt_empty", FeatureMatrix(dim: 3)),
        ("utt_c", TransformTests.matrix(frames: 30, dim: 5, seed: 3)),
    ]

    static func writeArchive(in directory: URL) throws {
        let writer = try FeatureArchiveWriter(directory: directory, name: "train")
        for (id, m) in matrices { try writer.append(id, m) }
        try writer.finish()
    }

    @Test func roundTripInAnyOrder() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeArchive(in: directory)
        let archive = try FeatureArchive(directory: directory, name: "train")
        #expect(archive.ids == Self.matrices.map(\.0))
        for (id, m) in Self.matrices.reversed() { #expect(try archive.matrix(id) == m) }
        #expect(archive.entry("utt_c")?.frames == 30 && archive.entry("utt_c")?.dim == 5)
        #expect(throws: FeatureArchiveError.self) { try archive.matrix("missing") }
        // Only the two archive files remain: no temporaries.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["train.feats", "train.index.json"])
    }

    @Test func duplicateIdsAndUnfinishedWritersLeaveNothing() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let writer = try FeatureArchiveWriter(directory: directory, name: "dev")
            try writer.append("x", Self.matrices[0].1)
            #expect(throws: FeatureArchiveError.self) { try writer.append("x", Self.matrices[1].1) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func truncatedOrCorruptedArchivesAreRefused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeArchive(in: directory)
        let data = directory.appendingPathComponent("train.feats")
        let original = try Data(contentsOf: data)
        try original.prefix(original.count - 4).write(to: data)
        #expect(throws: FeatureArchiveError.self) { try FeatureArchive(directory: directory, name: "train") }
        var corrupted = original
        corrupted[0] = UInt8(ascii: "X")
        try corrupted.write(to: data)
        #expect(throws: FeatureArchiveError.self) { try FeatureArchive(directory: directory, name: "train") }
        var wrongCount = original
        wrongCount[16] = 9
        try wrongCount.write(to: data)
        #expect(throws: FeatureArchiveError.self) { try FeatureArchive(directory: directory, name: "train") }
        try original.write(to: data)
        #expect(try FeatureArchive(directory: directory, name: "train").ids.count == 4)
    }

    @Test func kaldiArkHoldsBinaryFloatMatricesAtTheScpOffsets() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeArchive(in: directory)
        let archive = try FeatureArchive(directory: directory, name: "train")
        let ark = directory.appendingPathComponent("feats.ark"), scp = directory.appendingPathComponent("feats.scp")
        try archive.exportKaldi(ark: ark, scp: scp)
        let bytes = [UInt8](try Data(contentsOf: ark))
        let lines = try String(contentsOf: scp, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Self.matrices.count)
        for (line, (id, m)) in zip(lines, Self.matrices) {
            let parts = line.split(separator: " ")
            #expect(parts[0] == id)
            let location = parts[1].split(separator: ":")
            #expect(String(location[0]) == ark.path)
            var p = Int(location[1])!
            #expect(Array(bytes[(p - id.utf8.count - 1)..<p]) == Array("\(id) ".utf8))
            #expect(Array(bytes[p..<(p + 5)]) == [0, 66, 70, 77, 32])  // \0B then "FM "
            p += 5
            func int32() -> Int {
                #expect(bytes[p] == 4)
                let v = Int(Int32(bytes[p + 1]) | Int32(bytes[p + 2]) << 8 | Int32(bytes[p + 3]) << 16 | Int32(bytes[p + 4]) << 24)
                p += 5
                return v
            }
            #expect(int32() == m.frames)
            #expect(int32() == m.dim)
            for v in m.values {
                let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
                #expect(Float(bitPattern: bits) == v)
                p += 4
            }
        }
    }

    @Test func numpyFilesHaveTheNpyHeaderAndShape() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeArchive(in: directory)
        let out = directory.appendingPathComponent("npy")
        try FeatureArchive(directory: directory, name: "train").exportNumpy(directory: out)
        for (id, m) in Self.matrices {
            let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("\(id).npy")))
            #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
            #expect(header.contains("'descr': '<f4'") && header.contains("'shape': (\(m.frames), \(m.dim))") && header.hasSuffix("\n"))
            #expect(bytes.count == 10 + headerLength + m.values.count * 4)
        }
    }
}
