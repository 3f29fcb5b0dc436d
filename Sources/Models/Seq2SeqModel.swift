import NeuralNet
import Randomness
import TensorCore

/// Everything that fixes the model's shape, saved as JSON beside its weights.
public struct ModelConfig: Codable, Sendable, Equatable {
    /// The encoder.
    public var encoder: EncoderConfig = .init()
    /// The decoder.
    public var decoder: DecoderConfig = .init()
    /// The attention mechanism.
    public var attention: AttentionConfig = .init()

    /// The paper's TIMIT model unless told otherwise.
    public init(encoder: EncoderConfig = .init(), decoder: DecoderConfig = .init(), attention: AttentionConfig = .init()) {
        self.encoder = encoder
        self.decoder = decoder
        self.attention = attention
    }

    /// Checks every part.
    public func validate() throws {
        try encoder.validate()
        try decoder.validate()
        try attention.validate()
    }
}

/// The encoder-decoder of Raffel et al. (2017): stacked LSTM encoder with frame subsampling, an LSTM
/// decoder with softmax, monotonic or chunkwise attention, and an output softmax over phones + end of
/// sequence predicted from [decoder state; new context].
///
/// Parameters (stable names, PyTorch layouts):
/// `encoder.lstm<k>.{weightIH [4H, in], weightHH [4H, H], bias [4H]}` (and `.reverse.` when
/// bidirectional); `decoder.embedding.weight [labels + 2, E]` (rows: phones, end, start);
/// `decoder.lstm.{weightIH [4S, E + M], weightHH [4S, S], bias [4S]}`;
/// `attention.query.weight [D, S]`, `attention.bias [D]`, `attention.key.weight [D, M]`, `attention.v [D]`,
/// `attention.gain [1]`, `attention.offset [1]` (the last two for monotonic and MoChA); MoChA's chunk
/// energy under `attention.chunk.*`; `decoder.output.{weight [labels + 1, S + M], bias [labels + 1]}`.
public final class Seq2SeqModel {
    /// The shape of the model.
    public let config: ModelConfig
    /// All parameters in registration order.
    public let registry: ParameterRegistry
    let encoderLayers: [[LSTMWeights]]
    let embedding: Embedding
    let cell: LSTMWeights
    let attentionParameters: [Parameter]
    let output: Linear

