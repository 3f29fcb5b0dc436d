import Corpus
import Foundation
import Scoring

/// One experiment scored for the report: its totals, per-speaker and per-utterance counts and alignments
/// (folded as its recipe says), and the paired utterances the significance test reuses.
public struct ScoredExperiment: Sendable {
    /// The sclite-identical result, with alignments kept.
    public var result: ScoreResult
    /// The reference/hypothesis pairs it was scored on.
    public var pairs: PairedUtterances
    /// The utterance ids of its test set, sorted (experiments with equal ids share a test set).
    public var testSet: [String]
    /// The alignment of each utterance by id.
    public var alignments: [String: UtteranceAlignment]

    /// Counts of (reference class, hypothesis class) over every aligned token; a deletion counts against
    /// the hypothesis class `"(del)"` and an insertion against the reference class `"(ins)"`.
    public var confusions: [String: [String: Int]] {
        var table: [String: [String: Int]] = [:]
        for alignment in alignments.values {
            for column in alignment.columns {
                table[column.reference ?? "(ins)", default: [:]][column.hypothesis ?? "(del)", default: 0] += 1
            }
        }
        return table
    }
}

/// A MAPSSWE comparison of two experiments (indices into the report's list) on the same test set.
public struct ReportComparison: Sendable {
    /// Index of system A.
    public var a: Int
    /// Index of system B.
    public var b: Int
    /// The matched-pairs sentence-segment word error test of A against B.
    public var test: MatchedPairsResult
}

/// Scores a report's experiments: each against its own manifest, and MAPSSWE between every pair whose
/// test sets hold the same utterances.
public enum ReportScoring {
    /// Each record's score (nil where references or hypotheses are absent or unreadable, with the reason).
    public static func score(_ records: [ExperimentRecord]) -> [Result<ScoredExperiment, ReportError>] {
        records.map { record in
            guard !record.references.isEmpty, let hypothesisFile = record.hypothesisFile else {
                return .failure(.notAnExperiment(path: record.experiment.root.path, reason: "no references or no hypotheses"))
            }
            return score(record, hypotheses: hypothesisFile)
        }
    }

    /// `record`'s references scored against `hypothesisFile`, folded as its recipe says.
    static func score(_ record: ExperimentRecord, hypotheses hypothesisFile: URL) -> Result<ScoredExperiment, ReportError> {
        do {
            let table = TokenTable()
            var options = ScoringOptions()
            options.keepAlignments = true
            let references = ManifestReferences.utterances(record.references, table: table)
            let hypotheses = try ScoreRun.transcripts(hypothesisFile, table: table)
            let pairs = try Scorer.pair(references: references, hypotheses: hypotheses, hypothesisFile: hypothesisFile.path,
                                        table: table, map: try ManifestReferences.timitFold(record.fold), options: options)
            let result = Scorer.score(pairs, table: table, options: options)
            let alignments = Dictionary((result.alignments ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return .success(ScoredExperiment(result: result, pairs: pairs, testSet: record.references.map(\.id).sorted(),
                                             alignments: alignments))
        } catch {
            return .failure(.notAnExperiment(path: hypothesisFile.path, reason: "\(error)"))
        }
    }

    /// Each record's error rate in percent under every search it kept (`ExperimentRecord.searchHypotheses`), by label.
    public static func searchErrorRates(_ records: [ExperimentRecord]) -> [[String: Double]] {
        records.map { record in
            guard !record.references.isEmpty else { return [:] }
            return record.searchHypotheses.compactMapValues { file in
                (try? score(record, hypotheses: file).get())?.result.totals.errorRate
            }
        }
    }

    /// MAPSSWE for every pair i < j of scored experiments on the same test set and fold.
    public static func comparisons(_ scored: [ScoredExperiment?], folds: [PhoneFold]) -> [ReportComparison] {
        var out: [ReportComparison] = []
        for i in scored.indices {
            for j in scored.indices where j > i {
                guard let a = scored[i], let b = scored[j], a.testSet == b.testSet, folds[i] == folds[j] else { continue }
                out.append(ReportComparison(a: i, b: j, test: MatchedPairsTest.compare(a.pairs, b.pairs)))
            }
        }
        return out
    }
}
