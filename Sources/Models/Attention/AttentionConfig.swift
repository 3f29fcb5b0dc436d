import NeuralNet

/// Which attention mechanism the decoder uses.
public enum AttentionKind: String, Codable, Sendable, CaseIterable {
    /// Bahdanau additive softmax attention over all frames (offline, O(TU)).
    case softmax
    /// Hard monotonic attention (Raffel et al. 2017): expectation in training, online at test time.
    case monotonic
    /// Monotonic chunkwise attention (Chiu & Raffel 2018) with chunks of `chunkWidth` frames.
    case mocha
}

/// Options of the attention mechanism.
///
/// Energies: softmax e = vᵀ tanh(W s + V h + b) (eq. 15); monotonic e = g·vᵀ/‖v‖·tanh(W s + V h + b) + r
/// (eq. 16), p = σ(e + ε) with ε ~ N(0, noiseStd²) while training; MoChA adds a chunk energy of the same
/// form with its own parameters.
public struct AttentionConfig: Codable, Sendable, Equatable {
    /// The mechanism. Default monotonic.
    public var kind: AttentionKind = .monotonic
    /// Attention hidden size d. Default 512; allowed 1...8192.
    public var dim: Int = 512
    /// Initial energy offset r (monotonic and MoChA). Default −1 (TIMIT); allowed −20...20.
    public var initialOffset: Float = -1
    /// Initial gain g; nil means 1/√dim. Default nil.
    public var initialGain: Float? = nil
    /// Standard deviation of the pre-sigmoid noise while training. Default 1; allowed 0...10.
    public var noiseStd: Float = 1
    /// What alignment mass past the last frame does (training expectation and hard decoding). Default zeros.
    public var runOff: RunOffRule = .zeros
    /// MoChA chunk width w. Default 2; allowed 1...64.
    public var chunkWidth: Int = 2

    /// Options with the TIMIT defaults of [R17].
    public init(kind: AttentionKind = .monotonic, dim: Int = 512, initialOffset: Float = -1,
                initialGain: Float? = nil, noiseStd: Float = 1, runOff: RunOffRule = .zeros, chunkWidth: Int = 2) {
        self.kind = kind
        self.dim = dim
        self.initialOffset = initialOffset
        self.initialGain = initialGain
        self.noiseStd = noiseStd
        self.runOff = runOff
        self.chunkWidth = chunkWidth
    }

    /// g₀ = initialGain or 1/√dim.
    public var resolvedInitialGain: Float { initialGain ?? 1 / Float(dim).squareRoot() }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        try require(dim, in: 1...8192, "attention.dim")
        try require(initialOffset, in: -20...20, "attention.initialOffset")
        if let gain = initialGain { try require(gain, in: 1e-6...100, "attention.initialGain") }
        try require(noiseStd, in: 0...10, "attention.noiseStd")
        try require(chunkWidth, in: 1...64, "attention.chunkWidth")
    }
}

extension AttentionConfig {
    /// Decodes the fields present and keeps the documented default of every missing one.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        self.kind = try c.decodeIfPresent(AttentionKind.self, forKey: .kind) ?? defaults.kind
        self.dim = try c.decodeIfPresent(Int.self, forKey: .dim) ?? defaults.dim
        self.initialOffset = try c.decodeIfPresent(Float.self, forKey: .initialOffset) ?? defaults.initialOffset
        self.initialGain = try c.decodeIfPresent(Float.self, forKey: .initialGain) ?? defaults.initialGain
        self.noiseStd = try c.decodeIfPresent(Float.self, forKey: .noiseStd) ?? defaults.noiseStd
        self.runOff = try c.decodeIfPresent(RunOffRule.self, forKey: .runOff) ?? defaults.runOff
        self.chunkWidth = try c.decodeIfPresent(Int.self, forKey: .chunkWidth) ?? defaults.chunkWidth
    }
}
