import NeuralNet
import Randomness
import TensorCore

/// One sampled (or enumerated) trajectory of one utterance of a batch.
public struct PathRow: Sendable, Equatable {
    /// The utterance's index in the batch.
    public var utterance: Int
    /// Its decisions.
    public var path: DecisionPath

    /// The trajectory `path` of utterance `utterance`.
    public init(utterance: Int, path: DecisionPath) {
        self.utterance = utterance
        self.path = path
    }
}

/// The gather indices of teacher-forced passes over trajectories: per row r and step s (padded to the
/// longest trajectory T), the read position I(s) (as a row of the flattened reads [B·M, ·]) and the
/// tokens emitted before it, O(s − 1).
struct PathIndices {
    /// Rows N.
    let rows: Int
    /// Steps T (the longest trajectory).
    let steps: Int
    /// Each row's length m + n.
    let lengths: [Int]
    /// u·M + I(s) per (r, s), row-major [N, T] (padding: the row's last position).
    let readRows: [Int]
    /// O(s − 1) per (r, s) (padding: n).
    let emittedBefore: [Int]
    /// b_{s−1} per (r, s) as 0 ingest, 1 emit, 2 at the first step.
    let previousDecision: [Int]

    /// The indices of `rows` whose utterances each have `readLength` positions in the padded reads.
    init(_ paths: [PathRow], readLength M: Int) {
        rows = paths.count
        lengths = paths.map { $0.path.length }
        steps = lengths.max() ?? 0
        var reads: [Int] = [], emitted: [Int] = [], previous: [Int] = []
        for row in paths {
            let steps = row.path.steps
            for s in 0..<self.steps {
                if s < steps.count {
                    reads.append(row.utterance * M + steps[s].position)
                    emitted.append(steps[s].emittedBefore)
                    previous.append(s == 0 ? 2 : (row.path.decisions[s - 1] ? 1 : 0))
                } else {
                    reads.append(row.utterance * M + row.path.positions - 1)
                    emitted.append(row.path.tokens)
                    previous.append(0)
                }
            }
        }
        readRows = reads
        emittedBefore = emitted
        previousDecision = previous
    }
}

/// The emit/ingest model p (Luo et al. 2016; Lawson et al. 2018 §2.1): a unidirectional LSTM stack over
/// [x_{I(t)}; embedding(y_{O(t−1)})] (y₀ = start), a token head (logits over the phones and the end of
/// sequence) and a decision head z_t, p(b_t = 1 | s_t) = σ(z_t).
///
/// Parameters: `p.embedding.weight [labels + 2, E]` (rows: phones, end, start),
/// `p.lstm<k>.{weightIH, weightHH, bias}`, `p.token.{weight [labels + 1, H], bias}`, `p.decision.{weight [1, H], bias}`.
struct EmitIngestNetwork {
    let embedding: Embedding
    let lstm: LSTM
    let tokenHead: Linear
    let decisionHead: Linear
    /// Phones V; the end of sequence is V, the start token V + 1.
    let labelCount: Int
    /// Whether forced emits are scored with log σ(z) (`HardAlignmentEndOfInput.lastFrame`).
    let scoresForcedEmits: Bool
    /// The end-of-sequence token V.
    var endOfSequence: Int { labelCount }
    /// The start token V + 1 (fed before the first emit).
    var startOfSequence: Int { labelCount + 1 }

    init(_ registry: ParameterRegistry, config: HardAlignmentConfig, rng: inout Xoshiro256StarStar) throws {
        labelCount = config.labelCount
        scoresForcedEmits = config.scoresForcedEmits
        embedding = try Embedding(registry, name: "p.embedding", vocabulary: config.labelCount + 2,
                                  dimension: config.embeddingSize, rng: &rng)
        lstm = try LSTM(registry, name: "p", config: LSTMConfig(inputSize: config.readSize + config.embeddingSize,
                                                                 hiddenSize: config.hiddenSize, layers: config.layers), rng: &rng)
        tokenHead = try Linear(registry, name: "p.token", inputs: config.hiddenSize, outputs: config.labelCount + 1, rng: &rng)
        decisionHead = try Linear(registry, name: "p.decision", inputs: config.hiddenSize, outputs: 1, rng: &rng)
    }

    /// The token before step s: y_{O(s−1)}, or the start token.
    func previousToken(_ labels: [Int], emitted: Int) -> Int { emitted == 0 ? startOfSequence : labels[emitted - 1] }

    /// Teacher-forced pass over trajectories: reads [B, M, R], targets per utterance (phones and the end
    /// of sequence) → token logits [N, T, V + 1] and decision logits [N, T, 1] (padding steps are zero-state outputs; ignore them).
    func callAsFunction(reads: Variable, labels: [[Int]], indices: PathIndices, on tape: Tape) -> (tokens: Variable, decisions: Variable) {
        let (B, M, R) = (reads.shape[0], reads.shape[1], reads.shape[2])
        let (N, T) = (indices.rows, indices.steps)
        let read = tape.reshape(tape.gather(tape.reshape(reads, [B * M, R]), rows: indices.readRows), [N, T, R])
        let tokens = (0..<(N * T)).map { i in
            previousToken(labels[indices.readRows[i] / M], emitted: indices.emittedBefore[i])
        }
        let embedded = tape.reshape(embedding(tokens, on: tape), [N, T, embedding.weight.shape[1]])
        let h = lstm(tape.concat([read, embedded], axis: 2), lengths: indices.lengths, on: tape).output
        return (tokenHead(h, on: tape), decisionHead(h, on: tape))
    }

    /// The input of one step [R + E]: the read vector and the previous token's embedding.
    func stepInput(read: ArraySlice<Float>, previousToken: Int) -> [Float] {
        let E = embedding.weight.shape[1]
        return embedding.weight.value.withUnsafeBufferPointer { w in
            Array(read) + Array(w[(previousToken * E)..<((previousToken + 1) * E)])
        }
    }

    /// Heads of top hidden states [rows, H]: token logits [rows, V + 1] and the decision logits z [rows].
    func heads(_ hidden: [Float], rows: Int, on tape: Tape) -> (tokens: [Float], decisions: [Float]) {
        let h = tape.constant(Tensor(shape: [rows, hidden.count / max(rows, 1)], scalars: hidden))
        return (tokenHead(h, on: tape).value.scalars, decisionHead(h, on: tape).value.scalars)
    }
}
