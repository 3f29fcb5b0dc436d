import Parallelism

/// Reference and hypothesis token sequences matched by utterance id, mapped and ready to align.
public struct PairedUtterances: Sendable {
    /// Utterance ids, in reference order (skipped utterances left out).
    public var ids: [String]
    /// Speaker of each utterance (from the reference).
    public var speakers: [String]
    /// `[utterances][tokens]` mapped reference ids.
    public var references: [[Int32]]
    /// `[utterances][tokens]` mapped hypothesis ids (empty for a missing hypothesis scored as empty).
    public var hypotheses: [[Int32]]
    /// Whether each utterance's hypothesis was missing (and scored as empty).
    public var missingHypothesis: [Bool]
    /// Reference ids that had no hypothesis, in reference order (scored as empty or skipped).
    public var missing: [String]
    /// How the missing ones were treated.
    public var missingPolicy: MissingHypothesisPolicy
}

/// Scores of one utterance.
public struct UtteranceScore: Codable, Sendable, Equatable {
    /// Utterance id.
    public var id: String
    /// Speaker.
    public var speaker: String
    /// Its C, S, D, I.
    public var counts: ErrorCounts
    /// Whether the hypothesis was missing and scored as empty.
    public var missingHypothesis: Bool
}

/// A substitution `reference ==> hypothesis` and how often it occurred.
public struct ConfusionPair: Codable, Sendable, Equatable {
    /// Reference token.
    public var reference: String
    /// Hypothesis token it was replaced by.
    public var hypothesis: String
    /// Number of occurrences.
    public var count: Int
}

/// The alignment of one utterance, as tokens and operations.
public struct UtteranceAlignment: Sendable, Equatable {
    /// Utterance id.
    public var id: String
    /// Reference tokens (after mapping).
    public var reference: [String]
    /// Hypothesis tokens (after mapping).
    public var hypothesis: [String]
    /// The operations, in order.
    public var operations: [EditOperation]
}

/// The outcome of scoring one system.
public struct ScoreResult: Sendable {
    /// Per-utterance scores, in reference order.
    public var utterances: [UtteranceScore]
    /// Reference ids without a hypothesis.
    public var missing: [String]
    /// How those were treated.
    public var missingPolicy: MissingHypothesisPolicy
    /// The options used.
    public var options: ScoringOptions
    /// The most frequent substitutions, most frequent first (ties by reference, then hypothesis token).
    public var confusionPairs: [ConfusionPair]
    /// Number of distinct substitution pairs (before keeping the top ones).
    public var distinctConfusionPairs: Int
    /// Per-utterance alignments, parallel to `utterances`, when `options.keepAlignments`.
    public var alignments: [UtteranceAlignment]?

    /// Pooled counts over every scored utterance.
    public var totals: ErrorCounts { utterances.reduce(ErrorCounts()) { $0 + $1.counts } }
    /// Number of utterances with at least one error.
    public var sentenceErrors: Int { utterances.reduce(0) { $0 + ($1.counts.errors > 0 ? 1 : 0) } }
}

/// Matches, maps and aligns transcripts; the entry point of the module.
public enum Scorer {
    /// Matches `hypotheses` to `references` by id and applies `map` and `options.mergeRepeated`.
    ///
    /// - Throws: `ScoringError.hypothesesWithoutReference` listing hypothesis ids not in `references`
    ///   (`hypothesisFile` names the file), `ScoringError.duplicateReference` for a reference id given twice.
    public static func pair(references: [Utterance], hypotheses: [Utterance], hypothesisFile: String,
                            table: TokenTable, map: TokenMap?, options: ScoringOptions) throws -> PairedUtterances {
        try options.validate()
        var referenceIndex: [String: Int] = [:]
        referenceIndex.reserveCapacity(references.count)
        for (index, reference) in references.enumerated() where referenceIndex.updateValue(index, forKey: reference.id) != nil {
            throw ScoringError.duplicateReference(id: reference.id)
        }
        var hypothesisOf = [Int](repeating: -1, count: references.count)
        var unknown: [String] = []
        for (index, hypothesis) in hypotheses.enumerated() {
            if let reference = referenceIndex[hypothesis.id] { hypothesisOf[reference] = index } else { unknown.append(hypothesis.id) }
        }
        if !unknown.isEmpty { throw ScoringError.hypothesesWithoutReference(file: hypothesisFile, ids: unknown) }

        let merged = Set(options.mergeRepeated.map { table.id($0) })
        let lookup = map?.compile(into: table)
        func normalised(_ tokens: [Int32]) -> [Int32] {
            var result = tokens
            if let lookup {
                result = []
                result.reserveCapacity(tokens.count)
                for token in tokens {
                    let mapped = Int(token) < lookup.count ? lookup[Int(token)] : token
                    if mapped >= 0 { result.append(mapped) }
                }
            }
            return mergingRepeats(of: merged, in: result)
        }
        var pairs = PairedUtterances(ids: [], speakers: [], references: [], hypotheses: [], missingHypothesis: [],
                                     missing: [], missingPolicy: options.missing)
        for (index, reference) in references.enumerated() {
            let hypothesis = hypothesisOf[index]
            if hypothesis < 0 {
                pairs.missing.append(reference.id)
                if options.missing == .skip { continue }
            }
            pairs.ids.append(reference.id)
            pairs.speakers.append(reference.speaker)
            pairs.references.append(normalised(reference.tokens))
            pairs.hypotheses.append(hypothesis < 0 ? [] : normalised(hypotheses[hypothesis].tokens))
            pairs.missingHypothesis.append(hypothesis < 0)
        }
        return pairs
    }

