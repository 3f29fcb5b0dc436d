import AtomicFiles
import Foundation

/// Exports of feature archives to formats other tools read: Kaldi ark/scp and NumPy .npy.
extension FeatureArchive {
    /// Writes every matrix to a Kaldi binary archive and its scp (`id path:offset`), as `copy-feats` would:
    /// per utterance `id ␠`, the binary marker `\0B`, the float-matrix token `FM ␠`, `\4 rows:int32 \4 cols:int32`,
    /// then the values as row-major float32, little-endian. kaldiio's `load_scp` reads the result.
    /// Both files are written to temporary names and renamed into place.
    public func exportKaldi(ark: URL, scp: URL) throws {
        var archive = Data()
        var lines = ""
        for position in entries.indices {
            let m = try matrix(at: position)
            archive.append(contentsOf: Array("\(entries[position].id) ".utf8))
            let offset = archive.count
            archive.append(contentsOf: [0, UInt8(ascii: "B")] + Array("FM ".utf8))
            archive.append(4)
            withUnsafeBytes(of: Int32(m.frames).littleEndian) { archive.append(contentsOf: $0) }
            archive.append(4)
            withUnsafeBytes(of: Int32(m.dim).littleEndian) { archive.append(contentsOf: $0) }
            Self.appendLittleEndian(m.values, to: &archive)
            lines += "\(entries[position].id) \(ark.path):\(offset)\n"
        }
        try AtomicFile.write(archive, to: ark)
        try AtomicFile.write(Data(lines.utf8), to: scp)
    }

    /// Writes each matrix as `directory/<id>.npy` (format 1.0, `<f4`, shape (frames, dim)), atomically.
    public func exportNumpy(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for position in entries.indices {
            let m = try matrix(at: position)
            var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(m.frames), \(m.dim)), }"
            // Magic (6) + version (2) + length (2) + header + newline, padded with spaces to a multiple of 64.
            let total = 10 + header.utf8.count + 1
            header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
            var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
            withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: Array(header.utf8))
            Self.appendLittleEndian(m.values, to: &data)
            try AtomicFile.write(data, to: directory.appendingPathComponent("\(entries[position].id).npy"))
        }
    }

    private static func appendLittleEndian(_ values: [Float], to data: inout Data) {
        let start = data.count
        data.count += values.count * 4
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: start + i * 4, as: UInt32.self)
            }
        }
    }
}
