import Options
import NeuralNet
import Randomness
import TensorCore

/// The configuration of an attention encoder-decoder (`kind: attention`).
public struct AttentionModelConfig: ModelFamilyConfig {
    public static let kind = ModelKind.attention


    /// The encoder.
    public var encoder: EncoderConfig = .init()
    /// The decoder.
    public var decoder: DecoderConfig = .init()
    /// The attention mechanism.
    public var attention: AttentionConfig = .init()
    /// Weight λ of a CTC head on the encoder (joint CTC/attention, Kim et al. 2017): the training loss
    /// is λ·CTC + (1 − λ)·attention. Default 0 (no CTC head); allowed 0...1.
    public var ctcWeight: Float = 0
    /// How the model is trained: `backprop`, or `dfa`, the hybrid of `AttentionFeedback` (exact gradients
    /// inside each encoder LSTM layer and inside the decoder with its attention, the output error sent to
    /// each block through a fixed random matrix instead of between blocks). Default backprop.
    public var rule: TrainingRule = .backprop
    /// The fixed random feedback matrices under `dfa` (drawn from `feedback.seed`).
    public var feedback: FeedbackOptions = .init()

    /// The paper's TIMIT model.
    public init() {}

    /// The paper's TIMIT model unless told otherwise.
    public init(encoder: EncoderConfig = .init(), decoder: DecoderConfig = .init(), attention: AttentionConfig = .init(),
                ctcWeight: Float = 0, rule: TrainingRule = .backprop, feedback: FeedbackOptions = .init()) {
        self.encoder = encoder
        self.decoder = decoder
        self.attention = attention
        self.ctcWeight = ctcWeight
        self.rule = rule
        self.feedback = feedback
    }

    /// The mechanism's name and "attention" (and the CTC weight of joint training, and the rule unless backprop).
    public var summary: String {
        "\(attention.kind.rawValue) attention" + (ctcWeight > 0 ? " + CTC (λ \(ctcWeight))" : "")
            + (rule == .backprop ? "" : " (\(rule.rawValue))")
    }

    /// Checks every part.
    public func validate() throws {
        try encoder.validate()
        try decoder.validate()
        try attention.validate()
        try require(ctcWeight, in: 0...1, "ctcWeight")
        try feedback.validate()
        try require(rule == .backprop || rule == .dfa, "rule", rule.rawValue,
                    "backprop or dfa (feedbackAlignment and lafs are offered for kind frameClassifier only)")
        try require(rule == .backprop || ctcWeight == 0, "rule", rule.rawValue, "backprop when ctcWeight > 0 (dfa has no CTC head)")
    }

    /// An `AttentionModel` of this shape.
    public func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel {
        try AttentionModel(config: self, seed: seed, initScale: initScale)
    }

    /// The same shape for `inputSize` features and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> AttentionModelConfig {
        var copy = self
        copy.encoder.inputSize = inputSize
        copy.decoder.labelCount = labelCount
        return copy
    }
}

/// The decoder's LSTM cell and the mechanism's energies: the parameters the decoder op reads, declared
/// once; the op's inputs, its weights and gradients and the test-time snapshot are all built from here.
struct AttentionDecoderParameters {
    /// `decoder.lstm.{weightIH [4S, E + M], weightHH [4S, S], bias [4S]}`.
    let cell: LSTMWeights
    /// The mechanism and its energies (`attention.*`).
    let mechanism: any AttentionMechanism

    /// Every parameter the op reads, in order.
    var all: [Parameter] { [cell.weightIH, cell.weightHH, cell.bias] + mechanism.energies.flatMap(\.all) }

    /// The weights, each read through `pointer`.
    func weights(_ pointer: ParameterBuffers<UnsafePointer<Float>>) -> DecoderWeights {
        DecoderWeights(weightIH: pointer(cell.weightIH), weightHH: pointer(cell.weightHH), bias: pointer(cell.bias),
                       energies: mechanism.energies.map { $0.weights(pointer.callAsFunction) })
    }

