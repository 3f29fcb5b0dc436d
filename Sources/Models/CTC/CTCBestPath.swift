/// Greedy CTC decoding frame by frame (best path): each frame's most probable class; a phone is
/// emitted on the first frame of each run of it (repeats merged, blanks dropped), so the emission
/// state is the frame of the phone's spike. Offline and online decoding both feed it, so they agree.
public struct CTCBestPath: Sendable {
    /// The blank class.
    public let blank: Int
    /// The decoded labels, the state each was emitted on, and the best path's Σ log p.
    public private(set) var hypothesis = Hypothesis(labels: [], frames: [], logProbability: 0)
    /// States read so far.
    public private(set) var states = 0
    private var previous: Int

    /// An empty decoding with blank class `blank`.
    public init(blank: Int) {
        self.blank = blank
        previous = blank
    }

    /// Reads one state's log probabilities [V]; returns the phone emitted on it, if any.
    public mutating func push(_ row: ArraySlice<Float>) -> Int? {
        let best = argmax(Array(row))
        hypothesis.logProbability += row[row.startIndex + best]
        defer {
            previous = best
            states += 1
        }
        guard best != blank && best != previous else { return nil }
        hypothesis.labels.append(best)
        hypothesis.frames.append(states)
        return best
    }

    /// The best path of log probabilities [frames, V] (row-major).
    public static func decode(_ logProbabilities: [Float], classes: Int, blank: Int) -> Hypothesis {
        var path = CTCBestPath(blank: blank)
        for t in 0..<(logProbabilities.count / classes) {
            _ = path.push(logProbabilities[(t * classes)..<((t + 1) * classes)])
        }
        return path.hypothesis
    }
}
