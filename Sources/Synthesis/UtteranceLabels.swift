import Corpus

/// Turns flite's phone end times into TIMIT's sample-exact `.PHN` and `.WRD` segments.
public enum UtteranceLabels {
    /// TIMIT-61 phone segments tiling `[0, sampleCount)`, with `h#` at both ends.
    ///
    /// flite's times are scaled by `timeScale` (1/α after the vocal-tract resampling) and shifted by
    /// `offset` samples (silence added in front minus samples cut from flite's leading pause):
    /// boundary = offset + round(end · rate · timeScale), clamped to `offset + speechSamples`; flite's leading and trailing `pau` become `h#` together with the added silence, a
    /// medial `pau` stays `pau`. Segments that round to nothing are dropped.
    public static func phones(_ rendering: FliteRendering, sampleRate: Int, timeScale: Double, offset: Int,
                              speechSamples: Int, sampleCount: Int) -> [Segment] {
        var segments: [Segment] = []
        var start = 0
        let phones = rendering.phones
        for (index, phone) in phones.enumerated() {
            let isEdge = phone.label == "pau" && (index == 0 || index == phones.count - 1)
            var end = offset + Int((phone.end * Double(sampleRate) * timeScale).rounded())
            end = min(max(end, start), offset + speechSamples)
            if index == phones.count - 1 { end = sampleCount }
            let label = isEdge ? "h#" : phone.label
            if index == 0, !isEdge, offset > 0 {
                segments.append(Segment(start: 0, end: offset, label: "h#"))
                start = offset
            }
            if end > start {
                segments.append(Segment(start: start, end: end, label: label))
                start = end
            }
        }
        if start < sampleCount {
            segments.append(Segment(start: start, end: sampleCount, label: "h#"))
        }
        // Merge neighbouring h# (leading silence followed by flite's own pause, and so on).
        var merged: [Segment] = []
        for segment in segments {
            if let last = merged.last, last.label == "h#", segment.label == "h#" {
                merged[merged.count - 1].end = segment.end
            } else {
                merged.append(segment)
            }
        }
        return merged
    }

    /// Word segments: each word spans the phones aligned to its pronunciation.
    ///
    /// `pronunciations` are the words' phones in isolation; the sentence's non-pause phones are aligned to
    /// their concatenation by edit distance (context changes such as `the` → `dh iy` are substitutions), so
    /// every phone belongs to one word.
    public static func words(_ words: [String], pronunciations: [String: [String]], phones: [Segment],
                             text: String) throws -> [Segment] {
        let spoken = phones.filter { $0.label != "h#" && $0.label != "pau" }
        var lexicon: [(phone: String, word: Int)] = []
        for (index, word) in words.enumerated() {
            guard let pronunciation = pronunciations[word] else { throw SynthesisError.wordAlignment(text: text) }
            lexicon += pronunciation.map { ($0, index) }
        }
        let owner = align(spoken.map(\.label), to: lexicon)
        var result: [Segment] = []
        for index in words.indices {
            let mine = spoken.indices.filter { owner[$0] == index }
            guard let first = mine.first, let last = mine.last else { throw SynthesisError.wordAlignment(text: text) }
            result.append(Segment(start: spoken[first].start, end: spoken[last].end, label: words[index]))
        }
        return result
    }

    /// For each phone of `spoken`, the word of the lexicon phone it aligns with (Levenshtein, unit costs;
    /// an inserted phone belongs to the word before it, or the first word at the start).
    static func align(_ spoken: [String], to lexicon: [(phone: String, word: Int)]) -> [Int] {
        let n = spoken.count, m = lexicon.count
        var cost = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in 0...n { cost[i][0] = i }
        for j in 0...m { cost[0][j] = j }
        if n > 0, m > 0 {
            for i in 1...n {
                for j in 1...m {
                    let match = cost[i - 1][j - 1] + (spoken[i - 1] == lexicon[j - 1].phone ? 0 : 1)
                    cost[i][j] = min(match, cost[i - 1][j] + 1, cost[i][j - 1] + 1)
                }
            }
        }
        var owner = [Int](repeating: -1, count: n)
        var i = n, j = m
        while i > 0 {
            if j > 0, cost[i][j] == cost[i - 1][j - 1] + (spoken[i - 1] == lexicon[j - 1].phone ? 0 : 1) {
                owner[i - 1] = lexicon[j - 1].word
                i -= 1
                j -= 1
            } else if j > 0, cost[i][j] == cost[i][j - 1] + 1 {
                j -= 1
            } else {
                owner[i - 1] = -2 // inserted: resolved below
                i -= 1
            }
        }
        var previous = lexicon.first?.word ?? 0
        for k in owner.indices {
            if owner[k] < 0 { owner[k] = previous } else { previous = owner[k] }
        }
        return owner
    }
}
