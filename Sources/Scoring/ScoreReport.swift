import Foundation

/// Text and JSON renderings of a `ScoreResult`: sclite-style summary tables, confusion pairs,
/// REF/HYP/Eval alignments and the one-line PER.
public enum ScoreReport {
    /// `PER 18.52% [S 812 D 345 I 179 / N 7215]`, with `PER undefined` when N = 0.
    public static func perLine(_ counts: ErrorCounts) -> String {
        let rate = counts.errorRate.map { String(format: "%.2f%%", $0) } ?? "undefined"
        return "PER \(rate) [S \(counts.substitutions) D \(counts.deletions) I \(counts.insertions) / N \(counts.referenceTokens)]"
    }

    /// The full text report: percentage and count tables by speaker, totals, missing hypotheses and the
    /// most frequent confusion pairs. `title` heads the tables (sclite prints the hypothesis file name).
    public static func text(_ result: ScoreResult, title: String) -> String {
        var out = summaryTable(result, title: title, percentages: true) + "\n"
        out += summaryTable(result, title: title, percentages: false) + "\n"
        let totals = result.totals
        out += "Scored \(result.utterances.count) utterances, \(totals.referenceTokens) reference tokens, "
            + "\(totals.hypothesisTokens) hypothesis tokens; costs \(result.options.costs.rawValue)"
            + " (sub \(result.options.costs.substitution), del \(result.options.costs.deletion), ins \(result.options.costs.insertion)).\n"
        out += missingNote(result).map { $0 + "\n" } ?? ""
        if result.options.confusionPairs > 0 {
            out += "\nCONFUSION PAIRS (\(result.confusionPairs.count) most frequent of \(result.distinctConfusionPairs) distinct, "
                + "\(totals.substitutions) substitutions)\n\n"
            for (rank, pair) in result.confusionPairs.enumerated() {
                out += String(format: "%4d: %5d  ->  ", rank + 1, pair.count) + "\(pair.reference) ==> \(pair.hypothesis)\n"
            }
        }
        if !result.missing.isEmpty {
            out += "\nREFERENCE UTTERANCES WITHOUT A HYPOTHESIS (\(result.missing.count))\n\n"
            out += result.missing.joined(separator: "\n") + "\n"
        }
        return out + "\n" + perLine(totals) + "\n"
    }

    /// One line on how missing hypotheses were treated; nil when none was missing.
    public static func missingNote(_ result: ScoreResult) -> String? {
        guard !result.missing.isEmpty else { return nil }
        let shown = result.missing.prefix(10).joined(separator: " ")
        let more = result.missing.count > 10 ? " … (\(result.missing.count - 10) more)" : ""
        let treatment = result.missingPolicy == .empty
            ? "scored as empty (every reference token a deletion)" : "skipped, as sclite does"
        return "\(result.missing.count) reference utterance(s) had no hypothesis, \(treatment): \(shown)\(more)"
    }

