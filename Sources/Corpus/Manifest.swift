import AtomicFiles
import Foundation

/// Manifests: JSON Lines files, one `ManifestEntry` per line.
public enum Manifest {
    /// Reads and validates the manifest at `url`; a problem names the file and line.
    ///
    /// Checks per record: valid JSON with every field; non-empty `id`, `speaker`, `audio`; unique `id`;
    /// `sampleRate > 0`, `samples >= 0`; every segment `0 <= start <= end <= samples` with a non-empty
    /// label; phones in time order without overlap. Blank lines are not allowed (except a final newline).
    public static func read(from url: URL) throws(CorpusError) -> [ManifestEntry] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .cannotRead(path: url.path, reason: error.localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let decoder = JSONDecoder()
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(lines.count)
        var firstLineOfId: [String: Int] = [:]
        for (index, line) in lines.enumerated() {
            let number = index + 1
            func fail(_ reason: String) -> CorpusError { .badManifest(path: url.path, line: number, reason: reason) }
            if line.allSatisfy(\.isWhitespace) { throw fail("empty line") }
            let entry: ManifestEntry
            do {
                entry = try decoder.decode(ManifestEntry.self, from: Data(line.utf8))
            } catch {
                throw fail("not a manifest record (\(describe(error)))")
            }
            if let problem = validate(entry) { throw fail("\(entry.id): \(problem)") }
            if let earlier = firstLineOfId[entry.id] { throw fail("duplicate id \(entry.id) (first on line \(earlier))") }
            firstLineOfId[entry.id] = number
            entries.append(entry)
        }
        return entries
    }

    /// Writes `entries` to `url` as JSON Lines (keys sorted), atomically.
    public static func write(_ entries: [ManifestEntry], to url: URL) throws(CorpusError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for entry in entries {
            do { data.append(try encoder.encode(entry)) } catch {
                throw .cannotWrite(path: url.path, reason: "\(entry.id): \(error)")
            }
            data.append(UInt8(ascii: "\n"))
        }
        do { try AtomicFile.write(data, to: url) } catch { throw .cannotWrite(path: error.path, reason: error.reason) }
    }

    /// The first problem with `entry`, or nil.
    static func validate(_ entry: ManifestEntry) -> String? {
        if entry.id.isEmpty { return "empty id" }
        if entry.speaker.isEmpty { return "empty speaker" }
        if entry.audio.isEmpty { return "empty audio path" }
        if entry.sampleRate <= 0 { return "sampleRate \(entry.sampleRate) is not positive" }
        if entry.samples < 0 { return "samples \(entry.samples) is negative" }
        for (name, segments) in [("phone", entry.phones), ("word", entry.words)] {
            for (index, segment) in segments.enumerated() {
                let which = "\(name) \(index + 1) (\(segment.start) \(segment.end) \(segment.label))"
                if segment.label.isEmpty { return "\(which) has an empty label" }
                if segment.start < 0 { return "\(which) starts before 0" }
                if segment.end < segment.start { return "\(which) ends before it starts" }
                if segment.end > entry.samples { return "\(which) ends after the audio's \(entry.samples) samples" }
                if name == "phone", index > 0, segment.start < segments[index - 1].end {
                    return "\(which) overlaps or precedes the previous phone"
                }
            }
        }
        return nil
    }

    /// A short reason from a decoding error: the missing key or the wrong type, with its path.
    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String { keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context.codingPath)
            return "missing field \(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type for \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON" : "invalid value for \(path(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }
}
