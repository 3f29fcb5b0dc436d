import NeuralNet
import Randomness
import TensorCore

/// The encoder states a decoder attends over at test time, growing as an online encoder produces
/// them: states h [count, M] and their key projections Wk h [count, D], one per energy of the mechanism.
public final class AttentionMemory {
    /// Width M of one state.
    public let width: Int
    /// Encoder states so far, row-major [count, M].
    public private(set) var states: [Float] = []
    /// Wk h per state [count, D] of each energy.
    private(set) var keys: [[Float]]
    /// Whether the input has ended (no more states will arrive).
    public private(set) var isComplete = false
    /// The CTC head's log posteriors of the states [count, labels + 1] (nil without a CTC head).
    public private(set) var ctc: CTCPosteriors?
    private let decoder: DecoderSnapshot

    /// An empty memory for `decoder`.
    init(decoder: DecoderSnapshot) {
        self.decoder = decoder
        width = decoder.dims.memory
        keys = decoder.weights.energies.map { _ in [] }
        ctc = decoder.ctc.map { CTCPosteriors(classes: $0.classes, blank: $0.blank) }
    }

    /// Number of states so far.
    public var count: Int { width == 0 ? 0 : states.count / width }

    /// Appends states [n, M] (row-major) and computes their keys.
    public func append(_ newStates: [Float]) {
        precondition(newStates.count % width == 0, "\(newStates.count) values are not whole states of \(width)")
        let n = newStates.count / width
        guard n > 0 else { return }
        states += newStates
        for (k, energy) in decoder.weights.energies.enumerated() {
            keys[k] += decoder.project(newStates, rows: n, with: energy)
        }
        if let head = decoder.ctc { ctc?.append(head.logProbabilities(newStates)) }
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
    /// The hard monotonic head (where a monotonic mechanism's next scan starts; unused by softmax).
    var head: MonotonicHead
}

/// An output step whose LSTM update is done and whose attention may still wait for frames.
struct PendingStep {
    /// LSTM output s [S].
    var state: [Float]
    /// LSTM cell [S].
    var cell: [Float]
    /// Wq s + bq [D] of each energy.
    var queries: [[Float]]
    /// The head as the previous step left it.
    var head: MonotonicHead
    /// Where a waiting scan resumes.
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
/// Steps are: `prepare` (LSTM on [embedding of the previous label; previous context]), `attend` (the
/// mechanism's hard step: monotonic scan, MoChA chunk or full softmax), then the output layer on
/// [state; context].
public final class DecoderSnapshot: @unchecked Sendable {
    /// Sizes (batch and steps unused).
    let dims: DecoderDimensions
    /// Phones; end of sequence is `labelCount`, the start symbol `labelCount + 1`.
    public let labelCount: Int
    /// The mechanism (its parameters only name the copied buffers).
    let mechanism: any AttentionMechanism
    private let storage: [FloatStorage]
    let weights: DecoderWeights
    /// scale = g/‖v‖ (or 1) of each energy, fixed with the weights.
    private let scales: [Float]
    private let embedding: UnsafePointer<Float>
    private let outputWeight: UnsafePointer<Float>
    private let outputBias: UnsafePointer<Float>
    /// The CTC head of joint decoding (nil: none).
    let ctc: CTCOutputSnapshot?
    /// Whether a step's CTC prefix score stops at the state it attended (monotonic, MoChA: online) rather
    /// than using every state (softmax).
    let ctcUsesAttendedState: Bool

    /// Copies the current values of the decoder's parameters (and the CTC head's, if any).
    init(dims: DecoderDimensions, labelCount: Int, decoder: AttentionDecoderParameters, embedding: Embedding, output: Linear,
         ctc: CTCOutputSnapshot? = nil, ctcUsesAttendedState: Bool = true) {
        self.dims = dims
        self.labelCount = labelCount
        self.ctc = ctc
        self.ctcUsesAttendedState = ctcUsesAttendedState
        mechanism = decoder.mechanism
        let declared = decoder.all + [embedding.weight, output.weight] + [output.bias].compactMap { $0 }
        let storage = declared.map { parameter in
            let values = parameter.value.scalars
            let s = FloatStorage(values.count)
            s.base.update(from: values, count: values.count)
            return s
        }
        self.storage = storage
        let buffers = ParameterBuffers(declared, storage.map { UnsafePointer($0.base) })
        weights = decoder.weights(buffers)
        scales = weights.energies.map { $0.scale(dims.attention) }
        self.embedding = buffers(embedding.weight)
        outputWeight = buffers(output.weight)
        guard let bias = output.bias else { preconditionFailure("the output layer has a bias") }
        outputBias = buffers(bias)
    }

    /// An empty memory to fill with encoder states.
    public func makeMemory() -> AttentionMemory { AttentionMemory(decoder: self) }

    /// The state before the first output step: zeros, head on frame 0.
    public func initialState() -> DecoderState {
        DecoderState(state: [Float](repeating: 0, count: dims.hidden), cell: [Float](repeating: 0, count: dims.hidden),
                     context: [Float](repeating: 0, count: dims.memory), head: mechanism.initialHead())
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
        return PendingStep(state: state, cell: cell, queries: weights.energies.map(query), head: previous.head,
                           scanFrom: previous.head.position)
    }

    /// One output step after `label` over the states in `memory`: the LSTM update, the mechanism's hard
    /// attention and log p over phones and end of sequence; nil while a monotonic scan waits for states.
    public func step(_ previous: DecoderState, label: Int, memory: AttentionMemory) -> StepOutput? {
        var pending = prepare(previous, label: label)
        return attend(&pending, memory: memory)
    }

    /// Attends for a pending step over the states available in `memory`. Returns nil while a monotonic
    /// scan waits for more states (call again after appending); otherwise the finished step.
    func attend(_ pending: inout PendingStep, memory: AttentionMemory) -> StepOutput? {
        let attended = withBasePointers(pending.queries) { queries in
            withBasePointers(memory.keys) { keys in
                mechanism.attend(&pending, memory: memory,
                                 energy: StepEnergies(energies: weights.energies, scales: scales, queries: queries, keys: keys,
                                                      dim: dims.attention))
            }
        }
        guard let (context, frame) = attended else { return nil }
        let state = DecoderState(state: pending.state, cell: pending.cell, context: context, head: pending.head)
        return StepOutput(state: state, logProbabilities: logProbabilities(pending.state, context), frame: frame)
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


/// The test-time energies of one pending step against the states of a memory:
/// e_k(j) = scale_k · v_kᵀ tanh(q_k + Wk_k h_j) + r_k.
struct StepEnergies {
    /// The mechanism's energies.
    let energies: [EnergyWeights]
    /// scale_k of each.
    let scales: [Float]
    /// q_k [D] of the step.
    let queries: [UnsafePointer<Float>]
    /// Wk_k h [count, D] of the memory.
    let keys: [UnsafePointer<Float>]
    /// D.
    let dim: Int

    /// Energy k of frame j.
    @inline(__always)
    func callAsFunction(_ k: Int, _ j: Int) -> Float {
        scales[k] * AdditiveEnergy.forward(query: queries[k], key: keys[k] + j * dim, v: energies[k].v, dim: dim,
                                           hidden: nil) + energies[k].offset
    }

    /// Energy k of frames 0..<count.
    func all(_ k: Int, count: Int) -> [Float] {
        let scale = scales[k], offset = energies[k].offset, v = energies[k].v, query = queries[k], key = keys[k], D = dim
        return (0..<count).map { j in
            scale * AdditiveEnergy.forward(query: query, key: key + j * D, v: v, dim: D, hidden: nil) + offset
        }
    }
}
