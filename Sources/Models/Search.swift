import NeuralNet
import Options

/// Options of test-time search.
public struct DecodingConfig: DefaultedOptions, Sendable, Equatable {
    /// Hypotheses kept per step; 1 is greedy decoding. Default 1; allowed 1...256.
    public var beamWidth: Int = 1
    /// Rank finished beam hypotheses by log p / (labels + 1) instead of log p. Default true.
    public var lengthNormalization: Bool = true
    /// Output steps allowed per encoder state before decoding stops without end of sequence.
    /// Default 2 (TIMIT has ≈ 0.5 phones per state); allowed 0.01...100.
    public var maxStepsPerState: Float = 2
    /// Weight μ of the CTC prefix score in joint decoding of an attention model trained with a CTC head
    /// (`train.model.ctcWeight` > 0): hypotheses are ranked by (1 − μ)·log p_att + μ·log p_ctc. Ignored by
    /// models without a CTC head and by the CTC family. Default 0; allowed 0...1.
    public var ctcWeight: Float = 0

    /// Every field at its documented default.
    public init() {}

    /// Greedy decoding unless told otherwise.
    public init(beamWidth: Int = 1, lengthNormalization: Bool = true, maxStepsPerState: Float = 2, ctcWeight: Float = 0) {
        self.beamWidth = beamWidth
        self.lengthNormalization = lengthNormalization
        self.maxStepsPerState = maxStepsPerState
        self.ctcWeight = ctcWeight
    }

    /// Step limit for `states` encoder states: ⌈maxStepsPerState · states⌉ + 1 (at least 1).
    public func maxSteps(states: Int) -> Int { Int((maxStepsPerState * Float(states)).rounded(.up)) + 1 }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(OptionError) {
        try require(beamWidth, in: 1...256, "beamWidth")
        try require(maxStepsPerState, in: 0.01...100, "maxStepsPerState")
        try require(ctcWeight, in: 0...1, "ctcWeight")
    }
}

/// A decoded label sequence: phone ids (end of sequence not included), the encoder state each was
/// emitted on (nil where nothing was attended), and its total log probability (with end of sequence).
public struct Hypothesis: Sendable, Equatable {
    /// Phone ids in 0..<labelCount.
    public var labels: [Int]
    /// Attended encoder state per label.
    public var frames: [Int?]
    /// Σ log p over the labels and the end of sequence.
    public var logProbability: Float
}

/// Index of the largest value (the first on ties).
public func argmax(_ values: [Float]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}
