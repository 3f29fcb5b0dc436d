import NeuralNet

/// Options of the decoder: one LSTM fed [embedding of the previous label; previous context], whose
/// output softmax over `labelCount` phones plus end of sequence reads [state; new context].
public struct DecoderConfig: Codable, Sendable, Equatable {
    /// Number of phone labels (ids 0..<labelCount); id labelCount is end of sequence. Default 48.
    public var labelCount: Int = 48
    /// LSTM units. Default 256; allowed 1...8192.
    public var hiddenSize: Int = 256
    /// Label embedding width. Default 30; allowed 1...4096.
    public var embeddingSize: Int = 30
    /// Dropout on [state; context] before the output layer while training. Default 0; allowed 0...0.9.
    public var dropout: Float = 0

    /// A decoder with the paper's sizes.
    public init(labelCount: Int = 48, hiddenSize: Int = 256, embeddingSize: Int = 30, dropout: Float = 0) {
        self.labelCount = labelCount
        self.hiddenSize = hiddenSize
        self.embeddingSize = embeddingSize
        self.dropout = dropout
    }

    /// The end-of-sequence id: `labelCount`.
    public var endOfSequence: Int { labelCount }
    /// The start symbol fed before the first step: `labelCount + 1` (an embedding row, never an output).
    public var startOfSequence: Int { labelCount + 1 }
    /// Output classes: phones plus end of sequence.
    public var outputCount: Int { labelCount + 1 }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        try require(labelCount, in: 1...100_000, "decoder.labelCount")
        try require(hiddenSize, in: 1...8192, "decoder.hiddenSize")
        try require(embeddingSize, in: 1...4096, "decoder.embeddingSize")
        try require(dropout, in: 0...0.9, "decoder.dropout")
    }
}

extension DecoderConfig {
    /// Decodes the fields present and keeps the documented default of every missing one.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        self.labelCount = try c.decodeIfPresent(Int.self, forKey: .labelCount) ?? defaults.labelCount
        self.hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? defaults.hiddenSize
        self.embeddingSize = try c.decodeIfPresent(Int.self, forKey: .embeddingSize) ?? defaults.embeddingSize
        self.dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? defaults.dropout
    }
}
