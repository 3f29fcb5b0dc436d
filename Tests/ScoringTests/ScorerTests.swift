import Foundation
import Options
import Testing
@testable import Scoring

@Suite struct ScorerTests {
    func utterances(_ lines: [(String, String)], _ table: TokenTable) -> [Utterance] {
        lines.map { Utterance(id: $0.0, tokens: $0.1.split(separator: " ").map(String.init), table: table) }
    }

    @Test func missingHypothesesAreScoredAsEmptyOrSkipped() throws {
        let table = TokenTable()
        let refs = utterances([("s1_a", "x y z"), ("s1_b", "x y"), ("s2_c", "z")], table)
        let hyps = utterances([("s1_a", "x y q")], table)
        let empty = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: nil,
                                     options: ScoringOptions())
        #expect(empty.missing == ["s1_b", "s2_c"])
        #expect(empty.totals == ErrorCounts(correct: 2, substitutions: 1, deletions: 3))
        #expect(empty.utterances.map(\.missingHypothesis) == [false, true, true])
        #expect(ScoreReport.missingNote(empty)?.contains("scored as empty") == true)
        let skipped = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: nil,
                                       options: ScoringOptions(missing: .skip))
        #expect(skipped.totals == ErrorCounts(correct: 2, substitutions: 1))
        #expect(skipped.utterances.count == 1 && skipped.missing == ["s1_b", "s2_c"])
    }

    @Test func hypothesesWithoutReferenceAreAnErrorListingThem() {
        let table = TokenTable()
        let refs = utterances([("s1_a", "x")], table)
        let hyps = utterances([("s1_a", "x"), ("s9_q", "y"), ("s9_r", "")], table)
        #expect(throws: ScoringError.hypothesesWithoutReference(file: "hyp.trn", ids: ["s9_q", "s9_r"])) {
            try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "hyp.trn", table: table, map: nil,
                             options: ScoringOptions())
        }
    }

    @Test func emptyReferencesCountInsertionsAndLeaveThePerUndefinedWhenAlone() throws {
        let table = TokenTable()
        let refs = utterances([("s1_a", "a b c d"), ("s2_b", "")], table)
        let hyps = utterances([("s1_a", "a b c d e"), ("s2_b", "x y")], table)
        let result = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: nil,
                                      options: ScoringOptions())
        // One speaker with 4 tokens and 1 insertion, one with none and 2: Sum/Avg Err 75.0 %.
        #expect(result.totals == ErrorCounts(correct: 4, insertions: 3))
        #expect(ScoreReport.perLine(result.totals) == "PER 75.00% [S 0 D 0 I 3 / N 4]")
        #expect(result.sentenceErrors == 2)
        let table1 = ScoreReport.summaryTable(result, title: "hyp", percentages: true)
        #expect(table1.contains("75.0"))
        #expect(table1.contains("s2*"))
        let alone = try Scorer.score(references: [refs[1]], hypotheses: [hyps[1]], hypothesisFile: "h", table: table,
                                     map: nil, options: ScoringOptions())
        #expect(ScoreReport.perLine(alone.totals) == "PER undefined [S 0 D 0 I 2 / N 0]")
        #expect(try JSONDecoder().decode(ScoreSummary.self, from: ScoreReport.json(alone)).per == nil)
    }

    @Test func foldingAndMergingApplyToBothSides() throws {
        let table = TokenTable()
        let map = TokenMap(targets: ["h#": "sil", "pau": "sil", "q": nil, "ix": "ih"])
        let refs = utterances([("s1_a", "h# q ix pau h#")], table)
        let hyps = utterances([("s1_a", "sil ih sil")], table)
        let plain = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: map,
                                     options: ScoringOptions())
        #expect(plain.totals == ErrorCounts(correct: 3, deletions: 1))
        let merged = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: map,
                                      options: ScoringOptions(mergeRepeated: ["sil"]))
        #expect(merged.totals == ErrorCounts(correct: 3))
    }

    @Test func confusionPairsAndAlignmentsComeFromTheSclitePath() throws {
        let table = TokenTable()
        let refs = utterances([("s1_a", "a b c"), ("s1_b", "a b"), ("s2_c", "sil b iy sil")], table)
        let hyps = utterances([("s1_a", "a x c"), ("s1_b", "y x"), ("s2_c", "sil b iy iy sil")], table)
        let result = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: nil,
                                      options: ScoringOptions(keepAlignments: true))
        #expect(result.confusionPairs == [ConfusionPair(reference: "b", hypothesis: "x", count: 2),
                                          ConfusionPair(reference: "a", hypothesis: "y", count: 1)])
        let text = ScoreReport.alignments(try #require(result.alignments))
        let lines = text.split(separator: "\n").map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
        let s2 = try #require(lines.firstIndex(of: "id: (s2_c)"))
        #expect(Array(lines[s2...(s2 + 4)]) == ["id: (s2_c)", "Scores: (#C #S #D #I) 4 0 0 1", "REF:  sil b ** iy sil",
                                                "HYP:  sil b iy iy sil", "Eval:       I"])
        let report = ScoreReport.text(result, title: "hyp.trn")
        #expect(report.hasSuffix("PER 44.44% [S 3 D 0 I 1 / N 9]\n"))
        #expect(report.contains("b ==> x"))
    }

    @Test func columnStatisticsUseTheSampleDeviation() throws {
        // sclite's example: speakers with Corr 66.7 % and 80.0 % → Mean 73.3, S.D. 9.4, Median 73.3.
        let stats = try #require(ColumnStatistics(rows: [[2, 9, 200.0 / 3], [2, 5, 80]]))
        #expect(abs(stats.mean[2] - 73.333) < 1e-3)
        #expect(abs(stats.standardDeviation[2] - (40.0 / 3) / 2.0.squareRoot()) < 1e-9)
        #expect(abs(stats.standardDeviation[1] - 8.0.squareRoot()) < 1e-9)
        #expect(stats.median == stats.mean)
        #expect(try #require(ColumnStatistics(rows: [[1], [5], [2]])).median == [2])
    }

    @Test func optionsValidateTheirRanges() {
        #expect(throws: OptionError("confusionPairs", value: -1, allowed: "0...100000")) {
            try ScoringOptions(confusionPairs: -1).validate()
        }
        #expect(throws: OptionError.self) { try ScoringOptions(threads: 5000).validate() }
        #expect(throws: OptionError.self) { try ScoringOptions(mergeRepeated: ["a b"]).validate() }
    }
}
