import Options

/// The configuration of a CTC recogniser (`kind: ctc`): the shared stacked-LSTM encoder and one linear
/// layer to phones + blank.
public struct CTCModelConfig: ModelFamilyConfig {
    public static let kind = ModelKind.ctc

    /// The encoder (unidirectional by default, so decoding streams; `bidirectional: true` for offline use).
    public var encoder: EncoderConfig = .init()
    /// Phone labels (ids 0..<labelCount); the blank is class labelCount. Default 48; allowed 1...100000.
    public var labelCount: Int = 48

    /// The paper's encoder with 48 phones.
    public init() {}

    /// A CTC model of the given shape.
    public init(encoder: EncoderConfig = .init(), labelCount: Int = 48) {
        self.encoder = encoder
        self.labelCount = labelCount
    }

    /// "CTC", with the encoder's direction.
    public var summary: String { encoder.bidirectional ? "CTC (bidirectional encoder)" : "CTC" }

    /// Checks every part.
    public func validate() throws {
        try encoder.validate()
        try require(labelCount, in: 1...100_000, "labelCount")
    }

    /// A `CTCModel` of this shape.
    public func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel {
        try CTCModel(config: self, seed: seed, initScale: initScale)
    }

    /// The same shape for `inputSize` features and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> CTCModelConfig {
        var copy = self
        copy.encoder.inputSize = inputSize
        copy.labelCount = labelCount
        return copy
    }
}
