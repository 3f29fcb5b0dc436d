/// One step of an alignment: what happened to a reference token, or an inserted hypothesis token.
public enum EditOperation: UInt8, Codable, Sendable, Equatable {
    /// Reference and hypothesis tokens are equal.
    case correct
    /// A reference token aligned to a different hypothesis token.
    case substitution
    /// A reference token with no hypothesis token.
    case deletion
    /// A hypothesis token with no reference token.
    case insertion
}

/// Minimum-cost alignment of a reference and a hypothesis token sequence under a `CostModel`.
///
/// The dynamic programme has the reference along rows `a = 1…R` and the hypothesis along columns
/// `b = 1…H`; every cell keeps one predecessor chosen by `CostModel`'s rule, exactly as sclite's
/// `net_dp.c` does. `counts` carries `(cost, substitutions)` of the chosen path forward one line at a
/// time along the shorter sequence (memory `O(min(R, H))`); D, I and C follow from
/// `cost = s·S + d·D + i·I`, `D − I = R − H` and `C = R − S − D`. `align` keeps the `(R+1)×(H+1)`
/// predecessor matrix and backtraces it. Buffers are reused between calls: use one aligner per thread.
public struct Aligner: Sendable {
    /// The costs and tie rule.
    public let costs: CostModel
    /// Packed `cost << 32 | substitutions` of one line of cells.
    private var line: [Int64] = []
    /// Cost of one row of cells (traceback mode).
    private var costRow: [Int32] = []
    /// `[(R+1)·(H+1)]` predecessors, row-major: 0 diagonal, 1 deletion (up), 2 insertion (left).
    private var pointers: [UInt8] = []

    /// An aligner with `costs`.
    public init(costs: CostModel = .sclite) { self.costs = costs }

    /// C, S, D and I of the alignment of `hypothesis` to `reference`.
    public mutating func counts(reference: [Int32], hypothesis: [Int32]) -> ErrorCounts {
        reference.withUnsafeBufferPointer { ref in
            hypothesis.withUnsafeBufferPointer { hyp in counts(reference: ref, hypothesis: hyp) }
        }
    }

    /// C, S, D and I of the alignment of `hypothesis` to `reference` (token ids).
    public mutating func counts(reference: UnsafeBufferPointer<Int32>,
                                hypothesis: UnsafeBufferPointer<Int32>) -> ErrorCounts {
        let r = reference.count, h = hypothesis.count
        if r == 0 || h == 0 { return ErrorCounts(deletions: r, insertions: h) }
        let packed: Int64
        if h <= r {
            packed = sweep(outer: reference, inner: hypothesis, upIsDeletion: true)
        } else {
            packed = sweep(outer: hypothesis, inner: reference, upIsDeletion: false)
        }
        let cost = Int(packed >> 32), subs = Int(packed & 0xFFFF_FFFF)
        let s = Int(costs.substitution), d = Int(costs.deletion), i = Int(costs.insertion)
        let insertions = (cost - s * subs - d * (r - h)) / (d + i)
        let deletions = insertions + r - h
        return ErrorCounts(correct: r - subs - deletions, substitutions: subs,
                           deletions: deletions, insertions: insertions)
    }

    /// Runs the programme with `outer` along rows and `inner` along a reused line; returns the packed
    /// `(cost, substitutions)` of the last cell. `upIsDeletion` says whether rows are the reference.
    @inline(__always)
    private mutating func sweep(outer: UnsafeBufferPointer<Int32>, inner: UnsafeBufferPointer<Int32>,
                                upIsDeletion: Bool) -> Int64 {
        let n = inner.count
        if line.count < n + 1 { line = Array(repeating: 0, count: n + 1) }
        let subStep = Int64(costs.substitution) << 32 | 1
        let delStep = Int64(costs.deletion) << 32, insStep = Int64(costs.insertion) << 32
        let upStep = upIsDeletion ? delStep : insStep, leftStep = upIsDeletion ? insStep : delStep
        // The rule, rewritten so that only one compare-and-select depends on the cell to the left: off that
        // chain, the diagonal meets the upper candidate (it wins ties unless `strict`), giving the winner `t`
        // and the least left-candidate cost `k` at which `t` still wins. An upper deletion beats the
        // left insertion only when strictly cheaper (+1); an upper insertion loses ties to the left deletion.
        let strict: Int64 = costs.diagonalWinsTies ? 0 : 1
        let upBonus: Int64 = upIsDeletion ? 1 : 0
        @inline(__always) func cell(diag: Int64, up: Int64, left: Int64, same: Int64) -> Int64 {
            let viaDiag = diag &+ (subStep & same)
            let viaUp = up &+ upStep
            let dc = viaDiag >> 32, uc = viaUp >> 32
            let diagWins = dc < uc &+ 1 &- strict
            let t = diagWins ? viaDiag : viaUp
            let k = (diagWins ? dc &+ strict : uc &+ upBonus) << 32
            let viaLeft = left &+ leftStep
            return viaLeft < k ? viaLeft : t
        }
        return line.withUnsafeMutableBufferPointer { cells in
            for b in 0...n { cells[b] = Int64(b) &* leftStep }
            // Two rows per pass: their chains are independent enough for the processor to overlap them.
            var a = 1
            while a < outer.count {
                var diag1 = cells[0], left1 = Int64(a) &* upStep
                var diag2 = left1, left2 = Int64(a + 1) &* upStep
                cells[0] = left2
                let token1 = outer[a - 1], token2 = outer[a]
                var b = 1
                while b <= n {
                    let up1 = cells[b], symbol = inner[b &- 1]
                    let first = cell(diag: diag1, up: up1, left: left1, same: mismatchMask(token1, symbol))
                    let second = cell(diag: diag2, up: first, left: left2, same: mismatchMask(token2, symbol))
                    cells[b] = second
                    diag1 = up1; left1 = first
                    diag2 = first; left2 = second
                    b &+= 1
                }
                a &+= 2
            }
            if a == outer.count {
                var diag = cells[0], left = Int64(a) &* upStep
                cells[0] = left
                let token = outer[a - 1]
                var b = 1
                while b <= n {
                    let up = cells[b]
                    let chosen = cell(diag: diag, up: up, left: left, same: mismatchMask(token, inner[b &- 1]))
                    cells[b] = chosen
                    left = chosen
                    diag = up
                    b &+= 1
                }
            }
            return cells[n]
        }
    }

