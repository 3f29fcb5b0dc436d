import NeuralNet
import Randomness
import TensorCore

/// The subsampling mechanism of Raffel & Lawson (2017) trained in expectation: a stacked LSTM encoder
/// gives states h_t [T', M]; each state is emitted with probability e_t = σ(w·h_t + b) (plus Gaussian
/// noise before the sigmoid while training); the expected subsampled sequence
/// ŷ_m = Σ_t P(y_m = h_t) h_t (`ExpectedSubsampling`) feeds an output LSTM whose softmax predicts phone m
/// at step m and end of sequence at step L, by cross-entropy under teacher forcing. At test time a
/// state is emitted when e_t > 0.5, and each emitted state gives the next phone at once: online and linear.
///
/// Parameters (stable names, PyTorch layouts): the encoder's (`StackedEncoder`);
/// `emission.{weight [1, M], bias [1]}`; `output.lstm.{weightIH [4H, M], weightHH [4H, H], bias [4H]}`
/// unless `output.hiddenSize` is 0; `output.softmax.{weight [labels + 1, H or M], bias [labels + 1]}`.
public final class SubsamplingModel: StackedEncoderModel {
    /// The shape of the model.
    public let shape: SubsamplingModelConfig
    /// All parameters in registration order.
    public let registry: ParameterRegistry
    /// The encoder.
    public let encoder: StackedEncoder
    /// w and b of the emission probabilities.
    let emission: Linear
    /// The output LSTM over ŷ (nil: feed-forward output).
    let outputCell: LSTMWeights?
    /// The softmax layer over phones and end of sequence.
    let softmax: Linear
    /// The last training batch's expected output length against its target length.
    public private(set) var batchStatistics: [String: Double] = [:]

    /// A freshly initialised model: matrices uniform on ±initScale, biases 0 (forget gates 1, the
    /// emission bias `emission.initialBias`).
    public init(config: SubsamplingModelConfig, seed: UInt64 = 1, initScale: Float = 0.075) throws {
        try config.validate()
        shape = config
        let registry = ParameterRegistry()
        self.registry = registry
        var rng = Xoshiro256StarStar(seed: seed)
        encoder = try StackedEncoder(registry, config: config.encoder, rng: &rng)
        let memory = config.encoder.outputSize
        emission = try Linear(registry, name: "emission", inputs: memory, outputs: 1, rng: &rng)
        let hidden = config.output.hiddenSize
        outputCell = hidden > 0
            ? try LSTMWeights(registry, name: "output.lstm", inputs: memory, hidden: hidden, forgetBias: 1, rng: &rng)
            : nil
        softmax = try Linear(registry, name: "output.softmax", inputs: hidden > 0 ? hidden : memory,
                             outputs: config.output.outputCount, rng: &rng)
        registry.drawMatrices(rng: &rng) { _ in initScale }
        emission.bias?.value.withUnsafeMutableBufferPointer { $0[0] = config.emission.initialBias }
    }

    public var config: ModelConfig { ModelConfig(shape) }
    public var labelCount: Int { shape.output.labelCount }

    /// Mean cross-entropy per label (end of sequence included) of `batch` on the expected subsampled
    /// sequence, plus the length regulariser when `emission.lengthPenalty` > 0; while `training`:
    /// dropout, emission noise and label smoothing.
    public func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float = 0,
                     rng: inout Xoshiro256StarStar) -> Variable {
        let (states, stateLengths) = encoder.states(of: batch, on: tape, training: training, rng: &rng)
        let B = batch.count, T = states.shape[1]
        var logits = tape.reshape(emission(states, on: tape), [B, T])
        if training && shape.emission.noiseStd > 0 {
            let std = shape.emission.noiseStd
            logits = tape.add(logits, tape.constant(Tensor(shape: [B, T]) { _ in rng.nextNormal() * std }))
        }
        let e = tape.sigmoid(logits)
        let steps = (batch.map(\.labels.count).max() ?? 0) + 1
        let table = tape.expectedSubsampling(e, lengths: stateLengths, steps: steps)
        var features = tape.batchedMatmul(table, states)
        if let outputCell {
            features = outputCell.run(features, lengths: batch.map { $0.labels.count + 1 }, initialState: nil, reverse: false,
                                      on: tape).output
        }
        if training && shape.output.dropout > 0 { features = tape.dropout(features, rate: shape.output.dropout, rng: &rng) }
        let targets = batch.map { $0.labels + [shape.output.endOfSequence] }
        var loss = tape.crossEntropy(softmax(features, on: tape), targets: targets,
                                     options: CrossEntropyOptions(labelSmoothing: labelSmoothing))
        // Σ_t e_t per utterance: logged while training, and the length penalty's input.
        guard training || shape.emission.lengthPenalty > 0 else { return loss }
        let mask = SequenceMask.make(lengths: stateLengths, maxLength: T)
        let expectedLength = tape.sum(tape.multiply(e, tape.constant(mask)), axis: 1)
        if training {
            let ratios = zip(expectedLength.value.scalars, batch).map { Double($0) / Double(max($1.labels.count, 1)) }
            batchStatistics = ["expected length / target": ratios.reduce(0, +) / Double(max(B, 1))]
        }
        if shape.emission.lengthPenalty > 0 {
            let scale = Tensor(shape: [B], scalars: batch.map { 1 / Float($0.labels.count + 1) })
            let target = Tensor(shape: [B], scalars: batch.map { Float($0.labels.count) / Float($0.labels.count + 1) })
            let excess = tape.subtract(tape.multiply(expectedLength, tape.constant(scale)), tape.constant(target))
            let penalty = tape.scale(tape.mean(tape.multiply(excess, excess)), by: shape.emission.lengthPenalty)
            loss = tape.add(loss, penalty)
        }
        return loss
    }

    /// The frozen test-time pieces of the model.
    func inference() -> SubsamplingInference {
        SubsamplingInference(emissionWeight: emission.weight.value.scalars, emissionBias: emission.bias?.value.scalars[0] ?? 0,
                             outputCell: outputCell, softmax: softmax, labelCount: labelCount, stateSize: shape.encoder.outputSize)
    }

    public func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder {
        SubsamplingDecoder(encoder: encoder, inference: inference(), search: search)
    }

    public func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding {
        try SubsamplingOnlineDecoder(model: self)
    }

    /// The states emitted by greedy decoding (one row per emitted phone, 1 on its state), with the
    /// emission probabilities e_t of every state.
    public func alignment(of example: Example) -> AlignmentPicture? {
        let states = encoder.encode(features: example.features, frames: example.frames)
        let count = encoderStates(frames: example.frames)
        let run = inference()
        var greedy = GreedySubsampling(inference: run)
        let emitted = greedy.consume(states: states, count: count)
        var weights = [Float](repeating: 0, count: emitted.count * count)
        for (row, emission) in emitted.enumerated() { weights[row * count + emission.state!] = 1 }
        let probabilities = (0..<count).map { t in run.emissionProbability(states, at: t) }
        return AlignmentPicture(labels: emitted.map(\.label), attended: emitted.map(\.state), states: count, weights: weights,
                                caption: "emitted states (rows: phones) and emission probabilities",
                                emissionProbabilities: probabilities)
    }
}
