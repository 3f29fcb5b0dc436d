import Randomness
import Testing
@testable import Scoring

/// Independent references: plain full-matrix dynamic programmes written for the test.
enum ReferenceAlignment {
    /// Minimum of `s·S + d·D + i·I` over all alignments (no tie rule involved).
    static func minimumCost(_ ref: [Int32], _ hyp: [Int32], sub: Int, del: Int, ins: Int) -> Int {
        var cost = [[Int]](repeating: [Int](repeating: 0, count: hyp.count + 1), count: ref.count + 1)
        for a in 0...ref.count {
            for b in 0...hyp.count {
                if a == 0 { cost[a][b] = b * ins; continue }
                if b == 0 { cost[a][b] = a * del; continue }
                cost[a][b] = min(cost[a - 1][b - 1] + (ref[a - 1] == hyp[b - 1] ? 0 : sub),
                                 cost[a - 1][b] + del, cost[a][b - 1] + ins)
            }
        }
        return cost[ref.count][hyp.count]
    }

    /// Kaldi `compute-wer`'s counts: hypothesis along the outer loop, counts carried per cell, the
    /// diagonal only when strictly cheaper, then deletion if cheaper than insertion.
    static func kaldi(_ ref: [Int32], _ hyp: [Int32]) -> (ins: Int, del: Int, sub: Int) {
        struct Cell { var ins = 0, del = 0, sub = 0, cost = 0 }
        var previous = (0...ref.count).map { Cell(ins: 0, del: $0, sub: 0, cost: $0) }
        for h in hyp {
            var current = previous
            current[0].ins += 1
            current[0].cost += 1
            for r in stride(from: 1, through: ref.count, by: 1) {
                let insCost = previous[r].cost + 1, delCost = current[r - 1].cost + 1
                let subCost = previous[r - 1].cost + (ref[r - 1] == h ? 0 : 1)
                if subCost < insCost && subCost < delCost {
                    current[r] = previous[r - 1]
                    if ref[r - 1] != h { current[r].sub += 1 }
                    current[r].cost = subCost
                } else if delCost < insCost {
                    current[r] = current[r - 1]
                    current[r].del += 1
                    current[r].cost = delCost
                } else {
                    current[r] = previous[r]
                    current[r].ins += 1
                    current[r].cost = insCost
                }
            }
            previous = current
        }
        let last = previous[ref.count]
        return (last.ins, last.del, last.sub)
    }
}

@Suite struct AlignerTests {
    func ids(_ text: String, _ table: TokenTable) -> [Int32] {
        table.ids(text.split(separator: " ").map(String.init))
    }

    @Test func scliteExamplesFromTheReferencePage() {
        let table = TokenTable()
        var sclite = Aligner(costs: .sclite), unit = Aligner(costs: .unit)
        let ref = ids("a b c d e", table), hyp = ids("d e x y z", table)
        #expect(sclite.counts(reference: ref, hypothesis: hyp) == ErrorCounts(correct: 2, deletions: 3, insertions: 3))
        #expect(unit.counts(reference: ref, hypothesis: hyp) == ErrorCounts(substitutions: 5))
        // The first hypothesis `iy` is the insertion: REF: sil b ** iy sil.
        let path = sclite.align(reference: ids("sil b iy sil", table), hypothesis: ids("sil b iy iy sil", table))
        #expect(path == [.correct, .correct, .insertion, .correct, .correct])
        #expect(sclite.counts(reference: [], hypothesis: ids("x", table)) == ErrorCounts(insertions: 1))
        #expect(sclite.counts(reference: ids("x y", table), hypothesis: []) == ErrorCounts(deletions: 2))
    }

    @Test(arguments: [CostModel.sclite, .unit])
    func countsAreMinimalConsistentAndEqualTheTraceback(costs: CostModel) {
        var rng = SplitMix64(seed: 7)
        var aligner = Aligner(costs: costs)
        for _ in 0..<4000 {
            let alphabet = Int32.random(in: 2...6, using: &rng)
            let ref = (0..<Int.random(in: 0...25, using: &rng)).map { _ in Int32.random(in: 0..<alphabet, using: &rng) }
            let hyp = (0..<Int.random(in: 0...25, using: &rng)).map { _ in Int32.random(in: 0..<alphabet, using: &rng) }
            let counts = aligner.counts(reference: ref, hypothesis: hyp)
            let path = aligner.align(reference: ref, hypothesis: hyp)
            #expect(ErrorCounts(path) == counts)
            #expect(counts.referenceTokens == ref.count && counts.hypothesisTokens == hyp.count)
            #expect(counts.correct >= 0 && counts.deletions >= 0 && counts.insertions >= 0)
            let cost = Int(costs.substitution) * counts.substitutions + Int(costs.deletion) * counts.deletions
                + Int(costs.insertion) * counts.insertions
            #expect(cost == ReferenceAlignment.minimumCost(ref, hyp, sub: Int(costs.substitution),
                                                           del: Int(costs.deletion), ins: Int(costs.insertion)))
            // The path replays the two sequences.
            var a = 0, b = 0
            for step in path {
                switch step {
                case .correct: #expect(ref[a] == hyp[b]); a += 1; b += 1
                case .substitution: #expect(ref[a] != hyp[b]); a += 1; b += 1
                case .deletion: a += 1
                case .insertion: b += 1
                }
            }
            #expect(a == ref.count && b == hyp.count)
        }
    }

    @Test func unitCostsSplitErrorsAsKaldiComputeWer() {
        var rng = SplitMix64(seed: 11)
        var aligner = Aligner(costs: .unit)
        var differentFromSclite = 0
        var sclite = Aligner(costs: .sclite)
        for _ in 0..<4000 {
            let ref = (0..<Int.random(in: 0...30, using: &rng)).map { _ in Int32.random(in: 0..<4, using: &rng) }
            let hyp = (0..<Int.random(in: 0...30, using: &rng)).map { _ in Int32.random(in: 0..<4, using: &rng) }
            let counts = aligner.counts(reference: ref, hypothesis: hyp)
            let kaldi = ReferenceAlignment.kaldi(ref, hyp)
            #expect(counts.insertions == kaldi.ins && counts.deletions == kaldi.del && counts.substitutions == kaldi.sub)
            if sclite.counts(reference: ref, hypothesis: hyp) != counts { differentFromSclite += 1 }
        }
        #expect(differentFromSclite > 0, "unit costs should differ from sclite's on some pairs")
    }

    @Test func bufferReuseAcrossLengthsGivesTheSameCounts() {
        var rng = SplitMix64(seed: 5)
        var reused = Aligner()
        for _ in 0..<500 {
            let ref = (0..<Int.random(in: 0...90, using: &rng)).map { _ in Int32.random(in: 0..<5, using: &rng) }
            let hyp = (0..<Int.random(in: 0...90, using: &rng)).map { _ in Int32.random(in: 0..<5, using: &rng) }
            var fresh = Aligner()
            #expect(reused.counts(reference: ref, hypothesis: hyp) == fresh.counts(reference: ref, hypothesis: hyp))
        }
    }
}
