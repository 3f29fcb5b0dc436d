import NeuralNet

/// Options of the encoder: a stack of LSTM layers over feature frames [batch, frames, inputSize],
/// dropping every other frame after the chosen layers ([R17] TIMIT: 3 × 512, after layers 1 and 2).
public struct EncoderConfig: Codable, Sendable, Equatable {
    /// Feature dimension per frame. Default 123 (40 mel + energy, with Δ and ΔΔ).
    public var inputSize: Int = 123
    /// Number of stacked LSTM layers. Default 3; allowed 1...16.
    public var layers: Int = 3
    /// Units per direction of every layer. Default 512; allowed 1...8192.
    public var hiddenSize: Int = 512
    /// Run a backward LSTM beside each forward one and concatenate (offline only). Default false.
    public var bidirectional: Bool = false
    /// 0-based layers after which every other frame is dropped (frames 0, 2, 4, … are kept).
    /// Default [0, 1]: 4× fewer frames after a 3-layer stack.
    public var subsampleAfter: [Int] = [0, 1]
    /// Dropout probability between layers while training. Default 0; allowed 0...0.9.
    public var dropout: Float = 0

    /// The paper's encoder with the given input size.
    public init(inputSize: Int = 123, layers: Int = 3, hiddenSize: Int = 512, bidirectional: Bool = false,
                subsampleAfter: [Int] = [0, 1], dropout: Float = 0) {
        self.inputSize = inputSize
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.bidirectional = bidirectional
        self.subsampleAfter = subsampleAfter
        self.dropout = dropout
    }

    /// Width of one encoder state [outputSize]: hiddenSize, doubled when bidirectional.
    public var outputSize: Int { bidirectional ? 2 * hiddenSize : hiddenSize }

    /// Input frames per encoder state: 2^(subsampled layers). Encoder state t starts at input frame t·stride.
    public var stride: Int { 1 << subsampleAfter.count }

    /// Frames left from `frames` input frames: halved (rounding up) once per subsampled layer.
    public func outputFrames(_ frames: Int) -> Int {
        subsampleAfter.reduce(frames) { n, _ in (n + 1) / 2 }
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        try require(inputSize, in: 1...100_000, "encoder.inputSize")
        try require(layers, in: 1...16, "encoder.layers")
        try require(hiddenSize, in: 1...8192, "encoder.hiddenSize")
        try require(dropout, in: 0...0.9, "encoder.dropout")
        for layer in subsampleAfter {
            try require(layer, in: 0...(layers - 1), "encoder.subsampleAfter")
        }
        if Set(subsampleAfter).count != subsampleAfter.count {
            throw ConfigurationError(field: "encoder.subsampleAfter", value: "\(subsampleAfter)", allowed: "distinct layer indices")
        }
    }
}

extension EncoderConfig {
    /// Decodes the fields present and keeps the documented default of every missing one.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        self.inputSize = try c.decodeIfPresent(Int.self, forKey: .inputSize) ?? defaults.inputSize
        self.layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? defaults.layers
        self.hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? defaults.hiddenSize
        self.bidirectional = try c.decodeIfPresent(Bool.self, forKey: .bidirectional) ?? defaults.bidirectional
        self.subsampleAfter = try c.decodeIfPresent([Int].self, forKey: .subsampleAfter) ?? defaults.subsampleAfter
        self.dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? defaults.dropout
    }
}
