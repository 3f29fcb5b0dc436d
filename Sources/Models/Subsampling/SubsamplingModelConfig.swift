import NeuralNet
import Options

/// Options of the emission probabilities e_t = σ(w·h_t + b + noise) over encoder states h_t.
public struct EmissionConfig: DefaultedOptions, Sendable, Equatable {
    /// Standard deviation of the Gaussian noise added before the sigmoid while training, which pushes
    /// e_t towards 0 or 1 so that hard test-time emission (e_t > 0.5) matches training, as in monotonic
    /// attention. Default 1; allowed 0...10.
    public var noiseStd: Float = 1
    /// Initial bias b: e_t starts near σ(b). Default 0 (one emission every other state, about TIMIT's
    /// phone rate after 4× frame subsampling); allowed −20...20.
    public var initialBias: Float = 0
    /// Weight λ of the length regulariser λ · mean_b (Σ_t e_t / (L_b + 1) − L_b / (L_b + 1))², which pulls
    /// the expected number of emissions towards the target length L_b. Default 0 (off: the
    /// end-of-sequence step already penalises surplus mass); allowed 0...100.
    public var lengthPenalty: Float = 0

    /// Every field at its documented default.
    public init() {}

    /// The defaults, except what is given.
    public init(noiseStd: Float = 1, initialBias: Float = 0, lengthPenalty: Float = 0) {
        self.noiseStd = noiseStd
        self.initialBias = initialBias
        self.lengthPenalty = lengthPenalty
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(OptionError) {
        try require(noiseStd, in: 0...10, "emission.noiseStd")
        try require(initialBias, in: -20...20, "emission.initialBias")
        try require(lengthPenalty, in: 0...100, "emission.lengthPenalty")
    }
}

/// Options of the output network that predicts phone m from the expected subsampled input ŷ_m: an LSTM
/// over ŷ_0..ŷ_m (so each phone sees the ones before it) and a softmax over phones plus end of
/// sequence, or with `hiddenSize` 0 a softmax layer on ŷ_m alone.
public struct SubsamplingOutputConfig: DefaultedOptions, Sendable, Equatable {
    /// Number of phone labels (ids 0..<labelCount); id labelCount is end of sequence. Default 48.
    public var labelCount: Int = 48
    /// Units of the output LSTM; 0 for none (feed-forward softmax on ŷ_m). Default 256; allowed 0...8192.
    public var hiddenSize: Int = 256
    /// Dropout before the softmax layer while training. Default 0; allowed 0...0.9.
    public var dropout: Float = 0

    /// Every field at its documented default.
    public init() {}

    /// The defaults, except what is given.
    public init(labelCount: Int = 48, hiddenSize: Int = 256, dropout: Float = 0) {
        self.labelCount = labelCount
        self.hiddenSize = hiddenSize
        self.dropout = dropout
    }

    /// The end-of-sequence id: `labelCount`.
    public var endOfSequence: Int { labelCount }
    /// Output classes: phones plus end of sequence.
    public var outputCount: Int { labelCount + 1 }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(OptionError) {
        try require(labelCount, in: 1...100_000, "output.labelCount")
        try require(hiddenSize, in: 0...8192, "output.hiddenSize")
        try require(dropout, in: 0...0.9, "output.dropout")
    }
}

/// The configuration of the subsampling mechanism trained in expectation (`kind: subsampling`).
public struct SubsamplingModelConfig: ModelFamilyConfig {
    public static let kind = ModelKind.subsampling

    /// The encoder (the same options as the attention models').
    public var encoder: EncoderConfig = .init()
    /// The emission probabilities.
    public var emission: EmissionConfig = .init()
    /// The output network.
    public var output: SubsamplingOutputConfig = .init()

    /// The paper's TIMIT encoder, a 256-unit output LSTM.
    public init() {}

    /// The defaults, except what is given.
    public init(encoder: EncoderConfig = .init(), emission: EmissionConfig = .init(), output: SubsamplingOutputConfig = .init()) {
        self.encoder = encoder
        self.emission = emission
        self.output = output
    }

    /// "subsampling in expectation".
    public var summary: String { "subsampling in expectation" }

    /// Checks every part.
    public func validate() throws {
        try encoder.validate()
        try emission.validate()
        try output.validate()
    }

    /// A `SubsamplingModel` of this shape.
    public func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel {
        try SubsamplingModel(config: self, seed: seed, initScale: initScale)
    }

    /// The same shape for `inputSize` features and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> SubsamplingModelConfig {
        var copy = self
        copy.encoder.inputSize = inputSize
        copy.output.labelCount = labelCount
        return copy
    }
}
