/// Pooled scores of one speaker (one row of sclite's system summary).
public struct SpeakerScore: Codable, Sendable, Equatable {
    /// Speaker id.
    public var speaker: String
    /// Scored utterances (#Snt).
    public var sentences: Int
    /// Utterances with at least one error.
    public var sentenceErrors: Int
    /// Pooled C, S, D, I (#Wrd = `counts.referenceTokens`).
    public var counts: ErrorCounts

    /// The row's eight columns: #Snt, #Wrd, then Corr, Sub, Del, Ins, Err, S.Err in percent of #Wrd
    /// (S.Err of #Snt); nil when #Wrd = 0 (sclite prints such a speaker's raw counts instead).
    public var percentages: [Double]? {
        guard counts.referenceTokens > 0 else { return nil }
        let n = Double(counts.referenceTokens)
        return [Double(sentences), n, 100 * Double(counts.correct) / n, 100 * Double(counts.substitutions) / n,
                100 * Double(counts.deletions) / n, 100 * Double(counts.insertions) / n,
                100 * Double(counts.errors) / n,
                sentences == 0 ? 0 : 100 * Double(sentenceErrors) / Double(sentences)]
    }

    /// The row's eight columns as counts: #Snt, #Wrd, C, S, D, I, E, sentences with errors.
    public var countColumns: [Double] {
        [sentences, counts.referenceTokens, counts.correct, counts.substitutions, counts.deletions,
         counts.insertions, counts.errors, sentenceErrors].map(Double.init)
    }
}

/// Mean, sample standard deviation (divisor `n − 1`, 0 for one value) and median of each column.
public struct ColumnStatistics: Codable, Sendable, Equatable {
    /// Unweighted mean of each column over speakers.
    public var mean: [Double]
    /// Sample standard deviation `sqrt(Σ(x − mean)² / (n − 1))` of each column.
    public var standardDeviation: [Double]
    /// Median of each column (mean of the middle two for an even count).
    public var median: [Double]

    /// Statistics of `rows` (`[speakers][columns]`); nil when there are no rows.
    public init?(rows: [[Double]]) {
        guard let width = rows.first?.count else { return nil }
        let n = Double(rows.count)
        mean = []
        standardDeviation = []
        median = []
        for column in 0..<width {
            let values = rows.map { $0[column] }
            let mean = values.reduce(0, +) / n
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let sorted = values.sorted()
            let middle = sorted.count / 2
            self.mean.append(mean)
            standardDeviation.append(rows.count > 1 ? (squares / (n - 1)).squareRoot() : 0)
            median.append(sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2)
        }
    }
}

extension ScoreResult {
    /// One row per speaker, sorted by speaker id.
    public var speakers: [SpeakerScore] {
        var rows: [String: SpeakerScore] = [:]
        for utterance in utterances {
            var row = rows[utterance.speaker]
                ?? SpeakerScore(speaker: utterance.speaker, sentences: 0, sentenceErrors: 0, counts: ErrorCounts())
            row.sentences += 1
            row.sentenceErrors += utterance.counts.errors > 0 ? 1 : 0
            row.counts += utterance.counts
            rows[utterance.speaker] = row
        }
        return rows.values.sorted { $0.speaker < $1.speaker }
    }
}