    /// Aligns every pair (in parallel) and collects counts, confusion pairs and, on request, alignments.
    public static func score(_ pairs: PairedUtterances, table: TokenTable, options: ScoringOptions) -> ScoreResult {
        let traceback = options.confusionPairs > 0 || options.keepAlignments
        let references = pairs.references, hypotheses = pairs.hypotheses
        let costs = options.costs, keep = options.keepAlignments
        let chunks = Parallel.mapChunks(count: references.count, threads: options.threads) { range in
            var aligner = Aligner(costs: costs)
            var counts: [ErrorCounts] = []
            counts.reserveCapacity(range.count)
            var confusions: [Int64: Int] = [:]
            var operations: [[EditOperation]] = []
            for index in range {
                let reference = references[index], hypothesis = hypotheses[index]
                guard traceback else {
                    counts.append(aligner.counts(reference: reference, hypothesis: hypothesis))
                    continue
                }
                let path = aligner.align(reference: reference, hypothesis: hypothesis)
                counts.append(ErrorCounts(path))
                var a = 0, b = 0
                for step in path {
                    switch step {
                    case .correct: a += 1; b += 1
                    case .substitution:
                        confusions[Int64(reference[a]) << 32 | Int64(hypothesis[b]), default: 0] += 1
                        a += 1; b += 1
                    case .deletion: a += 1
                    case .insertion: b += 1
                    }
                }
                if keep { operations.append(path) }
            }
            return (counts, confusions, operations)
        }
        var utterances: [UtteranceScore] = []
        utterances.reserveCapacity(references.count)
        var confusions: [Int64: Int] = [:]
        var operations: [[EditOperation]] = []
        for (counts, chunkConfusions, chunkOperations) in chunks {
            for count in counts {
                let index = utterances.count
                utterances.append(UtteranceScore(id: pairs.ids[index], speaker: pairs.speakers[index], counts: count,
                                                 missingHypothesis: pairs.missingHypothesis[index]))
            }
            confusions.merge(chunkConfusions, uniquingKeysWith: +)
            operations.append(contentsOf: chunkOperations)
        }
        let ranked = confusions.map { key, count in
            ConfusionPair(reference: table.token(Int32(key >> 32)), hypothesis: table.token(Int32(key & 0xFFFF_FFFF)),
                          count: count)
        }.sorted {
            ($0.count, $1.reference, $1.hypothesis) > ($1.count, $0.reference, $0.hypothesis)
        }
        let alignments: [UtteranceAlignment]? = keep ? operations.indices.map { index in
            UtteranceAlignment(id: pairs.ids[index], reference: table.tokens(references[index]),
                               hypothesis: table.tokens(hypotheses[index]), operations: operations[index])
        } : nil
        return ScoreResult(utterances: utterances, missing: pairs.missing, missingPolicy: pairs.missingPolicy,
                           options: options, confusionPairs: Array(ranked.prefix(options.confusionPairs)),
                           distinctConfusionPairs: ranked.count, alignments: alignments)
    }

    /// Pairs and scores in one step (see `pair` and `score`).
    public static func score(references: [Utterance], hypotheses: [Utterance], hypothesisFile: String,
                             table: TokenTable, map: TokenMap?, options: ScoringOptions) throws -> ScoreResult {
        let pairs = try pair(references: references, hypotheses: hypotheses, hypothesisFile: hypothesisFile,
                             table: table, map: map, options: options)
        return score(pairs, table: table, options: options)
    }
}