    /// sclite's `-o sum` (percentages) or `-o rsum` (counts) table by speaker, with Sum/Avg and the
    /// Mean, S.D. and Median over speakers that have reference tokens.
    public static func summaryTable(_ result: ScoreResult, title: String, percentages: Bool) -> String {
        let speakers = result.speakers
        func cells(_ values: [Double], decimals: [Int]) -> [String] {
            zip(values, decimals).map { String(format: "%.\($1)f", $0) }
        }
        let countDecimals = [Int](repeating: 0, count: 8)
        let percentDecimals = [0, 0, 1, 1, 1, 1, 1, 1]
        var body: [[String]] = []
        var emptySpeakers = false
        var statisticRows: [[Double]] = []
        for speaker in speakers {
            if percentages, let row = speaker.percentages {
                body.append([speaker.speaker] + cells(row, decimals: percentDecimals))
                statisticRows.append(row)
            } else {
                let marked = percentages ? "*" : ""
                if percentages { emptySpeakers = true }
                body.append([speaker.speaker + marked] + cells(speaker.countColumns, decimals: countDecimals))
                if !percentages { statisticRows.append(speaker.countColumns) }
            }
        }
        let all = SpeakerScore(speaker: percentages ? "Sum/Avg" : "Sum", sentences: result.utterances.count,
                               sentenceErrors: result.sentenceErrors, counts: result.totals)
        let sumRow: [String]
        if percentages {
            let row = all.percentages ?? [Double(all.sentences), 0, 0, 0, 0, 0, 0, 0]
            sumRow = [all.speaker] + cells(row, decimals: percentDecimals)
        } else {
            sumRow = [all.speaker] + cells(all.countColumns, decimals: countDecimals)
        }
        var statistics: [[String]] = []
        if let stats = ColumnStatistics(rows: statisticRows) {
            let oneDecimal = [Int](repeating: 1, count: 8)
            statistics = [["Mean"] + cells(stats.mean, decimals: oneDecimal),
                          ["S.D."] + cells(stats.standardDeviation, decimals: oneDecimal),
                          ["Median"] + cells(stats.median, decimals: oneDecimal)]
        }
        let header = ["SPKR", "# Snt", "# Wrd", "Corr", "Sub", "Del", "Ins", "Err", "S.Err"]
        let everything = [header] + body + [sumRow] + statistics
        var widths = [Int](repeating: 0, count: 9)
        for row in everything { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        widths[0] = max(widths[0], 6)
        for column in 1..<9 { widths[column] = max(widths[column], 5) }
        func line(_ row: [String], centreName: Bool = false) -> String {
            let name = centreName ? centred(row[0], widths[0]) : row[0].padding(toLength: widths[0], withPad: " ", startingAt: 0)
            let group1 = (1...2).map { leftPadded(row[$0], widths[$0]) }.joined(separator: " ")
            let group2 = (3...8).map { leftPadded(row[$0], widths[$0]) }.joined(separator: "  ")
            return "| \(name) | \(group1) | \(group2) |"
        }
        let width = line(header).count
        let rule = "|" + String(repeating: "-", count: width - 2) + "|"
        let double = "|" + String(repeating: "=", count: width - 2) + "|"
        let speakerRule = "|" + String(line(header).map { $0 == "|" ? "+" : "-" }.dropFirst().dropLast()) + "|"
        var out = centred("SYSTEM SUMMARY \(percentages ? "PERCENTAGES" : "COUNTS") by SPEAKER", width) + "\n\n"
        out += "," + String(repeating: "-", count: width - 2) + ".\n"
        out += "|" + centred(title, width - 2) + "|\n" + rule + "\n" + line(header) + "\n"
        for row in body { out += speakerRule + "\n" + line(row) + "\n" }
        out += double + "\n" + line(sumRow) + "\n" + double + "\n"
        for row in statistics { out += line(row, centreName: true) + "\n" }
        out += "`" + String(repeating: "-", count: width - 2) + "'\n"
        if emptySpeakers {
            out += "* speaker with no reference tokens: counts instead of percentages; left out of Mean, S.D., Median\n"
        }
        if percentages && all.counts.referenceTokens == 0 {
            out += "No reference tokens: the error rate is undefined (\(all.counts.insertions) insertions).\n"
        }
        return out
    }

    /// Per-utterance alignments in sclite's `pralign` layout: `id:`, `Scores: (#C #S #D #I)`, then REF,
    /// HYP and Eval lines with `*` for gaps and `S`, `D`, `I` under the erroneous tokens.
    public static func alignments(_ alignments: [UtteranceAlignment]) -> String {
        var out = ""
        for alignment in alignments {
            let counts = ErrorCounts(alignment.operations)
            var ref: [String] = [], hyp: [String] = [], eval: [String] = []
            for (r, h, operation) in alignment.columns {
                let width = max(r?.count ?? 1, h?.count ?? 1)
                ref.append((r ?? String(repeating: "*", count: width)).padding(toLength: width, withPad: " ", startingAt: 0))
                hyp.append((h ?? String(repeating: "*", count: width)).padding(toLength: width, withPad: " ", startingAt: 0))
                let mark: String
                switch operation {
                case .correct: mark = ""
                case .substitution: mark = "S"
                case .deletion: mark = "D"
                case .insertion: mark = "I"
                }
                eval.append(mark.padding(toLength: width, withPad: " ", startingAt: 0))
            }
            out += "id: (\(alignment.id))\n"
            out += "Scores: (#C #S #D #I) \(counts.correct) \(counts.substitutions) \(counts.deletions) \(counts.insertions)\n"
            out += "REF:  " + ref.joined(separator: " ") + "\n"
            out += "HYP:  " + hyp.joined(separator: " ") + "\n"
            out += "Eval: " + eval.joined(separator: " ") + "\n\n"
        }
        return out
    }

    /// The totals, per-speaker counts, missing ids and confusion pairs as pretty-printed JSON.
    public static func json(_ result: ScoreResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(ScoreSummary(result))
    }

    /// Two systems' summaries and the MAPSSWE test between them as pretty-printed JSON
    /// (`{"a": …, "b": …, "mapsswe": …}`).
    public static func comparisonJSON(_ a: ScoreResult, _ b: ScoreResult, _ test: MatchedPairsResult) throws -> Data {
        struct Comparison: Codable {
            var a: ScoreSummary
            var b: ScoreSummary
            var mapsswe: MatchedPairsResult
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Comparison(a: ScoreSummary(a), b: ScoreSummary(b), mapsswe: test))
    }

    /// `text` centred in `width` columns.
    private static func centred(_ text: String, _ width: Int) -> String {
        let left = max(0, (width - text.count) / 2)
        return (String(repeating: " ", count: left) + text).padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }

    /// `text` right-aligned in `width` columns.
    private static func leftPadded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// The JSON form of a score: totals, PER (null when undefined), speakers, missing ids, confusion pairs.
public struct ScoreSummary: Codable, Sendable, Equatable {
    /// Phone error rate in percent, `100 · (S + D + I) / N`; nil when N = 0.
    public var per: Double?
    /// Pooled C, S, D, I.
    public var totals: ErrorCounts
    /// Reference tokens N.
    public var referenceTokens: Int
    /// Errors S + D + I.
    public var errors: Int
    /// Scored utterances.
    public var sentences: Int
    /// Utterances with at least one error.
    public var sentenceErrors: Int
    /// Cost model used.
    public var costs: CostModel
    /// Treatment of missing hypotheses.
    public var missingPolicy: MissingHypothesisPolicy
    /// Reference ids without a hypothesis.
    public var missing: [String]
    /// Per-speaker rows.
    public var speakers: [SpeakerScore]
    /// Most frequent substitutions.
    public var confusionPairs: [ConfusionPair]

    /// The summary of `result`.
    public init(_ result: ScoreResult) {
        let totals = result.totals
        per = totals.errorRate
        self.totals = totals
        referenceTokens = totals.referenceTokens
        errors = totals.errors
        sentences = result.utterances.count
        sentenceErrors = result.sentenceErrors
        costs = result.options.costs
        missingPolicy = result.missingPolicy
        missing = result.missing
        speakers = result.speakers
        confusionPairs = result.confusionPairs
    }
}
