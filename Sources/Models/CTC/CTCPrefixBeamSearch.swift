import NeuralNet

/// CTC prefix beam search (Graves 2012 §7.3; Hannun et al. 2014): the `beamWidth` most probable label
/// prefixes are kept frame by frame, each with its probability split into paths ending in a blank
/// (p_b) and in its last label (p_nb), so every alignment of a prefix is counted once:
///
///   p_b'(l) = (p_b(l) + p_nb(l)) y_∅,   p_nb'(l) += p_nb(l) y_last,
///   p_nb'(l + k) += (k = last ? p_b(l) : p_b(l) + p_nb(l)) y_k.
///
/// Without pruning (a beam at least the number of prefixes) it finds the most probable labelling
/// exactly. A label's frame is the state where its prefix was first extended by it.
public enum CTCPrefixBeamSearch {
    private struct Entry {
        var blank = -Double.infinity
        var nonBlank = -Double.infinity
        var frames: [Int]
        var total: Double { CTC.logAdd(blank, nonBlank) }
    }

    /// The most probable labelling found with `beamWidth` prefixes over log probabilities [frames, V]
    /// (row-major); its log probability is that of the labelling (summed over its alignments).
    public static func decode(_ logProbabilities: [Float], classes V: Int, blank: Int, beamWidth: Int) -> Hypothesis {
        nbest(logProbabilities, classes: V, blank: blank, beamWidth: beamWidth, count: 1)[0]
    }

    /// The `count` most probable labellings of the final beam at most, most probable first (the first is
    /// `decode`'s); the empty labelling of log p 0 when there are no frames.
    public static func nbest(_ logProbabilities: [Float], classes V: Int, blank: Int, beamWidth: Int,
                             count: Int) -> [Hypothesis] {
        let T = logProbabilities.count / V
        var beams: [[Int]: Entry] = [[]: Entry(blank: 0, frames: [])]
        for t in 0..<T {
            let y = (0..<V).map { Double(logProbabilities[t * V + $0]) }
            var next: [[Int]: Entry] = [:]
            for (prefix, e) in beams {
                let total = e.total
                next[prefix, default: Entry(frames: e.frames)].blank =
                    CTC.logAdd(next[prefix]?.blank ?? -.infinity, total + y[blank])
                if let last = prefix.last {
                    next[prefix]!.nonBlank = CTC.logAdd(next[prefix]!.nonBlank, e.nonBlank + y[last])
                }
                for k in 0..<V where k != blank {
                    let extended = prefix + [k]
                    let p = (k == prefix.last ? e.blank : total) + y[k]
                    if p == -.infinity { continue }
                    let frames = next[extended]?.frames ?? beams[extended]?.frames ?? (e.frames + [t])
                    next[extended, default: Entry(frames: frames)].nonBlank =
                        CTC.logAdd(next[extended]?.nonBlank ?? -.infinity, p)
                }
            }
            beams = Dictionary(uniqueKeysWithValues: ranked(next).prefix(beamWidth).map { ($0, next[$0]!) })
        }
        let result = ranked(beams).prefix(max(count, 1)).map { labels in
            Hypothesis(labels: labels, frames: beams[labels]!.frames, logProbability: Float(beams[labels]!.total))
        }
        return result.isEmpty ? [Hypothesis(labels: [], frames: [], logProbability: 0)] : result
    }

    /// Prefixes by probability, most probable first (ties: shorter, then smaller labels first).
    private static func ranked(_ entries: [[Int]: Entry]) -> [[Int]] {
        entries.keys.sorted { a, b in
            let (pa, pb) = (entries[a]!.total, entries[b]!.total)
            if pa != pb { return pa > pb }
            if a.count != b.count { return a.count < b.count }
            return a.lexicographicallyPrecedes(b)
        }
    }
}
