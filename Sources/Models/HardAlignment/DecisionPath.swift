/// One emit/ingest trajectory b_1..b_T (T = m + n) over m input positions and n target tokens, with
/// which of its decisions were forced.
///
/// Rules (the reference leaves them open; this toolkit's choice): before step t the trajectory reads
/// position I(t) (0-based here) and has emitted O(t−1) tokens. If O(t−1) = n it must ingest; if
/// I(t) = m − 1 (the last position) and O(t−1) < n it must emit. Every other decision is free.
public struct DecisionPath: Sendable, Equatable, Hashable {
    /// Input positions m.
    public let positions: Int
    /// Target tokens n.
    public let tokens: Int
    /// b_t: true = emit, false = ingest; T = m + n entries.
    public private(set) var decisions: [Bool] = []
    /// Whether b_t was forced by the rules above.
    public private(set) var forced: [Bool] = []
    /// The position read at the next step, I(t + 1) (0-based).
    public private(set) var position = 0
    /// Tokens emitted so far, O(t).
    public private(set) var emitted = 0

    /// An empty trajectory over `positions` ≥ 1 inputs and `tokens` targets.
    public init(positions: Int, tokens: Int) {
        precondition(positions >= 1 && tokens >= 0, "a decision path needs ≥ 1 input position and ≥ 0 tokens")
        self.positions = positions
        self.tokens = tokens
    }

    /// Steps T = m + n.
    public var length: Int { positions + tokens }
    /// Whether all T decisions are taken.
    public var isComplete: Bool { decisions.count == length }

    /// The forced next decision (true = emit), or nil when it is free.
    public var forcedNext: Bool? {
        if emitted == tokens { return false }
        if position == positions - 1 { return true }
        return nil
    }

    /// Takes the next decision (`emit`), which must agree with a forced one.
    public mutating func append(_ emit: Bool) {
        precondition(!isComplete, "the path already has its \(length) decisions")
        let rule = forcedNext
        precondition(rule == nil || rule == emit, "decision \(emit ? "emit" : "ingest") breaks the forcing rule at step \(decisions.count)")
        decisions.append(emit)
        forced.append(rule != nil)
        if emit { emitted += 1 } else { position += 1 }
    }

    /// The path of `decisions` (a full valid string).
    public init(positions: Int, tokens: Int, decisions: [Bool]) {
        self.init(positions: positions, tokens: tokens)
        for b in decisions { append(b) }
        precondition(isComplete, "\(decisions.count) decisions for \(length) steps")
    }

    /// Per step t (0-based): the position read I(t) and the tokens emitted before it O(t−1).
    public var steps: [(position: Int, emittedBefore: Int)] {
        var i = 0, o = 0
        return decisions.map { b in
            defer { if b { o += 1 } else { i += 1 } }
            return (i, o)
        }
    }

    /// O(t) for t = 0…T (O(0) = 0): tokens emitted after each step.
    public var emittedCounts: [Int] {
        var counts = [0]
        for b in decisions { counts.append(counts.last! + (b ? 1 : 0)) }
        return counts
    }

    /// Every valid complete path over `positions` and `tokens`, in lexicographic order (ingest first);
    /// C(m + n − 1, n) of them.
    public static func all(positions: Int, tokens: Int) -> [DecisionPath] {
        var result: [DecisionPath] = []
        func extend(_ path: DecisionPath) {
            if path.isComplete { result.append(path); return }
            if let rule = path.forcedNext {
                var next = path; next.append(rule); extend(next)
            } else {
                for b in [false, true] { var next = path; next.append(b); extend(next) }
            }
        }
        extend(DecisionPath(positions: positions, tokens: tokens))
        return result
    }
}
