import NeuralNet
import Randomness
import TensorCore

/// Where one trajectory stands before its next step.
struct StepCursor {
    /// The utterance's index in the batch.
    var utterance: Int
    /// The position read, I(t) (0-based).
    var position: Int
    /// Tokens emitted before the step, O(t − 1).
    var emitted: Int
    /// b_{t−1}: 0 ingest, 1 emit, 2 at the first step.
    var previousDecision: Int
}

/// A network that gives decision logits step by step for a fixed set of rows (p or q, not recording).
protocol DecisionProcess {
    /// Feeds each row's step input and returns its decision logit z [rows].
    mutating func logits(_ cursors: [StepCursor]) -> [Float]
}

/// p as a decision process: reads [B, M, R] (values) and the labels (teacher forcing).
struct EmitIngestProcess: DecisionProcess {
    let network: EmitIngestNetwork
    let reads: [Float]
    let readShape: (positions: Int, width: Int)
    let labels: [[Int]]
    var steps: LSTMStackSteps
    let tape = Tape(recording: false)

    init(network: EmitIngestNetwork, reads: Tensor, labels: [[Int]]) {
        self.network = network
        self.reads = reads.scalars
        readShape = (reads.shape[1], reads.shape[2])
        self.labels = labels
        steps = LSTMStackSteps(network.lstm)
    }

    mutating func logits(_ cursors: [StepCursor]) -> [Float] {
        let (M, R) = readShape
        var input: [Float] = []
        for c in cursors {
            let base = (c.utterance * M + c.position) * R
            input += network.stepInput(read: reads[base..<(base + R)],
                                       previousToken: network.previousToken(labels[c.utterance], emitted: c.emitted))
        }
        let hidden = steps.step(input, rows: cursors.count)
        return network.heads(hidden, rows: cursors.count, on: tape).decisions
    }
}

/// q as a decision process: its input states h′ [B, M, R′] and target states g [B, L, G] (values).
struct InferenceProcess: DecisionProcess {
    let network: InferenceNetwork
    let inputs: [Float]
    let inputShape: (positions: Int, width: Int)
    let targets: [Float]
    let targetShape: (length: Int, width: Int)
    var steps: LSTMStackSteps
    let tape = Tape(recording: false)

    init(network: InferenceNetwork, inputs: Tensor, targets: Tensor) {
        self.network = network
        self.inputs = inputs.scalars
        inputShape = (inputs.shape[1], inputs.shape[2])
        self.targets = targets.scalars
        targetShape = (targets.shape[1], targets.shape[2])
        steps = LSTMStackSteps(network.decision)
    }

    mutating func logits(_ cursors: [StepCursor]) -> [Float] {
        let (M, R) = inputShape
        let (L, G) = targetShape
        var input: [Float] = []
        for c in cursors {
            let read = (c.utterance * M + c.position) * R
            let next = (c.utterance * L + c.emitted) * G
            input += network.stepInput(read: inputs[read..<(read + R)], target: targets[next..<(next + G)],
                                       previousDecision: c.previousDecision)
        }
        let hidden = steps.step(input, rows: cursors.count)
        return network.head(tape.constant(Tensor(shape: [cursors.count, hidden.count / cursors.count], scalars: hidden)),
                            on: tape).value.scalars
    }
}

/// Ancestral sampling of decision trajectories: k rows per utterance (utterance-major), each with its
/// own generator split from `rng` in row order, so the draws do not depend on how the rows are spread
/// over the `ComputeThreads` threads. Forced decisions (`DecisionPath`) take no random draw.
enum TrajectorySampler {
    /// k trajectories for each utterance (`positions[u]` inputs, `labels[u]` targets), drawn from the
    /// processes `makeProcess` builds, one per chunk of rows.
    static func sample(positions: [Int], labels: [[Int]], samples k: Int, rng: inout Xoshiro256StarStar,
                       makeProcess: (_ rows: Int) -> any DecisionProcess) -> [PathRow] {
        let rows = (0..<(positions.count * k)).map { r in
            PathRow(utterance: r / k, path: DecisionPath(positions: positions[r / k], tokens: labels[r / k].count))
        }
        var generators = rows.map { _ in rng.split() }
        let chunks = max(1, min(rows.count, ComputeThreads.count))
        let results = IndexedSlots<[(Int, DecisionPath)]>(count: chunks)
        generators.withUnsafeMutableBufferPointer { generatorBuffer in
            nonisolated(unsafe) let shared = generatorBuffer
            ComputeThreads.parallelFor(chunks) { chunk in
                let range = (rows.count * chunk / chunks)..<(rows.count * (chunk + 1) / chunks)
                var process = makeProcess(range.count)
                var chunkRows = Array(rows[range])
                while chunkRows.contains(where: { !$0.path.isComplete }) {
                    let cursors = chunkRows.map { row in
                        StepCursor(utterance: row.utterance, position: min(row.path.position, row.path.positions - 1),
                                   emitted: min(row.path.emitted, row.path.tokens),
                                   previousDecision: row.path.decisions.last.map { $0 ? 1 : 0 } ?? 2)
                    }
                    let z = process.logits(cursors)
                    for i in chunkRows.indices where !chunkRows[i].path.isComplete {
                        if let rule = chunkRows[i].path.forcedNext {
                            chunkRows[i].path.append(rule)
                        } else {
                            let emitProbability = 1 / (1 + SIMDMath.exp(-z[i]))
                            chunkRows[i].path.append(shared[range.lowerBound + i].nextUnit() < emitProbability)
                        }
                    }
                }
                results.set(chunk, zip(range, chunkRows).map { ($0, $1.path) })
            }
        }
        var sampled = rows
        for (r, path) in results.values.joined() { sampled[r].path = path }
        return sampled
    }
}
