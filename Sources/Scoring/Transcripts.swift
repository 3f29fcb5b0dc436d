import Parallelism

/// One utterance's token sequence, as interned ids, with its speaker.
public struct Utterance: Sendable, Equatable {
    /// Utterance id, matched between reference and hypothesis (`fadg0_si1279`).
    public var id: String
    /// Speaker the utterance is reported under.
    public var speaker: String
    /// Tokens as ids of the `TokenTable` they were read with.
    public var tokens: [Int32]

    /// An utterance from ids already interned.
    public init(id: String, speaker: String, tokens: [Int32]) {
        self.id = id
        self.speaker = speaker
        self.tokens = tokens
    }

    /// An utterance from token texts, interned in `table`; the speaker defaults to `speaker(ofId:)`.
    public init(id: String, speaker: String? = nil, tokens: [String], table: TokenTable) {
        self.init(id: id, speaker: speaker ?? Transcripts.speaker(ofId: id), tokens: table.ids(tokens))
    }
}

extension Array where Element == Utterance {
    /// The utterances with every token id `t` replaced by `ids[t]` (see `TokenTable.absorb`), in parallel.
    public func remapped(by ids: [Int32], threads: Int = 0) -> [Utterance] {
        let utterances = self
        return Parallel.mapChunks(count: count, threads: threads) { range in
            range.map { index in
                var utterance = utterances[index]
                utterance.tokens = utterance.tokens.map { ids[Int($0)] }
                return utterance
            }
        }.flatMap { $0 }
    }
}

/// Text formats of transcript files.
public enum TranscriptFormat: String, Codable, Sendable, CaseIterable {
    /// Kaldi / ESPnet text: `utt-id tok tok …` (the id alone is an empty transcript).
    case kaldi
    /// sclite trn: `tok tok … (utt-id)` (`(utt-id)` alone is an empty transcript).
    case trn
}

/// Reading transcript files and deriving speakers from utterance ids.
public enum Transcripts {
    /// The speaker sclite's `-i rm` derives from an utterance id: the text before the first `-` if there
    /// is one, otherwise before the first `_`, otherwise empty (`fadg0_si1279` → `fadg0`,
    /// `a_b-u3` → `a_b`, `fadg0-fadg0_si1279` → `fadg0`).
    public static func speaker(ofId id: String) -> String {
        if let dash = id.firstIndex(of: "-") { return String(id[..<dash]) }
        if let underscore = id.firstIndex(of: "_") { return String(id[..<underscore]) }
        return ""
    }

    /// The format of `bytes`: trn when the first non-blank line ends with `)`, otherwise Kaldi text.
    public static func detectFormat(_ bytes: [UInt8]) -> TranscriptFormat {
        var last: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if last != 0 { break }
            } else if !isSpace(byte) {
                last = byte
            }
        }
        return last == UInt8(ascii: ")") ? .trn : .kaldi
    }

    /// Parses transcript `bytes` (blank lines skipped), interning tokens in `table`.
    ///
    /// Speakers come from the ids (`speaker(ofId:)`). An id given twice and, for trn, a line without a
    /// final `(utt-id)` are errors naming `file` and the line.
    /// - Parameter format: nil detects it with `detectFormat`.
    public static func parse(_ bytes: [UInt8], file: String, format: TranscriptFormat? = nil,
                             table: TokenTable) throws -> [Utterance] {
        let format = format ?? detectFormat(bytes)
        var utterances: [Utterance] = []
        var seen: Set<String> = []
        var lineNumber = 0
        try table.withStorage { storage in try bytes.withUnsafeBufferPointer { all in
            var lineStart = 0
            while lineStart < all.count {
                var lineEnd = lineStart
                while lineEnd < all.count && all[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: all[lineStart..<lineEnd])
                lineStart = lineEnd + 1
                guard let utterance = try parseLine(line, format: format, file: file, line: lineNumber,
                                                    storage: &storage) else { continue }
                guard seen.insert(utterance.id).inserted else {
                    throw ScoringError.duplicateId(file: file, line: lineNumber, id: utterance.id)
                }
                utterances.append(utterance)
            }
        } }
        return utterances
    }

    /// Parses one line; nil for a blank line.
    private static func parseLine(_ line: UnsafeBufferPointer<UInt8>, format: TranscriptFormat, file: String,
                                  line number: Int, storage: inout TokenTable.Storage) throws -> Utterance? {
        var end = line.count
        while end > 0 && isSpace(line[end - 1]) { end -= 1 }
        var start = 0
        while start < end && isSpace(line[start]) { start += 1 }
        if start == end { return nil }
        let id: String
        var tokenEnd = end
        switch format {
        case .trn:
            guard line[end - 1] == UInt8(ascii: ")") else {
                throw ScoringError.malformedLine(file: file, line: number,
                                                 reason: "a trn line must end with '(utterance-id)'")
            }
            var open = end - 2
            while open >= start && line[open] != UInt8(ascii: "(") { open -= 1 }
            guard open >= start, open + 1 < end - 1 else {
                throw ScoringError.malformedLine(file: file, line: number,
                                                 reason: "no utterance id in the final '( )'")
            }
            id = String(decoding: UnsafeBufferPointer(rebasing: line[(open + 1)..<(end - 1)]), as: UTF8.self)
            guard !id.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw ScoringError.malformedLine(file: file, line: number,
                                                 reason: "utterance id '\(id)' contains a space")
            }
            tokenEnd = open
        case .kaldi:
            var idEnd = start
            while idEnd < end && !isSpace(line[idEnd]) { idEnd += 1 }
            id = String(decoding: UnsafeBufferPointer(rebasing: line[start..<idEnd]), as: UTF8.self)
            start = idEnd
        }
        var tokens: [Int32] = []
        var position = start
        while position < tokenEnd {
            while position < tokenEnd && isSpace(line[position]) { position += 1 }
            let tokenStart = position
            while position < tokenEnd && !isSpace(line[position]) { position += 1 }
            if position > tokenStart {
                tokens.append(storage.id(bytes: UnsafeBufferPointer(rebasing: line[tokenStart..<position])))
            }
        }
        return Utterance(id: id, speaker: speaker(ofId: id), tokens: tokens)
    }

    /// Space, tab or carriage return.
    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// One trn line for `tokens` of utterance `id`: `tok tok … (id)`.
    public static func trnLine(id: String, tokens: [String]) -> String {
        tokens.isEmpty ? "(\(id))" : tokens.joined(separator: " ") + " (\(id))"
    }
}
