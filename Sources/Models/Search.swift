import NeuralNet

/// Options of test-time search.
public struct DecodingConfig: Codable, Sendable, Equatable {
    /// Hypotheses kept per step; 1 is greedy decoding. Default 1; allowed 1...256.
    public var beamWidth: Int = 1
    /// Rank finished beam hypotheses by log p / (labels + 1) instead of log p. Default true.
    public var lengthNormalization: Bool = true
    /// Output steps allowed per encoder state before decoding stops without end of sequence.
    /// Default 2 (TIMIT has ≈ 0.5 phones per state); allowed 0.01...100.
    public var maxStepsPerState: Float = 2

    /// Greedy decoding unless told otherwise.
    public init(beamWidth: Int = 1, lengthNormalization: Bool = true, maxStepsPerState: Float = 2) {
        self.beamWidth = beamWidth
        self.lengthNormalization = lengthNormalization
        self.maxStepsPerState = maxStepsPerState
    }

    /// Step limit for `states` encoder states: ⌈maxStepsPerState · states⌉ + 1 (at least 1).
    public func maxSteps(states: Int) -> Int { Int((maxStepsPerState * Float(states)).rounded(.up)) + 1 }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        try require(beamWidth, in: 1...256, "decoding.beamWidth")
        try require(maxStepsPerState, in: 0.01...100, "decoding.maxStepsPerState")
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

extension DecodingConfig {
    /// Decodes the fields present and keeps the documented default of every missing one.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        self.beamWidth = try c.decodeIfPresent(Int.self, forKey: .beamWidth) ?? defaults.beamWidth
        self.lengthNormalization = try c.decodeIfPresent(Bool.self, forKey: .lengthNormalization) ?? defaults.lengthNormalization
        self.maxStepsPerState = try c.decodeIfPresent(Float.self, forKey: .maxStepsPerState) ?? defaults.maxStepsPerState
    }
}
