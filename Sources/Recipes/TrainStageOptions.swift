import Features
import Scoring
import Models
import Training

/// Options of the `train` stage.
public struct TrainStageOptions: Codable, Sendable, Equatable {
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

    /// Checks every part.
    public func validate() throws {
        try model.validate()
        try training.validate()
        try cmvn.validate()
        try specAugment?.validate()
        try devDecoding.validate()
        guard alignmentPlots >= 0 else {
            throw StageError.badData(stage: "train", message: "alignmentPlots = \(alignmentPlots); allowed: an integer >= 0")
        }
        guard threads >= 0 else { throw StageError.badData(stage: "train", message: "threads = \(threads); allowed: >= 0") }
    }
}

/// Options of the `decode` stage.
public struct DecodeStageOptions: Codable, Sendable, Equatable {
    /// Search (beam width, length normalisation, step limit). Default greedy.
    public var search = DecodingConfig()
    /// Split decoded and scored (default `test`, the core test set).
    public var split = "test"

    /// The defaults.
    public init() {}

    /// Checks every part.
    public func validate() throws {
        try search.validate()
        guard ["train", "dev", "test"].contains(split) else {
            throw StageError.badData(stage: "decode", message: "split = \(split); allowed: train, dev, test")
        }
    }
}

/// Options of the `score` stage.
public struct ScoreStageOptions: Codable, Sendable, Equatable {
    /// Folding applied to both sides (default 39, the TIMIT protocol).
    public var fold: PhoneFold = .timit39
    /// Alignment costs, missing hypotheses, report details.
    public var scoring = ScoringOptions()

    /// The defaults.
    public init() {}

    /// Checks every part.
    public func validate() throws { try scoring.validate() }
}

extension SpecAugmentOptions: RecipeDefaultConstructible {}
extension AttentionKind: RecipeChoice {}
extension RunOffRule: RecipeChoice {}
extension PhoneFold: RecipeChoice {}
extension CostModel: RecipeChoice {}
extension MissingHypothesisPolicy: RecipeChoice {}