    /// A freshly initialised model: matrices uniform on ±initScale (the paper's 0.075), embeddings
    /// uniform on ±√(3/E), biases 0 (forget gates 1), g = attention.resolvedInitialGain,
    /// r = attention.initialOffset.
    public init(config: ModelConfig, seed: UInt64 = 1, initScale: Float = 0.075) throws {
        try config.validate()
        self.config = config
        let registry = ParameterRegistry()
        self.registry = registry
        var rng = Xoshiro256StarStar(seed: seed)
        let e = config.encoder, d = config.decoder, a = config.attention
        var layers: [[LSTMWeights]] = []
        for k in 0..<e.layers {
            let inputs = k == 0 ? e.inputSize : e.outputSize
            var directions = [try LSTMWeights(registry, name: "encoder.lstm\(k)", inputs: inputs, hidden: e.hiddenSize,
                                              forgetBias: 1, rng: &rng)]
            if e.bidirectional {
                directions.append(try LSTMWeights(registry, name: "encoder.lstm\(k).reverse", inputs: inputs,
                                                  hidden: e.hiddenSize, forgetBias: 1, rng: &rng))
            }
            layers.append(directions)
        }
        encoderLayers = layers
        let memory = e.outputSize
        embedding = try Embedding(registry, name: "decoder.embedding", vocabulary: d.labelCount + 2,
                                  dimension: d.embeddingSize, rng: &rng)
        cell = try LSTMWeights(registry, name: "decoder.lstm", inputs: d.embeddingSize + memory, hidden: d.hiddenSize,
                               forgetBias: 1, rng: &rng)
        func energy(_ prefix: String, normalised: Bool) throws -> [Parameter] {
            var p = [
                try registry.make("\(prefix).query.weight", shape: [a.dim, d.hiddenSize], initializer: .uniform(limit: initScale), rng: &rng),
                try registry.make("\(prefix).bias", shape: [a.dim], initializer: .constant(0), rng: &rng),
                try registry.make("\(prefix).key.weight", shape: [a.dim, memory], initializer: .uniform(limit: initScale), rng: &rng),
                try registry.make("\(prefix).v", shape: [a.dim], initializer: .uniform(limit: initScale), rng: &rng),
            ]
            if normalised {
                p.append(try registry.make("\(prefix).gain", shape: [1], initializer: .constant(a.resolvedInitialGain), rng: &rng))
                p.append(try registry.make("\(prefix).offset", shape: [1], initializer: .constant(a.initialOffset), rng: &rng))
            }
            return p
        }
        var attention = try energy("attention", normalised: a.kind != .softmax)
        if a.kind == .mocha { attention += try energy("attention.chunk", normalised: true) }
        attentionParameters = attention
        output = try Linear(registry, name: "decoder.output", inputs: d.hiddenSize + memory, outputs: d.outputCount, rng: &rng)
        // The paper's initialisation of every matrix and of the embeddings.
        for p in registry.parameters where p.shape.count == 2 {
            let limit = p === embedding.weight ? (3 / Float(d.embeddingSize)).squareRoot() : initScale
            p.value.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] = rng.nextUniform(-limit, limit) }
            }
        }
    }

    /// The time reduction after the chosen encoder layers: keep frames 0, 2, 4, ….
    static let subsampling = FrameSubsamplingOptions(factor: 2, mode: .drop)

    /// Every parameter, in registration order.
    public var parameters: [Parameter] { registry.parameters }

    /// Sizes of a teacher-forced decoder pass over `batch` rows.
    func decoderDimensions(batch: Int, steps: Int, time: Int) -> DecoderDimensions {
        DecoderDimensions(batch: batch, steps: steps, time: time, memory: config.encoder.outputSize,
                          embedding: config.decoder.embeddingSize, hidden: config.decoder.hiddenSize,
                          attention: config.attention.dim, kind: config.attention.kind,
                          chunkWidth: config.attention.chunkWidth, runOff: config.attention.runOff)
    }

    /// The encoder over x [B, T, F] with `lengths`: states [B, T', M] and their lengths (dropout
    /// between layers while `training`).
    func encode(_ x: Variable, lengths: [Int], on tape: Tape, training: Bool, rng: inout Xoshiro256StarStar)
        -> (states: Variable, lengths: [Int])
    {
        var h = x
        var lens = lengths
        for (k, directions) in encoderLayers.enumerated() {
            if k > 0 && training && config.encoder.dropout > 0 {
                h = tape.dropout(h, rate: config.encoder.dropout, rng: &rng)
            }
            let outputs = directions.enumerated().map { d, w in
                w.run(h, lengths: lens, initialState: nil, reverse: d == 1, on: tape).output
            }
            h = outputs.count == 1 ? outputs[0] : tape.concat(outputs, axis: 2)
            if config.encoder.subsampleAfter.contains(k) {
                h = tape.subsampleFrames(h, options: Self.subsampling)
                lens = lens.map(Self.subsampling.outputLength)
            }
        }
        return (h, lens)
    }

    /// The padded feature tensor [B, T, F] of `batch` and its lengths.
    func features(_ batch: [Example]) -> (Tensor, [Int]) {
        let F = config.encoder.inputSize
        let T = batch.map(\.frames).max() ?? 0
        var x = Tensor.zeros([batch.count, T, F])
        x.withUnsafeMutableBufferPointer { p in
            for (b, e) in batch.enumerated() {
                precondition(e.features.count == e.frames * F, "utterance \(e.id): features are not [frames, \(F)]")
                (p.baseAddress! + b * T * F).update(from: e.features, count: e.features.count)
            }
        }
        return (x, batch.map(\.frames))
    }

    /// Mean cross-entropy per label (end of sequence included) of `batch` under teacher forcing;
    /// while `training`: dropout, attention noise and label smoothing.
    public func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float = 0,
                     rng: inout Xoshiro256StarStar) -> Variable {
        let d = config.decoder
        let (x, lengths) = features(batch)
        let (memory, memoryLengths) = encode(tape.constant(x), lengths: lengths, on: tape, training: training, rng: &rng)
        let U = (batch.map(\.labels.count).max() ?? 0) + 1
        let previous = batch.map { e in [d.startOfSequence] + e.labels + Array(repeating: d.endOfSequence, count: U - 1 - e.labels.count) }
        let targets = batch.map { $0.labels + [d.endOfSequence] }
        let embedded = embedding(previous, on: tape)
        let dims = decoderDimensions(batch: batch.count, steps: U, time: memory.shape[1])
        var noise: Tensor?
        if training && config.attention.kind != .softmax && config.attention.noiseStd > 0 {
            let std = config.attention.noiseStd
            noise = Tensor(shape: [U, batch.count, dims.time]) { _ in rng.nextNormal() * std }
        }
        var weights = [cell.weightIH, cell.weightHH, cell.bias].map { tape.parameter($0) }
        var attention = attentionParameters.map { tape.parameter($0) }
        if config.attention.kind == .softmax {
            attention += [tape.constant(Tensor(shape: [1], scalars: [1])), tape.constant(Tensor(shape: [1], scalars: [0]))]
        }
        weights += attention
        var features = tape.attentionDecoder(memory: memory, lengths: memoryLengths, embedded: embedded, weights: weights,
                                             dims: dims, noise: noise)
        if training && d.dropout > 0 { features = tape.dropout(features, rate: d.dropout, rng: &rng) }
        let logits = output(features, on: tape)
        return tape.crossEntropy(logits, targets: targets, options: CrossEntropyOptions(labelSmoothing: labelSmoothing))
    }

    /// Encoder states [T', M] (row-major) of one utterance's features [frames, F], no dropout.
    public func encode(features: [Float], frames: Int) -> [Float] {
        let tape = Tape(recording: false)
        var unused = Xoshiro256StarStar(seed: 0)
        let x = Tensor(shape: [1, frames, config.encoder.inputSize], scalars: features)
        return encode(tape.constant(x), lengths: [frames], on: tape, training: false, rng: &unused).states.value.scalars
    }

    /// Frozen copies of the decoder's weights for test-time decoding.
    public func decoderSnapshot() -> DecoderSnapshot {
        var arrays: [String: [Float]] = [:]
        for p in registry.parameters where !p.name.hasPrefix("encoder.") { arrays[p.name] = p.value.scalars }
        return DecoderSnapshot(dims: decoderDimensions(batch: 1, steps: 1, time: 0), labelCount: config.decoder.labelCount,
                               arrays: arrays)
    }

    /// The attention weights of teacher-forced decoding of `example` (no noise or dropout): row i is
    /// the weights over encoder states [T'] used for output step i (labels then end of sequence),
    /// i.e. the expected alignment α (β for MoChA), for pictures of what the model attends to.
    public func attentionWeights(for example: Example) -> [[Float]] {
        let tape = Tape(recording: false)
        var unused = Xoshiro256StarStar(seed: 0)
        let d = config.decoder
        let (x, lengths) = features([example])
        let (memory, memoryLengths) = encode(tape.constant(x), lengths: lengths, on: tape, training: false, rng: &unused)
        let embedded = embedding([[d.startOfSequence] + example.labels], on: tape)
        let dims = decoderDimensions(batch: 1, steps: example.labels.count + 1, time: memory.shape[1])
        var weights = [cell.weightIH, cell.weightHH, cell.bias].map(\.value) + attentionParameters.map(\.value)
        if config.attention.kind == .softmax { weights += [Tensor(shape: [1], scalars: [1]), Tensor(shape: [1], scalars: [0])] }
        var output = [Float](repeating: 0, count: dims.steps * dims.output)
        let cache = withBasePointers([memory.value, embedded.value] + weights) { p in
            output.withUnsafeMutableBufferPointer { o in
                DecoderRecurrence.forward(dims: dims, weights: Tape.decoderWeights(p, dims), memory: p[0], lengths: memoryLengths,
                                          embedded: p[1], noise: nil, output: o.baseAddress!)
            }
        }
        return (0..<dims.steps).map { i in Array(UnsafeBufferPointer(start: cache.weights.base + i * dims.time, count: dims.time)) }
    }
}

extension ModelConfig {
    /// Decodes the fields present and keeps the documented default of every missing one.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        self.encoder = try c.decodeIfPresent(EncoderConfig.self, forKey: .encoder) ?? defaults.encoder
        self.decoder = try c.decodeIfPresent(DecoderConfig.self, forKey: .decoder) ?? defaults.decoder
        self.attention = try c.decodeIfPresent(AttentionConfig.self, forKey: .attention) ?? defaults.attention
    }
}
