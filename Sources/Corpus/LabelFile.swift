import Foundation

/// Parsers for TIMIT's label files: `.PHN` and `.WRD` (`start end label` per line) and `.TXT`
/// (`start end sentence`). Times are sample indices; errors name the kind, line and file.
public enum LabelFile {
    /// The kinds of label file.
    public enum Kind: String, Sendable, CaseIterable {
        /// Phone segments (`.PHN`), 61-phone set, in time order without overlap.
        case phones = "PHN"
        /// Word segments (`.WRD`), in order of start; they may overlap and leave gaps.
        case words = "WRD"
        /// The orthographic transcript (`.TXT`), one line.
        case text = "TXT"
    }

    /// Parses `.PHN` or `.WRD` text. `path` names the file in errors; with `samples`, segments ending
    /// after the audio are rejected. Phone labels are lower-cased and must be in `phoneSet`.
    ///
    /// Checks: three fields per line, integer times, `0 <= start <= end`, phones not overlapping or out of
    /// order (`start >= previous end`), words not out of order (`start >= previous start`). With
    /// `tilingTolerance` (samples; phones with `samples` only) the phones must tile the audio: each starts
    /// where the previous one ends (no gap), the first starts at most `tilingTolerance` after 0 and the last
    /// ends at most `tilingTolerance` before `samples` (a file cut at a line boundary falls short of it).
    public static func segments(from text: String, kind: Kind, path: String, samples: Int? = nil,
                                phoneSet: PhoneSet = .timit61,
                                tilingTolerance: Int? = nil) throws(CorpusError) -> [Segment] {
        precondition(kind != .text, "use LabelFile.transcript for .TXT files")
        let tiling = kind == .phones ? tilingTolerance : nil
        var segments: [Segment] = []
        var lastLine = 1
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            func fail(_ reason: String) -> CorpusError {
                .badLabel(kind: kind.rawValue, path: path, line: number, reason: reason)
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 3 else { throw fail("expected `start end label`, found \(fields.count) fields") }
            let (start, end) = try times(fields[0], fields[1], fail: fail)
            let label = kind == .phones ? fields[2].lowercased() : String(fields[2])
            if kind == .phones && !phoneSet.contains(label) {
                throw fail("label \(label) is not in the \(phoneSet.count)-phone set")
            }
            if let samples, end > samples { throw fail("end \(end) is past the end of the audio (\(samples) samples)") }
            if let previous = segments.last {
                if kind == .phones && start < previous.end {
                    throw fail(start < previous.start
                        ? "start \(start) before the previous segment's start \(previous.start) (out of order)"
                        : "start \(start) overlaps the previous segment, which ends at \(previous.end)")
                }
                if kind == .words && start < previous.start {
                    throw fail("start \(start) before the previous word's start \(previous.start) (out of order)")
                }
                if tiling != nil && start > previous.end {
                    throw fail("start \(start) leaves a gap of \(start - previous.end) samples after the previous "
                               + "segment, which ends at \(previous.end) (phones must tile the audio)")
                }
            } else if let tolerance = tiling, start > tolerance {
                throw fail("the first segment starts at \(start), more than \(tolerance) samples after 0 "
                           + "(phones must tile the audio)")
            }
            segments.append(Segment(start: start, end: end, label: label))
            lastLine = number
        }
        if segments.isEmpty {
            throw .badLabel(kind: kind.rawValue, path: path, line: 1, reason: "no segments")
        }
        if let tolerance = tiling, let samples, let last = segments.last, samples - last.end > tolerance {
            throw .badLabel(kind: kind.rawValue, path: path, line: lastLine,
                            reason: "the last segment ends at \(last.end), \(samples - last.end) samples before the "
                                + "audio's end (\(samples) samples; tolerance \(tolerance)): the file may be cut short")
        }
        return segments
    }

    /// Parses `.TXT` text (`start end sentence` on its first non-blank line) and returns the sentence.
    public static func transcript(from text: String, path: String) throws(CorpusError) -> String {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ reason: String) -> CorpusError {
                .badLabel(kind: Kind.text.rawValue, path: path, line: index + 1, reason: reason)
            }
            let fields = line.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 3 else { throw fail("expected `start end sentence`") }
            _ = try times(fields[0], fields[1], fail: fail)
            return fields[2].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        throw .badLabel(kind: Kind.text.rawValue, path: path, line: 1, reason: "no transcript line")
    }

    /// Parses two integer times with `0 <= start <= end`.
    private static func times(_ first: Substring, _ second: Substring,
                              fail: (String) -> CorpusError) throws(CorpusError) -> (Int, Int) {
        guard let start = Int(first) else { throw fail("start \(first) is not a whole number") }
        guard let end = Int(second) else { throw fail("end \(second) is not a whole number") }
        if start < 0 { throw fail("start \(start) is negative") }
        if end < start { throw fail("end \(end) before start \(start)") }
        return (start, end)
    }
}
