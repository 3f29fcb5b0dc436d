import Options

/// What to do with a reference utterance that has no hypothesis line.
public enum MissingHypothesisPolicy: String, Codable, Sendable, Equatable, CaseIterable {
    /// Score it as an empty hypothesis: every reference token a deletion.
    case empty
    /// Leave it out of every count, as sclite does.
    case skip
}

/// Options of `Scorer`.
public struct ScoringOptions: DefaultedOptions, Sendable, Equatable {
    /// Costs and tie rule of the alignment. Default `.sclite` (4/3/3, sclite's ties).
    public var costs: CostModel = .sclite
    /// Treatment of references without a hypothesis. Default `.empty` (all deletions).
    public var missing: MissingHypothesisPolicy = .empty
    /// Tokens whose consecutive repeats collapse into one after mapping, on both sides (e.g. `["sil"]`,
    /// as SpeechBrain's TIMIT recipe). Default `[]` (the standard TIMIT protocol merges nothing).
    public var mergeRepeated: [String] = []
    /// Number of most frequent confusion pairs kept, `0…100000`; 0 skips the traceback. Default 20.
    public var confusionPairs: Int = 20
    /// Whether each utterance's alignment is kept (for REF/HYP/Eval output). Default false.
    public var keepAlignments: Bool = false
    /// Worker threads, `0…1024`; 0 uses every active core. Default 0.
    public var threads: Int = 0

    /// Every field at its default.
    public init() {}

    /// Options with every field at its default unless given.
    public init(costs: CostModel = .sclite, missing: MissingHypothesisPolicy = .empty,
                mergeRepeated: [String] = [], confusionPairs: Int = 20, keepAlignments: Bool = false,
                threads: Int = 0) {
        self.costs = costs
        self.missing = missing
        self.mergeRepeated = mergeRepeated
        self.confusionPairs = confusionPairs
        self.keepAlignments = keepAlignments
        self.threads = threads
    }

    /// Throws an `OptionError` naming the first field out of range.
    public func validate() throws(OptionError) {
        try require(confusionPairs, in: 0...100_000, "confusionPairs")
        try require(threads, in: 0...1024, "threads")
        if let bad = mergeRepeated.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            throw OptionError("mergeRepeated", value: "'\(bad)'", allowed: "tokens without spaces")
        }
    }
}
