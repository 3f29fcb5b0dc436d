/// Test-time hard monotonic attention ([R17] §2.2, Algorithm 1): each output step scans forward from
/// the previous stop (inclusive) and stops at the first frame whose energy is ≥ 0, i.e. p = σ(e) ≥ 0.5.
///
/// Energies are computed lazily, one frame at a time, so a step costs only the frames it scans and a
/// whole utterance O(max(T, U)) energies; the head never needs frames beyond the one it stops on,
/// which makes the process online.
public struct MonotonicHead: Sendable, Equatable {
    /// Where the head is: scanning from `position` (all frames before it are behind it for good), or
    /// finished after running off the end under the zeros rule.
    public private(set) var position: Int
    /// True once the head has run off the end under `RunOffRule.zeros`: every later step attends nothing.
    public private(set) var isFinished: Bool
    /// The run-off rule applied when a scan reaches the last frame without stopping.
    public let runOff: RunOffRule

    /// A head at frame 0 (α₀ = δ₀).
    public init(runOff: RunOffRule) {
        self.position = 0
        self.isFinished = false
        self.runOff = runOff
    }

    /// Outcome of scanning the frames available so far.
    public enum Scan: Equatable, Sendable {
        /// Stopped on this frame (the context is h_frame).
        case stopped(Int)
        /// Nothing fired and the input has ended: the run-off rule applies; `frame` is the parked
        /// frame under `.stayOnLast`, nil under `.zeros` (zero context).
        case ranOff(frame: Int?)
        /// Nothing fired among the frames available; scanning resumes at `position` when more arrive.
        case needsMoreFrames
    }

    /// Scans frames `scanStart..<available` for the current output step, calling `energy(j)` once per
    /// frame in increasing order, and stops at the first e ≥ 0. `scanStart` is where the previous call
    /// for this step left off (pass `position` from a fresh step). With `inputEnded`, exhausting the
    /// frames applies the run-off rule and ends the step; otherwise the step is left open.
    ///
    /// Returns the scan outcome and, for an open step, the frame to resume from.
    public mutating func scan(
        from scanStart: Int, available: Int, inputEnded: Bool, energy: (Int) throws -> Float
    ) rethrows -> (scan: Scan, resumeAt: Int) {
        if isFinished { return (.ranOff(frame: nil), scanStart) }
        var j = scanStart
        while j < available {
            if try energy(j) >= 0 {
                position = j
                return (.stopped(j), j)
            }
            j += 1
        }
        if !inputEnded { return (.needsMoreFrames, j) }
        switch runOff {
        case .zeros:
            isFinished = true
            return (.ranOff(frame: nil), j)
        case .stayOnLast:
            guard available > 0 else { return (.ranOff(frame: nil), j) }
            position = available - 1
            return (.ranOff(frame: available - 1), j)
        }
    }

    /// One complete step over an utterance of `length` frames: the attended frame, or nil for none.
    public mutating func step(length: Int, energy: (Int) throws -> Float) rethrows -> Int? {
        let (scan, _) = try scan(from: position, available: length, inputEnded: true, energy: energy)
        switch scan {
        case .stopped(let frame): return frame
        case .ranOff(let frame): return frame
        case .needsMoreFrames: return nil
        }
    }

    /// Hard alignment of a whole utterance from its stopping probabilities p [U][T]: the attended
    /// frame of each step, nil where nothing is attended. Stops where p ≥ 0.5.
    public static func alignment(p: [[Float]], runOff: RunOffRule) -> [Int?] {
        var head = MonotonicHead(runOff: runOff)
        return p.map { row in head.step(length: row.count) { row[$0] - 0.5 } }
    }
}
