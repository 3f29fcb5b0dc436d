import Options

/// The bound and the gradient estimator that train the emit/ingest decisions (Lawson et al. 2018).
public enum HardAlignmentEstimator: String, Codable, Sendable, CaseIterable {
    /// REINFORCE on the prior bound E_{b∼p}[Σ_t b_t log p(y_t | s_t)] (eq. 2): b sampled from p itself.
    case reinforce
    /// The single-sample variational bound E_{b∼q}[log p(y, b | x) − log q(b | x, y)] (eq. 4), b from q.
    case nvil
    /// The multi-sample bound E[log (1/k) Σ_i p(y, b⁽ⁱ⁾ | x) / q(b⁽ⁱ⁾ | x, y)] (eq. 5), b⁽ⁱ⁾ from q.
    case vimco
}

/// The baseline subtracted from the learning signal, computed from the k samples of the same utterance.
public enum HardAlignmentBaseline: String, Codable, Sendable, CaseIterable {
    /// Leave-one-out (eq. 6): signal R₁⁽ⁱ⁾ − mean_{j≠i} R₁⁽ʲ⁾ for every step (VIMCO: the geometric-mean swap-out).
    case loo
    /// Temporal leave-one-out (eq. 7): the other samples' log-likelihood of the same remaining tokens.
    case temporalLoo
}

/// How a trajectory ends when input runs out with tokens left (the reference leaves it open).
public enum HardAlignmentEndOfInput: String, Codable, Sendable, CaseIterable {
    /// p reads one end-of-input position (a zero vector) after the last frame; the emits forced there have
    /// probability 1 and add no log-probability (the forced decisions contribute nothing).
    case position
    /// No extra position: the tokens left at the last frame are emitted there, and each of these forced
    /// emits is scored with p's own log σ(z_t). This is p as a distribution over unconstrained decision
    /// strings (an ingest past the last frame loses the targets), with the sampling distribution restricted
    /// to valid strings: the bounds stay bounds on log p(y | x), and ingesting everything to emit the
    /// targets from memory at the end costs p's decision log-probabilities like any other alignment.
    case lastFrame
}

/// The inference network q(b_t | b_<t, x, y) of NVIL and VIMCO (dropped after training): a bidirectional
/// LSTM stack over the input, a unidirectional LSTM over the targets, and a unidirectional LSTM stack that
/// reads [input state h′_{I(t)}; target state g_{O(t−1)+1}; previous decision] and gives q's logit.
public struct InferenceNetworkConfig: DefaultedOptions, Sendable, Equatable {
    /// Bidirectional layers over the input. Default 4 (the paper); allowed 1...16.
    public var inputLayers: Int = 4
    /// Units per direction of the input layers. Default 256; allowed 1...8192.
    public var inputHiddenSize: Int = 256
    /// Units of the LSTM over the targets. Default 256; allowed 1...8192.
    public var targetHiddenSize: Int = 256
    /// Target embedding width. Default 32; allowed 1...4096.
    public var embeddingSize: Int = 32
    /// Unidirectional decision layers. Default 2 (the paper); allowed 1...16.
    public var decisionLayers: Int = 2
    /// Units of the decision layers. Default 256; allowed 1...8192.
    public var decisionHiddenSize: Int = 256

    /// Every field at its documented default.
    public init() {}

    /// A network of the given sizes.
    public init(inputLayers: Int = 4, inputHiddenSize: Int = 256, targetHiddenSize: Int = 256, embeddingSize: Int = 32,
                decisionLayers: Int = 2, decisionHiddenSize: Int = 256) {
        self.inputLayers = inputLayers
        self.inputHiddenSize = inputHiddenSize
        self.targetHiddenSize = targetHiddenSize
        self.embeddingSize = embeddingSize
        self.decisionLayers = decisionLayers
        self.decisionHiddenSize = decisionHiddenSize
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(OptionError) {
        try require(inputLayers, in: 1...16, "inference.inputLayers")
        try require(inputHiddenSize, in: 1...8192, "inference.inputHiddenSize")
        try require(targetHiddenSize, in: 1...8192, "inference.targetHiddenSize")
        try require(embeddingSize, in: 1...4096, "inference.embeddingSize")
        try require(decisionLayers, in: 1...16, "inference.decisionLayers")
        try require(decisionHiddenSize, in: 1...8192, "inference.decisionHiddenSize")
    }
}

/// The configuration of the hard emit/ingest alignment model (`kind: hardAlignment`).
///
/// p reads, at step t of T = m + n, [x_{I(t)}; embedding(y_{O(t−1)})] through a unidirectional LSTM stack,
/// and gives the token logits and the decision logit z_t (emit with probability σ(z_t)). x is the input
/// frame itself, or the state of an optional unidirectional `encoder` over the frames (which may drop
/// frames). Decisions are forced where the trajectory has no choice: after the n-th emit every step
/// ingests, and at the last position with tokens left every step emits. So a valid decision string has
/// n ones and m zeros and ends in a zero: C(m + n − 1, n) of them. `endOfInput` says what the last
/// position is: with `position` (default) p reads one end-of-input position (a zero vector) after the
/// last frame, so m counts the frames (or encoder states) plus one, and a forced decision has
/// probability 1 and adds no log-probability, score or entropy term; the end position keeps the forcing
/// away from the real frames, so the last phone can be emitted (freely, so learnably) while its own
/// frames are read. With `lastFrame` m counts the frames alone and each forced emit at the last frame is
/// scored with p's log σ(z_t) (forced ingests after the end of sequence still add nothing).
public struct HardAlignmentConfig: ModelFamilyConfig {
    public static let kind = ModelKind.hardAlignment