    /// The gradient buffers, each reached through `pointer`.
    func gradients(_ pointer: ParameterBuffers<UnsafeMutablePointer<Float>>) -> DecoderGradients {
        DecoderGradients(weightIH: pointer(cell.weightIH), weightHH: pointer(cell.weightHH), bias: pointer(cell.bias),
                         energies: mechanism.energies.map { $0.gradients(pointer.callAsFunction) })
    }
}

/// The encoder-decoder of Raffel et al. (2017): stacked LSTM encoder with frame subsampling, an LSTM
/// decoder with softmax, monotonic or chunkwise attention, and an output softmax over phones + end of
/// sequence predicted from [decoder state; new context].
///
/// Parameters (stable names, PyTorch layouts): the encoder's (`StackedEncoder`);
/// `decoder.embedding.weight [labels + 2, E]` (rows: phones, end, start);
/// `decoder.lstm.{weightIH [4S, E + M], weightHH [4S, S], bias [4S]}`; the mechanism's energies
/// (`EnergyParameters` under `attention` and, for MoChA, `attention.chunk`);
/// `decoder.output.{weight [labels + 1, S + M], bias [labels + 1]}`; with `ctcWeight` > 0, the CTC
/// head's `ctc.output.{weight [labels + 1, M], bias [labels + 1]}` (blank last), registered after all others.
public final class AttentionModel: StackedEncoderModel {
    /// The shape of the model.
    public let shape: AttentionModelConfig
    /// All parameters in registration order.
    public let registry: ParameterRegistry
    /// The encoder.
    public let encoder: StackedEncoder
    let embedding: Embedding
    let decoder: AttentionDecoderParameters
    let output: Linear
    /// The CTC head of joint training (nil when `ctcWeight` is 0).
    public let ctc: CTCHead?
    /// The fixed feedback matrices under `rule: dfa` (nil under backprop); drawn from the configuration's
    /// `feedback.seed`, which is saved with the weights, so they are rebuilt rather than saved.
    public let feedback: AttentionFeedback?

    /// A freshly initialised model: matrices uniform on ±initScale (the paper's 0.075), embeddings
    /// uniform on ±√(3/E), biases 0 (forget gates 1), g = attention.resolvedInitialGain,
    /// r = attention.initialOffset.
    public init(config: AttentionModelConfig, seed: UInt64 = 1, initScale: Float = 0.075) throws {
        try config.validate()
        shape = config
        let registry = ParameterRegistry()
        self.registry = registry
        var rng = Xoshiro256StarStar(seed: seed)
        let d = config.decoder
        encoder = try StackedEncoder(registry, config: config.encoder, rng: &rng)
        let memory = config.encoder.outputSize
        embedding = try Embedding(registry, name: "decoder.embedding", vocabulary: d.labelCount + 2,
                                  dimension: d.embeddingSize, rng: &rng)
        let cell = try LSTMWeights(registry, name: "decoder.lstm", inputs: d.embeddingSize + memory, hidden: d.hiddenSize,
                                   forgetBias: 1, rng: &rng)
        let mechanism = try config.attention.makeMechanism(registry, query: d.hiddenSize, memory: memory,
                                                           initScale: initScale, rng: &rng)
        decoder = AttentionDecoderParameters(cell: cell, mechanism: mechanism)
        output = try Linear(registry, name: "decoder.output", inputs: d.hiddenSize + memory, outputs: d.outputCount, rng: &rng)
        // The paper's initialisation of every matrix and of the embeddings.
        let embeddingWeight = embedding.weight
        registry.drawMatrices(rng: &rng) { p in p === embeddingWeight ? (3 / Float(d.embeddingSize)).squareRoot() : initScale }
        // Last, so a model without it draws exactly what it drew before joint training existed.
        ctc = config.ctcWeight > 0
            ? try CTCHead(registry, labelCount: d.labelCount, memory: memory, initScale: initScale, rng: &rng) : nil
        feedback = config.rule == .dfa ? AttentionFeedback(config: config) : nil
    }

