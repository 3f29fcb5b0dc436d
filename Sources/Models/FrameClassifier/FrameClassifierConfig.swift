import NeuralNet
import Options

/// The hidden layers of a frame classifier.
public enum FrameLayerType: String, Codable, Sendable, CaseIterable {
    /// Feed-forward layers over each spliced frame on its own.
    case feedForward
    /// Unidirectional LSTM layers over the utterance's spliced frames.
    case lstm
}

/// The configuration of the frame classifier (`kind: frameClassifier`): a feed-forward or unidirectional
/// LSTM stack over context-spliced frames with a softmax over phones at every frame, trained by
/// framewise cross-entropy under a `TrainingRule`.
///
/// The rule and its feedback options live here rather than in `train.training` because only this
/// family's layers know how to route an error signal without weight transport; here they need no change
/// to the trainer, and they are saved with the model's configuration.
public struct FrameClassifierConfig: ModelFamilyConfig {
    public static let kind = ModelKind.frameClassifier

    /// Features per input frame F (set from the data by `fitted`). Default 40; allowed 1...100_000.
    public var inputSize: Int = 40
    /// Phone labels. Default 48; allowed 1...100_000.
    public var labelCount: Int = 48
    /// Context frames k on each side of the centre frame (Kaldi splice ±k; edge frames repeat). The
    /// online decoder classifies frame t once frame t + k has arrived. Default 4; allowed 0...50.
    public var context: Int = 4
    /// Hidden layers. Default 2; allowed 1...16.
    public var layers: Int = 2
    /// Units per hidden layer. Default 512; allowed 1...8192.
    public var hiddenSize: Int = 512
    /// Hidden nonlinearity of feed-forward layers. Default tanh.
    public var activation: Activation = .tanh
    /// The hidden layers: `feedForward` or unidirectional `lstm`. Default feedForward.
    public var layerType: FrameLayerType = .feedForward
    /// How LSTM layers assign their error across time under feedbackAlignment, dfa and lafs: `throughTime` (exact BPTT
    /// inside each layer, random feedback between layers: the hybrid) or `instantaneous` (one step).
    /// Backprop always runs full BPTT. Default throughTime.
    public var credit: RecurrentCredit = .throughTime
    /// How the hidden layers are trained: backprop, feedbackAlignment, dfa or lafs. Default backprop.
    public var rule: TrainingRule = .backprop
    /// The fixed random feedback matrices of the rules other than backprop (drawn from `feedback.seed`).
    public var feedback: FeedbackOptions = .init()
    /// Every `angleEvery` training batches (the first included), the angle between each hidden layer's
    /// update under `rule` and its backprop gradient on the same batch, logged per epoch as
    /// `angle layer<l>` (degrees); 0 for never. Default 20; allowed 0...1_000_000.
    public var angleEvery: Int = 20
    /// Decoding averages each frame's log-probabilities over frames t−s..t+s before taking its best
    /// phone, which removes runs of a frame or two (online it adds s frames of look-ahead); 0 for off.
    /// Default 0; allowed 0...50.
    public var smoothing: Int = 0

    /// Two 512-unit feed-forward tanh layers over ±4 frames, trained by backprop.
    public init() {}

    /// The defaults, except what is given.
    public init(inputSize: Int = 40, labelCount: Int = 48, context: Int = 4, layers: Int = 2, hiddenSize: Int = 512,
                activation: Activation = .tanh, layerType: FrameLayerType = .feedForward,
                credit: RecurrentCredit = .throughTime, rule: TrainingRule = .backprop, feedback: FeedbackOptions = .init(),
                angleEvery: Int = 20, smoothing: Int = 0) {
        self.inputSize = inputSize
        self.labelCount = labelCount
        self.context = context
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.activation = activation
        self.layerType = layerType
        self.credit = credit
        self.rule = rule
        self.feedback = feedback
        self.angleEvery = angleEvery
        self.smoothing = smoothing
    }

    /// "frame classifier (dfa)", "LSTM frame classifier (dfa, instantaneous)".
    public var summary: String {
        layerType == .lstm && rule != .backprop ? "LSTM frame classifier (\(rule.rawValue), \(credit.rawValue))"
            : layerType == .lstm ? "LSTM frame classifier (backprop)" : "frame classifier (\(rule.rawValue))"
    }

    /// Input values per classified frame: F(2k + 1).
    public var splicedSize: Int { inputSize * (2 * context + 1) }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        try require(inputSize, in: 1...100_000, "inputSize")
        try require(labelCount, in: 1...100_000, "labelCount")
        try require(context, in: 0...50, "context")
        try require(layers, in: 1...16, "layers")
        try require(hiddenSize, in: 1...8192, "hiddenSize")
        try require(angleEvery, in: 0...1_000_000, "angleEvery")
        try require(smoothing, in: 0...50, "smoothing")
        try feedback.validate()
    }

    /// A `FrameClassifierModel` of this shape.
    public func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel {
        try FrameClassifierModel(config: self, seed: seed, initScale: initScale)
    }

    /// The same shape for `inputSize` features and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> FrameClassifierConfig {
        var copy = self
        copy.inputSize = inputSize
        copy.labelCount = labelCount
        return copy
    }
}
