import Randomness
import TensorCore

/// The encoder states a decoder attends over at test time, growing as an online encoder produces
/// them: states h [count, M] and their key projections Wk h [count, D] (and MoChA's chunk keys).
public final class AttentionMemory {
    /// Width M of one state.
    public let width: Int
    /// Encoder states so far, row-major [count, M].
    public private(set) var states: [Float] = []
    /// Wk h per state [count, D].
    private(set) var keys: [Float] = []
    /// MoChA's chunk keys [count, D] (empty otherwise).
    private(set) var chunkKeys: [Float] = []
    /// Whether the input has ended (no more states will arrive).
    public private(set) var isComplete = false
    private let decoder: DecoderSnapshot

    /// An empty memory for `decoder`.
    init(decoder: DecoderSnapshot) {
        self.decoder = decoder
        width = decoder.dims.memory
    }

    /// Number of states so far.
    public var count: Int { width == 0 ? 0 : states.count / width }

    /// Appends states [n, M] (row-major) and computes their keys.
    public func append(_ newStates: [Float]) {
        precondition(newStates.count % width == 0, "\(newStates.count) values are not whole states of \(width)")
        let n = newStates.count / width
        guard n > 0 else { return }
        states += newStates
        keys += decoder.project(newStates, rows: n, with: decoder.energy)
        if let chunk = decoder.chunkEnergy { chunkKeys += decoder.project(newStates, rows: n, with: chunk) }
    }

    /// Marks the end of the input.
    public func complete() { isComplete = true }
}

/// One hypothesis's decoder state between output steps.
public struct DecoderState: Sendable {
    /// LSTM output s [S].
    var state: [Float]
    /// LSTM cell [S].
    var cell: [Float]
    /// Previous context c [M].
    var context: [Float]
    /// The hard monotonic head (unused by softmax attention).
    var head: MonotonicHead
}

/// An output step whose LSTM update is done and whose attention may still wait for frames.
struct PendingStep {
    var state: [Float]
    var cell: [Float]
    var query: [Float]
    var chunkQuery: [Float]
    var head: MonotonicHead
    var scanFrom: Int
}

/// The outcome of one decoder step at test time.
public struct StepOutput: Sendable {
    /// The new decoder state.
    public var state: DecoderState
    /// log p(label) over phones and end of sequence [labelCount + 1].
    public var logProbabilities: [Float]
    /// The encoder state attended (hard monotonic stop, or the softmax maximum); nil for none.
    public var frame: Int?
}

/// Frozen copies of the decoder's weights for test-time decoding; shareable across threads.
///
/// Steps are: `prepare` (LSTM on [embedding of the previous label; previous context]), `attend`
/// (hard monotonic scan, MoChA chunk or full softmax), then the output layer on [state; context].
public final class DecoderSnapshot: @unchecked Sendable {
    /// Sizes (batch and steps unused).
    let dims: DecoderDimensions
    /// Phones; end of sequence is `labelCount`, the start symbol `labelCount + 1`.
    public let labelCount: Int
    private let storage: [String: FloatStorage]
    let energy: EnergyWeights
    let chunkEnergy: EnergyWeights?
    let weights: DecoderWeights
    private let embedding: UnsafePointer<Float>
    private let outputWeight: UnsafePointer<Float>
    private let outputBias: UnsafePointer<Float>

    /// Copies the named arrays (see `Seq2SeqModel` for the names) into a snapshot.
    init(dims: DecoderDimensions, labelCount: Int, arrays: [String: [Float]]) {
        self.dims = dims
        self.labelCount = labelCount
        var storage: [String: FloatStorage] = [:]
        for (name, values) in arrays {
            let s = FloatStorage(values.count)
            s.base.update(from: values, count: values.count)
            storage[name] = s
        }
        self.storage = storage
        func p(_ name: String) -> UnsafePointer<Float> {
            guard let s = storage[name] else { preconditionFailure("decoder snapshot lacks \(name)") }
            return UnsafePointer(s.base)
        }
        func makeEnergy(_ prefix: String, normalised: Bool) -> EnergyWeights {
            EnergyWeights(queryWeight: p(prefix + ".query.weight"), queryBias: p(prefix + ".bias"),
                          keyWeight: p(prefix + ".key.weight"), v: p(prefix + ".v"),
                          gain: normalised ? p(prefix + ".gain")[0] : 1, offset: normalised ? p(prefix + ".offset")[0] : 0,
                          normalised: normalised)
        }
        let energy = makeEnergy("attention", normalised: dims.kind != .softmax)
        self.energy = energy
        let chunkEnergy = dims.kind == .mocha ? makeEnergy("attention.chunk", normalised: true) : nil
        self.chunkEnergy = chunkEnergy
        weights = DecoderWeights(weightIH: p("decoder.lstm.weightIH"), weightHH: p("decoder.lstm.weightHH"),
                                 bias: p("decoder.lstm.bias"), energy: energy, chunkEnergy: chunkEnergy)
        embedding = p("decoder.embedding.weight")
        outputWeight = p("decoder.output.weight")
        outputBias = p("decoder.output.bias")
    }

