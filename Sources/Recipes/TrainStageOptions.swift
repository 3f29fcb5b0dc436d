import Features
import Options
import Scoring
import Models
import Training

/// Options of the `train` stage.
public struct TrainStageOptions: DefaultedOptions, Sendable, Equatable {
    /// The model: its family (`kind`, default `attention`) and that family's shape. The input size and
    /// the label count are set from the features and the 48 training phones.
    public var model = ModelConfig.defaults(for: .attention)
    /// The training loop (epochs, batch size, Adam, clipping, regularisation, early stopping).
    public var training = TrainingConfig()
    /// Normalisation of the features (default: global means and variances of the training set).
    public var cmvn = CmvnOptions(normMeans: true, normVars: true, grouping: .global)
    /// SpecAugment masking of training features; nil (default) for none.
    public var specAugment: SpecAugmentOptions? = nil
    /// Search used for the dev PER after each epoch (default greedy).
    public var devDecoding = DecodingConfig()
    /// Dev utterances whose attention alignment is drawn after each epoch (default 3).
    public var alignmentPlots: Int = 3
    /// Compute threads (default 0: every core).
    public var threads: Int = 0

    /// The defaults.
    public init() {}

    /// Checks every part; an `OptionError`'s key path is relative to this struct (`model.encoder.layers`).
    public func validate() throws {
        try OptionError.within("model") { try model.validate() }
        try OptionError.within("training", training.validate)
        try OptionError.within("cmvn", cmvn.validate)
        if let specAugment { try OptionError.within("specAugment", specAugment.validate) }
        try OptionError.within("devDecoding", devDecoding.validate)
        try require(alignmentPlots >= 0, "alignmentPlots", alignmentPlots, "an integer >= 0")
        try require(threads >= 0, "threads", threads, ">= 0")
    }
}

/// Options of the `decode` stage.
public struct DecodeStageOptions: DefaultedOptions, Sendable, Equatable {
    /// Search (beam width, length normalisation, step limit). Default beam 8 with length normalisation,
    /// as `asr decode`: the best dev PER of the demo models (README), linear time like greedy decoding.
    public var search = DecodingConfig(beamWidth: 8)
    /// Split decoded and scored (default `test`, the core test set).
    public var split = "test"

    /// The defaults.
    public init() {}

    /// Checks every part.
    public func validate() throws(OptionError) {
        try OptionError.within("search", search.validate)
        try require(["train", "dev", "test"].contains(split), "split", split, "train, dev, test")
    }
}

/// Options of the `score` stage.
public struct ScoreStageOptions: DefaultedOptions, Sendable, Equatable {
    /// Folding applied to both sides (default 39, the TIMIT protocol).
    public var fold: PhoneFold = .timit39
    /// Alignment costs, missing hypotheses, report details.
    public var scoring = ScoringOptions()

    /// The defaults.
    public init() {}

    /// Checks every part.
    public func validate() throws(OptionError) { try OptionError.within("scoring", scoring.validate) }
}

extension AttentionKind: RecipeChoice {}
extension RunOffRule: RecipeChoice {}
extension PhoneFold: RecipeChoice {}
extension CostModel: RecipeChoice {}
extension MissingHypothesisPolicy: RecipeChoice {}
