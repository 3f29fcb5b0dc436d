import AtomicFiles
import Foundation
import TensorCore

#if _endian(big)
#error("SafeTensors assumes a little-endian host")
#endif

/// The safetensors file format (Hugging Face), F32 tensors only.
///
/// Layout: an 8-byte little-endian header length `n`; `n` bytes of JSON (padded with spaces to a
/// multiple of 8) mapping each tensor name to `{"dtype": "F32", "shape": [...], "data_offsets":
/// [begin, end]}`, plus an optional `"__metadata__"` string-to-string map; then the raw
/// little-endian data, offsets relative to the end of the header. Python reads the result with
/// `safetensors.numpy.load_file` or `safetensors.torch.load_file`.
public enum SafeTensors {
    /// The file's bytes for `tensors` (written in name order) and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        var offset = 0
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]] as [String: Any]
            offset += 4 * t.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { p in data.append(UnsafeBufferPointer(start: p.baseAddress, count: p.count)) }
        }
        return data
    }

    /// 4 · Π shape, or nil when a dimension is negative or the product overflows.
    static func byteCount(shape: [Int]) -> Int? {
        var total = 4
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// Tensors and metadata from a file's bytes, checked as the format requires (header within the
    /// file; each tensor's byte range matching its shape without overflow; the ranges contiguous from 0,
    /// without gap or overlap, ending where the file ends); `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(CheckpointError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard data.count >= 8 else { throw .truncated(file: file, expectedBytes: 8, actualBytes: data.count) }
        let n = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n <= UInt64(Int.max - 8), data.count >= 8 + Int(n) else {
            throw .truncated(file: file, expectedBytes: n <= UInt64(Int.max - 8) ? 8 + Int(n) : Int.max, actualBytes: data.count)
        }
        let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + Int(n)))
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw .badHeader(file: file, reason: "the \(n)-byte header is not a JSON object")
        }
        let base = 8 + Int(n)
        var metadata: [String: String] = [:]
        var entries: [(name: String, shape: [Int], start: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else { throw .badHeader(file: file, reason: "__metadata__ is not a string map") }
                metadata = m
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw .badHeader(file: file, reason: "entry '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else { throw .unsupportedDType(name: name, file: file, dtype: dtype) }
            guard let bytes = byteCount(shape: shape), offsets[0] >= 0, offsets[1] >= offsets[0],
                  offsets[1] - offsets[0] == bytes else {
                throw .badHeader(file: file, reason: "tensor '\(name)': offsets \(offsets) do not hold shape \(shape)")
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        // The format's rule: the tensors' byte ranges follow one another from 0, with no gap and no
        // overlap, and end exactly where the file ends.
        entries.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        var end = 0
        for entry in entries {
            guard entry.start == end else {
                throw .badHeader(file: file, reason: "tensor '\(entry.name)' starts at byte \(entry.start) of the data, expected \(end) (a gap or an overlap)")
            }
            end = entry.end
        }
        guard base + end == data.count else {
            throw base + end > data.count
                ? .truncated(file: file, expectedBytes: base + end, actualBytes: data.count)
                : .badHeader(file: file, reason: "\(data.count - base - end) bytes after the last tensor's data")
        }
        var tensors: [String: Tensor] = [:]
        for entry in entries {
            var t = Tensor.zeros(entry.shape)
            let count = entry.end - entry.start
            t.withUnsafeMutableBufferPointer { dst in
                data.withUnsafeBytes { raw in
                    let src = raw.baseAddress! + base + entry.start
                    if count > 0 { UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: src, byteCount: count) }
                }
            }
            tensors[entry.name] = t
        }
        return (tensors, metadata)
    }

    /// Writes `tensors` to `url` atomically (a temporary file in the same folder, then a rename).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws(CheckpointError) {
        try atomicWrite(encode(tensors, metadata: metadata), to: url)
    }

    /// Reads a safetensors file.
    public static func read(_ url: URL) throws(CheckpointError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .io(file: url.path, reason: "cannot read: \(error.localizedDescription)") }
        return try decode(data, file: url.path)
    }
}

/// Writes `data` to `url` with `AtomicFile` (a temporary name beside it, then a rename).
func atomicWrite(_ data: Data, to url: URL) throws(CheckpointError) {
    do { try AtomicFile.write(data, to: url) } catch {
        switch error {
        case .cannotWrite(_, let reason): throw .io(file: url.path, reason: "cannot write: \(reason)")
        case .cannotRename(_, let temporary, let reason): throw .io(file: url.path, reason: "cannot rename \(temporary): \(reason)")
        }
    }
}
