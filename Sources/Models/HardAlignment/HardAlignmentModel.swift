import NeuralNet
import Randomness
import TensorCore

/// Hard online alignments (Luo et al. 2016; Lawson et al. 2018): the emit/ingest model p, run for
/// T = m + n steps with teacher forcing on sampled decision trajectories, trained by REINFORCE on the
/// prior bound, NVIL on the single-sample variational bound or VIMCO on the multi-sample bound, with a
/// leave-one-out or temporal leave-one-out baseline over k samples per utterance (`HardAlignmentConfig`).
///
/// Parameters: the optional encoder's (`encoder.lstm<k>.*`, unidirectional), p's (`EmitIngestNetwork`)
/// and, for NVIL and VIMCO, q's (`InferenceNetwork`, `q.*`). q is saved with the model (so training
/// can resume) but never read by decoding.
public final class HardAlignmentModel: RecognitionModel {
    /// The shape of the model.
    public let shape: HardAlignmentConfig
    /// All parameters in registration order.
    public let registry: ParameterRegistry
    /// The optional acoustic encoder in front of p.
    let encoder: StackedEncoder?
    /// The emit/ingest model p.
    let p: EmitIngestNetwork
    /// The inference network q (NVIL and VIMCO only).
    let q: InferenceNetwork?
    /// The figures of the last training batch (`loss`).
    public private(set) var lastStatistics = HardAlignmentStatistics()

    /// The last batch's bound per utterance, learning-signal variance across the k samples, free emits
    /// per target and fraction of forced decisions (`HardAlignmentStatistics.named`).
    public var batchStatistics: [String: Double] { lastStatistics.named }

    /// A freshly initialised model: matrices uniform on ±initScale, embeddings normal(0, 1), biases 0
    /// (LSTM forget gates 1), the decision head's bias −1 (σ ≈ 0.27: fewer emits than ingests at first).
    public init(config: HardAlignmentConfig, seed: UInt64 = 1, initScale: Float = 0.075) throws {
        try config.validate()
        shape = config
        let registry = ParameterRegistry()
        self.registry = registry
        var rng = Xoshiro256StarStar(seed: seed)
        encoder = try config.encoder.map { try StackedEncoder(registry, config: $0, rng: &rng) }
        p = try EmitIngestNetwork(registry, config: config, rng: &rng)
        q = config.usesInferenceNetwork ? try InferenceNetwork(registry, config: config, rng: &rng) : nil
        let embeddings = Set(([p.embedding.weight] + (q.map { [$0.targetEmbedding.weight] } ?? [])).map { ObjectIdentifier($0) })
        registry.drawMatrices(rng: &rng) { embeddings.contains(ObjectIdentifier($0)) ? nil : initScale }
        p.decisionHead.bias?.value.withUnsafeMutableBufferPointer { $0[0] = -1 }
        q?.head.bias?.value.withUnsafeMutableBufferPointer { $0[0] = -1 }
    }

    public var config: ModelConfig { ModelConfig(shape) }
    public var inputSize: Int { shape.inputSize }
    public var labelCount: Int { shape.labelCount }
    public var frameStride: Int { shape.stride }
    public func encoderStates(frames: Int) -> Int { shape.positions(frames: frames) }

    /// What p reads for a batch: [B, M + e, R] and each utterance's positions m + e, with e =
    /// `endPositions` (1: the end-of-input position, a zero vector, so that the forced decisions of a
    /// trajectory fall there and every real position's decisions can be learned; 0 with `lastFrame`).
    func reads(_ x: Tensor, lengths: [Int], on tape: Tape, training: Bool, rng: inout Xoshiro256StarStar) -> (Variable, [Int]) {
        guard let encoder else { return (endingInput(tape.constant(x), on: tape), lengths.map { $0 + shape.endPositions }) }
        let (states, positions) = encoder(tape.constant(x), lengths: lengths, on: tape, training: training, rng: &rng)
        return (endingInput(states, on: tape), positions.map { $0 + shape.endPositions })
    }

    /// [B, M, R] → [B, M + e, R]: zeros after the last row when p reads an end-of-input position (rows
    /// past each utterance's end are zero already: padded input frames and the encoder's padded states are 0).
    func endingInput(_ x: Variable, on tape: Tape) -> Variable {
        guard shape.endPositions > 0 else { return x }
        return tape.concat([x, tape.constant(Tensor.zeros([x.shape[0], shape.endPositions, x.shape[2]]))], axis: 1)
    }