    /// Features per input frame. Default 123.
    public var inputSize: Int = 123
    /// Phones emitted (0..<labelCount). Default 61; allowed 1...100000.
    public var labelCount: Int = 61
    /// Optional unidirectional acoustic encoder in front of p (nil: p reads the frames). Default nil.
    public var encoder: EncoderConfig? = nil
    /// LSTM layers of p. Default 2 (the paper); allowed 1...16.
    public var layers: Int = 2
    /// Units per layer of p. Default 256 (the paper); allowed 1...8192.
    public var hiddenSize: Int = 256
    /// Width of p's previous-token embedding. Default 32; allowed 1...4096.
    public var embeddingSize: Int = 32
    /// The bound and estimator. Default vimco.
    public var estimator: HardAlignmentEstimator = .vimco
    /// The baseline of the learning signal. Default temporalLoo.
    public var baseline: HardAlignmentBaseline = .temporalLoo
    /// Decision trajectories k sampled per utterance (the baselines need k ≥ 2). Default 4; allowed 2...256.
    public var samples: Int = 4
    /// Weight β of an entropy bonus β Σ_t H(b_t) on the sampled distribution's free decisions. Default 0; allowed 0...10.
    public var entropyBonus: Float = 0
    /// The inference network q (NVIL, VIMCO).
    public var inference: InferenceNetworkConfig = .init()
    /// Weight λ of a latency cost: every bound is taken with log p(y, b | x) − λ·D(b), D(b) = Σ_j I(j), the
    /// input positions at which the phones are emitted (each ingest with k phones still to emit adds k);
    /// i.e. the alignment prior is tilted by e^(−λ·D). It counters the pull of a unidirectional p towards
    /// reading more before it emits. Default 0; allowed 0...10.
    public var delayPenalty: Float = 0
    /// How trajectories end when input runs out with tokens left. Default position.
    public var endOfInput: HardAlignmentEndOfInput = .position

    /// The paper's TIMIT model.
    public init() {}

    /// A model of the given shape; everything else at its default.
    public init(inputSize: Int = 123, labelCount: Int = 61, encoder: EncoderConfig? = nil, layers: Int = 2,
                hiddenSize: Int = 256, embeddingSize: Int = 32, estimator: HardAlignmentEstimator = .vimco,
                baseline: HardAlignmentBaseline = .temporalLoo, samples: Int = 4, entropyBonus: Float = 0,
                inference: InferenceNetworkConfig = .init(), delayPenalty: Float = 0,
                endOfInput: HardAlignmentEndOfInput = .position) {
        self.inputSize = inputSize
        self.labelCount = labelCount
        self.encoder = encoder
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.embeddingSize = embeddingSize
        self.estimator = estimator
        self.baseline = baseline
        self.samples = samples
        self.entropyBonus = entropyBonus
        self.inference = inference
        self.delayPenalty = delayPenalty
        self.endOfInput = endOfInput
    }

    /// The estimator and baseline (`vimco + temporalLoo hard alignments`).
    public var summary: String { "\(estimator.rawValue) + \(baseline.rawValue) hard alignments" }

    /// Whether training samples from the inference network q (NVIL and VIMCO).
    public var usesInferenceNetwork: Bool { estimator != .reinforce }

    /// Input frames per position p reads: the encoder's stride, or 1.
    public var stride: Int { encoder?.stride ?? 1 }

    /// Positions p reads from `frames` input frames.
    public func positions(frames: Int) -> Int { encoder?.outputFrames(frames) ?? frames }

    /// Positions p reads after the input's own: 1 (the end-of-input position) or 0 (`lastFrame`).
    public var endPositions: Int { endOfInput == .position ? 1 : 0 }

    /// Whether forced emits are scored with p's log σ(z) (`lastFrame`).
    public var scoresForcedEmits: Bool { endOfInput == .lastFrame }

    /// Width of what p reads per position: the encoder's state or the frame.
    public var readSize: Int { encoder?.outputSize ?? inputSize }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        try require(inputSize, in: 1...100_000, "inputSize")
        try require(labelCount, in: 1...100_000, "labelCount")
        if let encoder {
            try encoder.validate()
            try require(!encoder.bidirectional, "encoder.bidirectional", encoder.bidirectional,
                        "false (p decides online; only q may read the future)")
            try require(encoder.inputSize == inputSize, "encoder.inputSize", encoder.inputSize, "equal to inputSize \(inputSize)")
        }
        try require(layers, in: 1...16, "layers")
        try require(hiddenSize, in: 1...8192, "hiddenSize")
        try require(embeddingSize, in: 1...4096, "embeddingSize")
        try require(samples, in: 2...256, "samples")
        try require(entropyBonus, in: 0...10, "entropyBonus")
        try require(delayPenalty, in: 0...10, "delayPenalty")
        try inference.validate()
        let dropped = encoder?.subsampleAfter.count ?? 0
        try require(inference.inputLayers >= dropped, "inference.inputLayers", inference.inputLayers,
                    "≥ \(dropped), the encoder's subsampled layers (q must read the positions p reads)")
    }

    /// A `HardAlignmentModel` of this shape.
    public func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel {
        try HardAlignmentModel(config: self, seed: seed, initScale: initScale)
    }

    /// The same shape for `inputSize` features and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> HardAlignmentConfig {
        var copy = self
        copy.inputSize = inputSize
        copy.encoder?.inputSize = inputSize
        copy.labelCount = labelCount
        return copy
    }
}