    public var config: ModelConfig { ModelConfig(shape) }
    public var labelCount: Int { shape.decoder.labelCount }

    /// Sizes of a teacher-forced decoder pass over `batch` rows.
    func decoderDimensions(batch: Int, steps: Int, time: Int) -> DecoderDimensions {
        DecoderDimensions(batch: batch, steps: steps, time: time, memory: shape.encoder.outputSize,
                          embedding: shape.decoder.embeddingSize, hidden: shape.decoder.hiddenSize,
                          attention: shape.attention.dim)
    }

    /// Mean cross-entropy per label (end of sequence included) of `batch` under teacher forcing;
    /// while `training`: dropout, attention noise and label smoothing. With a CTC head:
    /// λ·(mean CTC loss per label) + (1 − λ)·that cross-entropy. A recorded training pass under `dfa` is
    /// wired so that its backward pass is the hybrid of `AttentionFeedback`.
    public func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float = 0,
                     rng: inout Xoshiro256StarStar) -> Variable {
        loss(batch, on: tape, training: training, labelSmoothing: labelSmoothing, rng: &rng,
             feedback: training && tape.isRecording ? feedback : nil)
    }

    /// `loss` with the backward pass of DFA through `feedback` (nil: backprop).
    func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float, rng: inout Xoshiro256StarStar,
              feedback: AttentionFeedback?) -> Variable {
        let d = shape.decoder
        let routed = feedback.map { _ in AttendedError() }
        var gate: ((Int, Variable) -> Variable)?
        if let feedback, let routed {
            gate = { [encoder] k, h in
                tape.attendedFeedbackGate(h, feedback: feedback.encoder[k], stride: encoder.stateStride(afterLayer: k), from: routed)
            }
        }
        let (memory, memoryLengths) = encoder.states(of: batch, on: tape, training: training, rng: &rng, gate: gate)
        let U = (batch.map(\.labels.count).max() ?? 0) + 1
        let previous = batch.map { e in [d.startOfSequence] + e.labels + Array(repeating: d.endOfSequence, count: U - 1 - e.labels.count) }
        let targets = batch.map { $0.labels + [d.endOfSequence] }
        let embedded = embedding(previous, on: tape)
        let dims = decoderDimensions(batch: batch.count, steps: U, time: memory.shape[1])
        var noise: Tensor?
        let std = decoder.mechanism.trainingNoise
        if training && std > 0 {
            noise = Tensor(shape: [U, batch.count, dims.time]) { _ in rng.nextNormal() * std }
        }
        var features = tape.attentionDecoder(memory: memory, lengths: memoryLengths, embedded: embedded, parameters: decoder,
                                             mechanism: decoder.mechanism, dims: dims, noise: noise, keepWeights: routed)
        if training && d.dropout > 0 { features = tape.dropout(features, rate: d.dropout, rng: &rng) }
        if let feedback, let routed { features = tape.feedbackGate(features, feedback: feedback.decoder, from: routed.output) }
        var logits = output(features, on: tape)
        if let routed { logits = tape.tap(logits, into: routed.output) }
        let attentionLoss = tape.crossEntropy(logits, targets: targets, options: CrossEntropyOptions(labelSmoothing: labelSmoothing))
        guard let ctc else { return attentionLoss }
        let λ = shape.ctcWeight
        return tape.add(tape.scale(ctc.loss(states: memory, lengths: memoryLengths, batch: batch, on: tape), by: λ),
                        tape.scale(attentionLoss, by: 1 - λ))
    }

    /// With a CTC head, every example's labels must fit its encoder states (`CTCError` names the first that does not).
    public func validateTraining(_ examples: [Example]) throws {
        try ctc?.validate(examples, states: encoderStates)
    }

    /// Frozen copies of the decoder's weights for test-time decoding.
    public func decoderSnapshot() -> DecoderSnapshot {
        DecoderSnapshot(dims: decoderDimensions(batch: 1, steps: 1, time: 0), labelCount: shape.decoder.labelCount,
                        decoder: decoder, embedding: embedding, output: output, ctc: ctc?.snapshot(),
                        ctcUsesAttendedState: shape.attention.kind != .softmax)
    }

    public func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder {
        AttentionDecoder(encoder: encoder, snapshot: decoderSnapshot(), search: search)
    }

    public func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding {
        search.beamWidth > 1 ? try AttentionOnlineBeamDecoder(model: self, config: search)
            : try AttentionOnlineDecoder(model: self, config: search)
    }

    /// The hard alignment of greedy decoding: one row per emitted phone, 1 on the state it attended.
    public func alignment(of example: Example) -> AlignmentPicture? {
        let hypothesis = makeDecoder(search: DecodingConfig()).decode(features: example.features, frames: example.frames)
        return .hard(hypothesis, states: encoderStates(frames: example.frames),
                     caption: "hard \(shape.attention.kind.rawValue) alignment (rows: emitted phones)")
    }

    /// The attention weights of teacher-forced decoding of `example` (no noise or dropout): row i is
    /// the weights over encoder states [T'] used for output step i (labels then end of sequence),
    /// i.e. the expected alignment α (β for MoChA).
    public func attentionWeights(for example: Example) -> [[Float]] {
        let tape = Tape(recording: false)
        var unused = Xoshiro256StarStar(seed: 0)
        let d = shape.decoder
        let (x, lengths) = encoder.features([example])
        let (memory, memoryLengths) = encoder(tape.constant(x), lengths: lengths, on: tape, training: false, rng: &unused)
        let embedded = embedding([[d.startOfSequence] + example.labels], on: tape)
        let dims = decoderDimensions(batch: 1, steps: example.labels.count + 1, time: memory.shape[1])
        return expectedWeights(dims: dims, memory: memory.value, lengths: memoryLengths, embedded: embedded.value,
                               mechanism: decoder.mechanism)
    }

    private func expectedWeights<Mechanism: AttentionMechanism>(
        dims: DecoderDimensions, memory: Tensor, lengths: [Int], embedded: Tensor, mechanism: Mechanism
    ) -> [[Float]] {
        let declared = decoder.all
        var output = [Float](repeating: 0, count: dims.steps * dims.output)
        let cache = withBasePointers([memory, embedded] + declared.map(\.value)) { p in
            output.withUnsafeMutableBufferPointer { o in
                DecoderRecurrence.forward(dims: dims, mechanism: mechanism,
                                          weights: decoder.weights(ParameterBuffers(declared, Array(p.dropFirst(2)))),
                                          memory: p[0], lengths: lengths, embedded: p[1], noise: nil, output: o.baseAddress!)
            }
        }
        return (0..<dims.steps).map { i in Array(UnsafeBufferPointer(start: cache.weights.base + i * dims.time, count: dims.time)) }
    }
}

/// Greedy or beam decoding of whole utterances with an attention model's frozen weights.
struct AttentionDecoder: UtteranceDecoder, @unchecked Sendable {
    let encoder: StackedEncoder
    let snapshot: DecoderSnapshot
    let search: DecodingConfig

    func decode(features: [Float], frames: Int) -> Hypothesis {
        snapshot.beamSearch(memory(features: features, frames: frames), config: search)
    }

    func nbest(features: [Float], frames: Int, count: Int) -> [Hypothesis] {
        snapshot.nbest(memory(features: features, frames: frames), config: search, count: count)
    }

    /// The encoder states of `features` [frames, F] as a complete attention memory.
    func memory(features: [Float], frames: Int) -> AttentionMemory {
        let memory = snapshot.makeMemory()
        if frames > 0 { memory.append(encoder.encode(features: features, frames: frames)) }
        memory.complete()
        return memory
    }
}
