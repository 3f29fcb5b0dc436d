import NeuralNet
import Randomness
import TensorCore

/// The inference network q(b_t | b_<t, x, y) of NVIL and VIMCO (Lawson et al. 2018 §4, Fig. 1b), used
/// only in training: a bidirectional LSTM stack over the input frames gives h′ per position (dropping
/// frames after the same number of layers as p's encoder, so its positions are p's); a unidirectional
/// LSTM over the targets [y_1 … y_n, eos] and a padding token gives g_j after reading y_1 … y_j; a unidirectional LSTM stack reads
/// [h′_{I(t)}; g_{O(t−1)+1}; one-hot(b_{t−1} ∈ {ingest, emit, none})] and a linear head gives q's logit.
///
/// Parameters: `q.input.lstm<k>[.reverse].*`, `q.target.embedding.weight [labels + 2, E]` (rows: phones,
/// end of sequence, padding), `q.target.lstm0.*`, `q.decision.lstm<k>.*`, `q.head.{weight [1, H], bias}`.
struct InferenceNetwork {
    let input: StackedEncoder
    let targetEmbedding: Embedding
    let target: LSTM
    let decision: LSTM
    let head: Linear
    let labelCount: Int

    init(_ registry: ParameterRegistry, config: HardAlignmentConfig, rng: inout Xoshiro256StarStar) throws {
        let q = config.inference
        labelCount = config.labelCount
        let dropped = config.encoder?.subsampleAfter.count ?? 0
        input = try StackedEncoder(registry, name: "q.input",
                                   config: EncoderConfig(inputSize: config.inputSize, layers: q.inputLayers,
                                                         hiddenSize: q.inputHiddenSize, bidirectional: true,
                                                         subsampleAfter: Array(0..<dropped)), rng: &rng)
        targetEmbedding = try Embedding(registry, name: "q.target.embedding", vocabulary: config.labelCount + 2,
                                        dimension: q.embeddingSize, rng: &rng)
        target = try LSTM(registry, name: "q.target", config: LSTMConfig(inputSize: q.embeddingSize, hiddenSize: q.targetHiddenSize,
                                                                          layers: 1), rng: &rng)
        decision = try LSTM(registry, name: "q.decision",
                            config: LSTMConfig(inputSize: 2 * q.inputHiddenSize + q.targetHiddenSize + 3,
                                               hiddenSize: q.decisionHiddenSize, layers: q.decisionLayers), rng: &rng)
        head = try Linear(registry, name: "q.head", inputs: q.decisionHiddenSize, outputs: 1, rng: &rng)
    }

    /// What q reads for a batch of targets (each ending in the end of sequence): h′ [B, M, 2H′] and
    /// g [B, n_max + 1, H_y] (g_j at index j − 1; index n is after the padding token, read once every
    /// target is emitted).
    func context(features x: Tensor, lengths: [Int], labels: [[Int]], on tape: Tape) -> (inputs: Variable, targets: Variable) {
        var unused = Xoshiro256StarStar(seed: 0)
        let inputs = input(tape.constant(x), lengths: lengths, on: tape, training: false, rng: &unused).states
        let L = (labels.map(\.count).max() ?? 0) + 1
        let ids = labels.map { $0 + Array(repeating: labelCount + 1, count: L - $0.count) }
        let targets = target(targetEmbedding(ids, on: tape), lengths: labels.map { $0.count + 1 }, on: tape).output
        return (inputs, targets)
    }

    /// Teacher-forced pass over trajectories → q's decision logits [N, T, 1].
    func callAsFunction(inputs: Variable, targets: Variable, indices: PathIndices, on tape: Tape) -> Variable {
        let (B, M, R) = (inputs.shape[0], inputs.shape[1], inputs.shape[2])
        let (L, G) = (targets.shape[1], targets.shape[2])
        let (N, T) = (indices.rows, indices.steps)
        let read = tape.reshape(tape.gather(tape.reshape(inputs, [B * M, R]), rows: indices.readRows), [N, T, R])
        let targetRows = (0..<(N * T)).map { i in (indices.readRows[i] / M) * L + indices.emittedBefore[i] }
        let next = tape.reshape(tape.gather(tape.reshape(targets, [B * L, G]), rows: targetRows), [N, T, G])
        var previous = Tensor.zeros([N, T, 3])
        previous.withUnsafeMutableBufferPointer { p in
            for (i, d) in indices.previousDecision.enumerated() { p[i * 3 + d] = 1 }
        }
        let h = decision(tape.concat([read, next, tape.constant(previous)], axis: 2), lengths: indices.lengths, on: tape).output
        return head(h, on: tape)
    }

    /// One step's input: h′ row, g row and the previous decision (0 ingest, 1 emit, 2 none).
    func stepInput(read: ArraySlice<Float>, target: ArraySlice<Float>, previousDecision: Int) -> [Float] {
        var oneHot: [Float] = [0, 0, 0]
        oneHot[previousDecision] = 1
        return Array(read) + Array(target) + oneHot
    }
}