    /// The alignment of `hypothesis` to `reference` as operations in order (sclite's path).
    ///
    /// Reference tokens are consumed by `.correct`, `.substitution` and `.deletion`; hypothesis tokens by
    /// `.correct`, `.substitution` and `.insertion`.
    public mutating func align(reference: [Int32], hypothesis: [Int32]) -> [EditOperation] {
        reference.withUnsafeBufferPointer { ref in
            hypothesis.withUnsafeBufferPointer { hyp in align(reference: ref, hypothesis: hyp) }
        }
    }

    /// The alignment of `hypothesis` to `reference` (token ids) as operations in order.
    public mutating func align(reference: UnsafeBufferPointer<Int32>,
                               hypothesis: UnsafeBufferPointer<Int32>) -> [EditOperation] {
        let r = reference.count, h = hypothesis.count
        let width = h + 1
        if pointers.count < (r + 1) * width { pointers = Array(repeating: 0, count: (r + 1) * width) }
        if costRow.count < width { costRow = Array(repeating: 0, count: width) }
        let sub = costs.substitution, del = costs.deletion, ins = costs.insertion
        let strict: Int32 = costs.diagonalWinsTies ? 0 : 1
        /// One cell as in `sweep` (one compare-and-select on the chain through `left`) and its pointer.
        @inline(__always) func cell(diag: Int32, up: Int32, left: Int32, same: Int64) -> (Int32, UInt8) {
            let viaDiag = diag &+ (sub & Int32(truncatingIfNeeded: same))
            let viaDel = up &+ del
            let diagWins = viaDiag < viaDel &+ 1 &- strict
            let t = diagWins ? viaDiag : viaDel
            let k = diagWins ? viaDiag &+ strict : viaDel &+ 1
            let viaIns = left &+ ins
            let insWins = viaIns < k
            return (insWins ? viaIns : t, insWins ? 2 : (diagWins ? 0 : 1))
        }
        pointers.withUnsafeMutableBufferPointer { back in
            costRow.withUnsafeMutableBufferPointer { row in
                for b in 0...h {
                    row[b] = Int32(b) * ins
                    back[b] = 2
                }
                guard r > 0 else { return }
                for a in 1...r {
                    var diag = row[0], left = Int32(a) &* del
                    row[0] = left
                    back[a * width] = 1
                    let token = reference[a - 1]
                    let pointerRow = back.baseAddress! + a * width
                    var b = 1
                    while b <= h {
                        let up = row[b]
                        let (chosen, code) = cell(diag: diag, up: up, left: left, same: mismatchMask(token, hypothesis[b &- 1]))
                        row[b] = chosen
                        pointerRow[b] = code
                        left = chosen
                        diag = up
                        b &+= 1
                    }
                }
            }
        }
        var operations: [EditOperation] = []
        operations.reserveCapacity(max(r, h))
        var a = r, b = h
        while a > 0 || b > 0 {
            switch pointers[a * width + b] {
            case 0:
                operations.append(reference[a - 1] == hypothesis[b - 1] ? .correct : .substitution)
                a -= 1
                b -= 1
            case 1:
                operations.append(.deletion)
                a -= 1
            default:
                operations.append(.insertion)
                b -= 1
            }
        }
        operations.reverse()
        return operations
    }
}

/// All ones when `a != b`, zero when equal, without a branch: `-((x | -x) >> 31)` for `x = a ^ b`.
@inline(__always)
private func mismatchMask(_ a: Int32, _ b: Int32) -> Int64 {
    let x = UInt32(bitPattern: a ^ b)
    return 0 &- Int64((x | (0 &- x)) >> 31)
}

extension ErrorCounts {
    /// The counts of an alignment's operations.
    public init(_ operations: [EditOperation]) {
        self.init()
        for operation in operations {
            switch operation {
            case .correct: correct += 1
            case .substitution: substitutions += 1
            case .deletion: deletions += 1
            case .insertion: insertions += 1
            }
        }
    }
}