    /// The negative bound estimate per target (phones and end of sequence) of `batch`, whose gradient is the estimator's (see
    /// `HardAlignmentObjective` and `Tape.alignmentSurrogate`): k trajectories per utterance sampled
    /// from p (REINFORCE) or q (NVIL, VIMCO) with generators split from `rng`, then teacher-forced passes
    /// of p (and q) over them. Label smoothing does not apply to this family (ignored).
    public func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float,
                     rng: inout Xoshiro256StarStar) -> Variable {
        let labels = batch.map { targets($0.labels) }
        let (x, lengths) = StackedEncoder.paddedFeatures(batch, inputSize: shape.inputSize)
        let (reads, positions) = self.reads(x, lengths: lengths, on: tape, training: training, rng: &rng)
        let context = q.map { q in
            let context = q.context(features: x, lengths: lengths, labels: labels, on: tape)
            return (inputs: endingInput(context.inputs, on: tape), targets: context.targets)
        }
        let rows = sampleTrajectories(reads: reads.value, context: context.map { ($0.inputs.value, $0.targets.value) },
                                      positions: positions, labels: labels, rng: &rng)
        return surrogate(reads: reads, context: context, rows: rows, labels: labels, on: tape)
    }

    /// The n + 1 targets p emits for `labels`: the phones and the end of sequence.
    func targets(_ labels: [Int]) -> [Int] { labels + [p.endOfSequence] }

    /// k trajectories per utterance from p (REINFORCE) or from q (`context`: h′ and g values).
    func sampleTrajectories(reads: Tensor, context: (Tensor, Tensor)?, positions: [Int], labels: [[Int]],
                            rng: inout Xoshiro256StarStar) -> [PathRow] {
        let p = self.p, q = self.q
        return TrajectorySampler.sample(positions: positions, labels: labels, samples: shape.samples, rng: &rng) { _ in
            if let q, let context { return InferenceProcess(network: q, inputs: context.0, targets: context.1) }
            return EmitIngestProcess(network: p, reads: reads, labels: labels)
        }
    }

    /// Teacher-forced passes over `rows` and the estimator's surrogate loss on them.
    func surrogate(reads: Variable, context: (inputs: Variable, targets: Variable)?, rows: [PathRow], labels: [[Int]],
                   on tape: Tape) -> Variable {
        let indices = PathIndices(rows, readLength: reads.shape[1])
        let (tokens, decisions) = p(reads: reads, labels: labels, indices: indices, on: tape)
        let inference = q.flatMap { q in context.map { q(inputs: $0.inputs, targets: $0.targets, indices: indices, on: tape) } }
        let terms = PathTerms.read(tokens: tokens.value, decisions: decisions.value, inference: inference?.value,
                                   rows: rows, labels: labels, scoresForcedEmits: shape.scoresForcedEmits,
                                   delayPenalty: Double(shape.delayPenalty))
        let objective = HardAlignmentObjective(terms: terms, forced: rows.map(\.path.forced), targetLengths: labels.map(\.count),
                                               samples: shape.samples, steps: indices.steps, estimator: shape.estimator,
                                               baseline: shape.baseline, entropyBonus: Double(shape.entropyBonus),
                                               scoresForcedEmits: shape.scoresForcedEmits)
        lastStatistics = objective.statistics
        let divisor = Double(max(labels.reduce(0) { $0 + $1.count }, 1))
        return tape.alignmentSurrogate(tokens: tokens, decisions: decisions, inference: inference, rows: rows, labels: labels,
                                       objective: objective, divisor: divisor)
    }

    public func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder {
        HardAlignmentDecoder(model: self, search: search)
    }

    public func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding {
        try HardAlignmentOnlineDecoder(model: self, config: search)
    }

    /// Greedy decoding's alignment: one row per emitted phone, 1 on the position read when it was emitted.
    public func alignment(of example: Example) -> AlignmentPicture? {
        let hypothesis = makeDecoder(search: DecodingConfig()).decode(features: example.features, frames: example.frames)
        return .hard(hypothesis, states: encoderStates(frames: example.frames), caption: "hard emit/ingest alignment (rows: emitted phones)")
    }

    /// p's read vectors [m + e, R] (row-major) of one utterance's features [frames, F], no dropout, the
    /// last the end-of-input position's zeros when p reads one (e = `endPositions`).
    func reads(features: [Float], frames: Int) -> [Float] {
        (encoder?.encode(features: features, frames: frames) ?? features) + Array(repeating: 0, count: shape.readSize * shape.endPositions)
    }
}