    /// An empty memory to fill with encoder states.
    public func makeMemory() -> AttentionMemory { AttentionMemory(decoder: self) }

    /// The state before the first output step: zeros, head on frame 0.
    public func initialState() -> DecoderState {
        DecoderState(state: [Float](repeating: 0, count: dims.hidden), cell: [Float](repeating: 0, count: dims.hidden),
                     context: [Float](repeating: 0, count: dims.memory), head: MonotonicHead(runOff: dims.runOff))
    }

    /// rows × Wᵀ for the key projection [rows, D].
    func project(_ states: [Float], rows: Int, with e: EnergyWeights) -> [Float] {
        var out = [Float](repeating: 0, count: rows * dims.attention)
        states.withUnsafeBufferPointer { h in
            out.withUnsafeMutableBufferPointer { o in
                BLAS.gemm(.none, .transposed, m: rows, n: dims.attention, k: dims.memory, a: h.baseAddress!,
                             lda: dims.memory, b: e.keyWeight, ldb: dims.memory, c: o.baseAddress!, ldc: dims.attention)
            }
        }
        return out
    }

    /// The LSTM update and attention queries of a step whose previous output was `label`.
    func prepare(_ previous: DecoderState, label: Int) -> PendingStep {
        let S = dims.hidden, E = dims.embedding, M = dims.memory, D = dims.attention
        var input = [Float](repeating: 0, count: E + M)
        for k in 0..<E { input[k] = embedding[label * E + k] }
        for k in 0..<M { input[E + k] = previous.context[k] }
        var gates = [Float](repeating: 0, count: 4 * S)
        var state = [Float](repeating: 0, count: S), cell = state, tanhCell = state
        gates.withUnsafeMutableBufferPointer { z in
            input.withUnsafeBufferPointer { x in
                BLAS.gemm(.none, .transposed, m: 1, n: 4 * S, k: E + M, a: x.baseAddress!, lda: E + M,
                             b: weights.weightIH, ldb: E + M, c: z.baseAddress!, ldc: 4 * S)
            }
            previous.state.withUnsafeBufferPointer { s in
                BLAS.gemm(.none, .transposed, m: 1, n: 4 * S, k: S, a: s.baseAddress!, lda: S,
                             b: weights.weightHH, ldb: S, beta: 1, c: z.baseAddress!, ldc: 4 * S)
            }
            for k in 0..<(4 * S) { z[k] += weights.bias[k] }
            DecoderCell.forward(gates: z.baseAddress!, cellPrevious: previous.cell, rows: 1, hidden: S,
                                cell: &cell, tanhCell: &tanhCell, state: &state)
        }
        func query(_ e: EnergyWeights) -> [Float] {
            var q = [Float](repeating: 0, count: D)
            state.withUnsafeBufferPointer { s in
                q.withUnsafeMutableBufferPointer { o in
                    BLAS.gemm(.none, .transposed, m: 1, n: D, k: S, a: s.baseAddress!, lda: S,
                                 b: e.queryWeight, ldb: S, c: o.baseAddress!, ldc: D)
                }
            }
            for k in 0..<D { q[k] += e.queryBias[k] }
            return q
        }
        return PendingStep(state: state, cell: cell, query: query(energy), chunkQuery: chunkEnergy.map(query) ?? [],
                           head: previous.head, scanFrom: previous.head.position)
    }

