import Foundation
import Parallelism

/// The outcome of sclite's matched-pairs sentence-segment word error test (MAPSSWE) between systems A and B.
public struct MatchedPairsResult: Codable, Sendable, Equatable {
    /// Utterances compared (present for both systems).
    public var sentences: Int
    /// Segments with at least one error by either system.
    public var segments: Int
    /// Boundary run: segments are cut at `minimumGoodWords` consecutive tokens both systems got right.
    public var minimumGoodWords: Int
    /// Reference tokens in the segments (per segment, the integer mean of the two paths' counts).
    public var segmentReferenceTokens: Int
    /// Errors of A in the segments.
    public var errorsA: Int
    /// Errors of B in the segments.
    public var errorsB: Int
    /// Mean of the per-segment error difference `errorsA − errorsB`.
    public var meanDifference: Double
    /// Sample standard deviation (divisor `n − 1`) of the per-segment difference.
    public var standardDeviation: Double
    /// `Z = mean / (sd / √segments)`; 0 when every difference is equal.
    public var z: Double
    /// Two-tailed p-value under the normal approximation: `erfc(|Z| / √2)`.
    public var pValue: Double

    /// Segment error rate of A in percent (sclite's `% Error`, not the PER).
    public var segmentErrorRateA: Double {
        segmentReferenceTokens == 0 ? 0 : 100 * Double(errorsA) / Double(segmentReferenceTokens)
    }
    /// Segment error rate of B in percent.
    public var segmentErrorRateB: Double {
        segmentReferenceTokens == 0 ? 0 : 100 * Double(errorsB) / Double(segmentReferenceTokens)
    }
    /// Whether the difference is significant at `level` (two-tailed).
    public func isSignificant(at level: Double = 0.05) -> Bool { pValue < level }
}

/// MAPSSWE (Gillick & Cox 1989) as sclite's `sc_stats -t mapsswe` computes it.
///
/// Both systems' alignments to the same reference are walked in step over reference tokens; a segment
/// opens at the first error of either system and closes after `minimumGoodWords` consecutive tokens both
/// got right (keeping `minimumGoodWords − 1` of the preceding correct tokens as its left boundary), or at
/// the end of the utterance (SCTK 2.4's `test_comp_sents`). Segments where neither system erred are dropped. The per-segment error
/// difference is tested with `Z = mean / (sd / √n)`.
public enum MatchedPairsTest {
    /// Per-segment counts: reference tokens, errors of A, errors of B.
    struct Segment: Equatable {
        var reference: Int
        var errorsA: Int
        var errorsB: Int
    }

    /// Runs the test on parallel alignments `a[i]`, `b[i]` of the same reference utterances.
    public static func run(_ a: [[EditOperation]], _ b: [[EditOperation]], minimumGoodWords: Int = 2) -> MatchedPairsResult {
        precondition(a.count == b.count, "both systems need one alignment per utterance")
        var segments: [Segment] = []
        for index in a.indices { collectSegments(a[index], b[index], minimumGood: max(1, minimumGoodWords), into: &segments) }
        let differences = segments.map { Double($0.errorsA - $0.errorsB) }
        let n = Double(differences.count)
        let mean = differences.isEmpty ? 0 : differences.reduce(0, +) / n
        let squares = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        var sd = 0.0, z = 0.0
        if squares != 0 {
            sd = (squares / (n - 1)).squareRoot()
            z = mean / (sd / n.squareRoot())
        }
        return MatchedPairsResult(sentences: a.count, segments: segments.count, minimumGoodWords: minimumGoodWords,
                                  segmentReferenceTokens: segments.reduce(0) { $0 + $1.reference },
                                  errorsA: segments.reduce(0) { $0 + $1.errorsA },
                                  errorsB: segments.reduce(0) { $0 + $1.errorsB },
                                  meanDifference: mean, standardDeviation: sd, z: z, pValue: erfc(abs(z) / 2.0.squareRoot()))
    }

    /// Aligns both systems' pairs (matched by utterance id; utterances present in both) and runs the test.
    public static func compare(_ a: PairedUtterances, _ b: PairedUtterances, costs: CostModel = .sclite,
                               threads: Int = 0, minimumGoodWords: Int = 2) -> MatchedPairsResult {
        var indexInB: [String: Int] = [:]
        for (index, id) in b.ids.enumerated() { indexInB[id] = index }
        let common = a.ids.indices.compactMap { index in indexInB[a.ids[index]].map { (index, $0) } }
        let alignments = Parallel.mapChunks(count: common.count, threads: threads) { range in
            var aligner = Aligner(costs: costs)
            return range.map { position in
                let (i, j) = common[position]
                return (aligner.align(reference: a.references[i], hypothesis: a.hypotheses[i]),
                        aligner.align(reference: b.references[j], hypothesis: b.hypotheses[j]))
            }
        }.flatMap { $0 }
        return run(alignments.map(\.0), alignments.map(\.1), minimumGoodWords: minimumGoodWords)
    }

    /// sclite's segmentation state machine (`test_comp_sents`) over one utterance's two paths.
    ///
    /// Both paths hold the same reference tokens in the same order, so after skipping insertions the two
    /// positions always sit on the same reference token (sclite's re-synchronisation never triggers).
    static func collectSegments(_ p1: [EditOperation], _ p2: [EditOperation], minimumGood: Int,
                                into segments: inout [Segment]) {
        enum State { case beginning, error, good }
        var i1 = 0, i2 = 0, end1 = 0, end2 = 0, good = 0
        var state = State.beginning
        var closed: [(Int, Int, Int, Int)] = []  // (first1, last1, first2, last2) of each segment
        while i1 < p1.count {
            while i1 < p1.count && p1[i1] == .insertion { i1 += 1; state = .error }
            while i2 < p2.count && p2[i2] == .insertion { i2 += 1; state = .error }
            let bothCorrect = i1 < p1.count && p1[i1] == .correct && i2 < p2.count && p2[i2] == .correct
            switch state {
            case .beginning:
                if bothCorrect { end1 = i1; end2 = i2 } else { state = .error }
            case .error, .good:
                if bothCorrect {
                    good = state == .error ? 1 : good + 1
                    if good == minimumGood {
                        closed.append((end1 - (minimumGood - 1), i1, end2 - (minimumGood - 1), i2))
                        end1 = i1; end2 = i2; state = .beginning
                    } else {
                        state = .good
                    }
                } else if state == .good {
                    state = .error
                }
            }
            if i1 < p1.count { i1 += 1 }
            if i2 < p2.count { i2 += 1 }
        }
        // The utterance's end closes an open segment, and one holding B's trailing insertions.
        if state != .beginning || i2 < p2.count {
            closed.append((end1 - (minimumGood - 1), p1.count - 1, end2 - (minimumGood - 1), p2.count - 1))
        }
        for (first1, last1, first2, last2) in closed {
            let (errors1, reference1) = count(p1, from: max(0, first1), through: last1)
            let (errors2, reference2) = count(p2, from: max(0, first2), through: last2)
            if errors1 > 0 || errors2 > 0 {
                segments.append(Segment(reference: (reference1 + reference2) / 2, errorsA: errors1, errorsB: errors2))
            }
        }
    }

    /// Errors (anything but `.correct`) and reference tokens (anything but `.insertion`) in `path[from...through]`.
    private static func count(_ path: [EditOperation], from: Int, through: Int) -> (errors: Int, reference: Int) {
        var errors = 0, reference = 0
        var index = from
        while index <= through && index < path.count {
            if path[index] != .correct { errors += 1 }
            if path[index] != .insertion { reference += 1 }
            index += 1
        }
        return (errors, reference)
    }
}