    /// Attends for a pending step over the states available in `memory`. Returns nil while a monotonic
    /// scan waits for more states (call again after appending); otherwise the finished step.
    func attend(_ pending: inout PendingStep, memory: AttentionMemory) -> StepOutput? {
        let D = dims.attention, M = dims.memory
        var context = [Float](repeating: 0, count: M)
        var frame: Int?
        switch dims.kind {
        case .softmax:
            guard memory.isComplete else { return nil }
            let T = memory.count
            var e = [Float](repeating: 0, count: T)
            pending.query.withUnsafeBufferPointer { q in
                memory.keys.withUnsafeBufferPointer { k in
                    for j in 0..<T {
                        e[j] = AdditiveEnergy.forward(query: q.baseAddress!, key: k.baseAddress! + j * D, v: energy.v,
                                                      dim: D, hidden: nil)
                    }
                }
            }
            var alpha = [Float](repeating: 0, count: T)
            if T > 0 {
                SoftmaxAlignment.forward(energy: e, time: T, length: T, alpha: &alpha)
                AttentionContext.forward(alpha: alpha, memory: memory.states, length: T, dim: M, context: &context)
                frame = alpha.indices.max { alpha[$0] < alpha[$1] }
            }
        case .monotonic, .mocha:
            let scale = energy.scale(D), offset = energy.offset
            let outcome = pending.query.withUnsafeBufferPointer { q in
                memory.keys.withUnsafeBufferPointer { k in
                    pending.head.scan(from: pending.scanFrom, available: memory.count, inputEnded: memory.isComplete) { j in
                        scale * AdditiveEnergy.forward(query: q.baseAddress!, key: k.baseAddress! + j * D, v: energy.v,
                                                       dim: D, hidden: nil) + offset
                    }
                }
            }
            pending.scanFrom = outcome.resumeAt
            switch outcome.scan {
            case .needsMoreFrames: return nil
            case .stopped(let j): frame = j
            case .ranOff(let j): frame = j
            }
            if let t = frame {
                if let chunk = chunkEnergy {
                    chunkContext(pending.chunkQuery, stop: t, chunk: chunk, memory: memory, context: &context)
                } else {
                    for k in 0..<M { context[k] = memory.states[t * M + k] }
                }
            }
        }
        let state = DecoderState(state: pending.state, cell: pending.cell, context: context, head: pending.head)
        return StepOutput(state: state, logProbabilities: logProbabilities(pending.state, context), frame: frame)
    }

    /// MoChA's test-time context: softmax of the chunk energies over the w states ending at `stop`.
    private func chunkContext(_ query: [Float], stop: Int, chunk: EnergyWeights, memory: AttentionMemory,
                              context: inout [Float]) {
        let D = dims.attention, M = dims.memory
        let start = max(0, stop - dims.chunkWidth + 1)
        let scale = chunk.scale(D)
        var u = [Float](repeating: 0, count: stop + 1)
        query.withUnsafeBufferPointer { q in
            memory.chunkKeys.withUnsafeBufferPointer { k in
                for j in start...stop {
                    u[j] = scale * AdditiveEnergy.forward(query: q.baseAddress!, key: k.baseAddress! + j * D, v: chunk.v,
                                                          dim: D, hidden: nil) + chunk.offset
                }
            }
        }
        var w = [Float](repeating: 0, count: stop + 1)
        ChunkwiseAttention.hardWeights(energy: u, time: stop + 1, stop: stop, width: dims.chunkWidth, weights: &w)
        AttentionContext.forward(alpha: w, memory: memory.states, length: stop + 1, dim: M, context: &context)
    }

    /// log softmax(W_out [s; c] + b_out) [labelCount + 1].
    func logProbabilities(_ state: [Float], _ context: [Float]) -> [Float] {
        let V = labelCount + 1, S = dims.hidden, M = dims.memory
        let features = state + context
        var logits = [Float](repeating: 0, count: V)
        features.withUnsafeBufferPointer { f in
            logits.withUnsafeMutableBufferPointer { o in
                BLAS.gemm(.none, .transposed, m: 1, n: V, k: S + M, a: f.baseAddress!, lda: S + M,
                             b: outputWeight, ldb: S + M, c: o.baseAddress!, ldc: V)
            }
        }
        var maximum = -Float.infinity
        for v in 0..<V {
            logits[v] += outputBias[v]
            maximum = max(maximum, logits[v])
        }
        var total: Float = 0
        for v in 0..<V { total += SIMDMath.exp(logits[v] - maximum) }
        let shift = maximum + Float(LibM.log(Double(total)))
        return logits.map { $0 - shift }
    }
}
