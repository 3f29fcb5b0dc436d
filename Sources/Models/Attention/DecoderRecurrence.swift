import Foundation
import TensorCore

/// Sizes of one teacher-forced decoder pass.
struct DecoderDimensions: Equatable {
    /// Batch rows B.
    var batch: Int
    /// Output steps U.
    var steps: Int
    /// Encoder frames T (padded).
    var time: Int
    /// Encoder state width M.
    var memory: Int
    /// Label embedding width E.
    var embedding: Int
    /// Decoder LSTM units S.
    var hidden: Int
    /// Attention hidden size D (of every energy).
    var attention: Int

    /// Width of one LSTM input [E + M].
    var input: Int { embedding + memory }
    /// Width of one output feature [S + M].
    var output: Int { hidden + memory }
}

/// One additive energy's weights: e = scale·vᵀ tanh(Wq s + bq + Wk h) + offset, with scale = gain/‖v‖
/// when `normalised` (monotonic, eq. 16) and 1 otherwise (softmax, eq. 15: gain 1 and offset 0 unused).
struct EnergyWeights {
    /// Wq [D, S].
    var queryWeight: UnsafePointer<Float>
    /// bq [D].
    var queryBias: UnsafePointer<Float>
    /// Wk [D, M].
    var keyWeight: UnsafePointer<Float>
    /// v [D].
    var v: UnsafePointer<Float>
    /// g.
    var gain: Float
    /// r.
    var offset: Float
    /// Whether v is weight-normalised and g, r apply.
    var normalised: Bool

    /// ‖v‖ over `dim` entries.
    func norm(_ dim: Int) -> Float {
        var total: Float = 0
        for k in 0..<dim { total += v[k] * v[k] }
        return total.squareRoot()
    }

    /// The factor in front of vᵀ tanh(·).
    func scale(_ dim: Int) -> Float { normalised ? gain / norm(dim) : 1 }
}

/// Gradient buffers matching `EnergyWeights` (accumulated into).
struct EnergyGradients {
    var queryWeight: UnsafeMutablePointer<Float>
    var queryBias: UnsafeMutablePointer<Float>
    var keyWeight: UnsafeMutablePointer<Float>
    var v: UnsafeMutablePointer<Float>
    /// [1]; nil when the energy is not normalised.
    var gain: UnsafeMutablePointer<Float>?
    /// [1]; nil when the energy is not normalised.
    var offset: UnsafeMutablePointer<Float>?
}

/// The decoder LSTM's and the attention energies' weights for one pass (row-major, PyTorch gate order i, f, g, o).
struct DecoderWeights {
    /// W_ih [4S, E + M].
    var weightIH: UnsafePointer<Float>
    /// W_hh [4S, S].
    var weightHH: UnsafePointer<Float>
    /// b [4S].
    var bias: UnsafePointer<Float>
    /// The mechanism's energies, in its order.
    var energies: [EnergyWeights]
}

/// Gradient buffers matching `DecoderWeights`.
struct DecoderGradients {
    var weightIH: UnsafeMutablePointer<Float>
    var weightHH: UnsafeMutablePointer<Float>
    var bias: UnsafeMutablePointer<Float>
    var energies: [EnergyGradients]
}

/// The LSTM cell of the decoder: from pre-activations z = W_ih x + W_hh s + b [rows, 4S] (overwritten
/// with the activations i, f, g, o) and the previous cell [rows, S]:
/// cell = f⊙cell_prev + i⊙g, tanhCell = tanh(cell), state = o⊙tanhCell.
enum DecoderCell {
    static func forward(
        gates: UnsafeMutablePointer<Float>, cellPrevious: UnsafePointer<Float>, rows: Int, hidden s: Int,
        cell: UnsafeMutablePointer<Float>, tanhCell: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            LSTMCellKernel.forward(z: gates + r * 4 * s, bias: nil, cPrevious: cellPrevious + r * s, c: cell + r * s,
                                   tanhC: tanhCell + r * s, h: state + r * s, y: nil, H: s, units: 0..<s)
        }
    }

    /// Backward from ∂L/∂state and ∂L/∂cell (the latter carried from the next step, updated in place to
    /// ∂L/∂cell_prev); writes ∂L/∂z [rows, 4S].
    static func backward(
        gates: UnsafePointer<Float>, cellPrevious: UnsafePointer<Float>, tanhCell: UnsafePointer<Float>,
        gradState: UnsafePointer<Float>, gradCell: UnsafeMutablePointer<Float>, rows: Int, hidden s: Int,
        gradGates: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            LSTMCellKernel.backward(gates: gates + r * 4 * s, cPrevious: cellPrevious + r * s, tanhC: tanhCell + r * s,
                                    dh: gradState + r * s, dy: nil, dc: gradCell + r * s, dz: gradGates + r * 4 * s,
                                    H: s, units: 0..<s)
        }
    }
}

/// Float storage owned by a cache: shared by pointer so that batch rows can be written from several
/// threads without exclusivity checks. Blocks come from and return to `FloatPool`, so the large
/// per-step caches of training do not page-fault and clear fresh memory every batch.
final class FloatStorage: @unchecked Sendable {
    /// The first element.
    let base: UnsafeMutablePointer<Float>
    /// Number of elements.
    let count: Int
    private let capacity: Int

    /// `count` elements, zero unless `zeroed` is false (then every element must be written before it is read).
    init(_ count: Int, zeroed: Bool = true) {
        self.count = count
        (base, capacity) = FloatPool.take(max(count, 1))
        if zeroed { base.update(repeating: 0, count: max(count, 1)) }
    }

    deinit { FloatPool.give(base, capacity: capacity) }
}

/// Recycled float blocks in power-of-two size classes (a few per class).
enum FloatPool {
    /// A block pointer that may cross threads (the pool hands each block to one owner at a time).
    struct Block: @unchecked Sendable { let pointer: UnsafeMutablePointer<Float> }
    /// Free blocks by size class, guarded by `lock` (a pthread mutex: ThreadSanitizer sees its ordering).
    nonisolated(unsafe) private static var blocks: [Int: [Block]] = [:]
    private static let lock = NSLock()
    private static let perClass = 24

    /// A block of at least `count` elements and its capacity.
    static func take(_ count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        var capacity = 1
        while capacity < count { capacity <<= 1 }
        let reused = lock.withLock { blocks[capacity]?.popLast() }
        if let reused { return (reused.pointer, capacity) }
        let fresh = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        fresh.initialize(repeating: 0, count: capacity)
        return (fresh, capacity)
    }

    /// Returns a block taken with `take`.
    static func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let block = Block(pointer: pointer)
        let kept = lock.withLock { () -> Bool in
            guard blocks[capacity, default: []].count < perClass else { return false }
            blocks[capacity, default: []].append(block)
            return true
        }
        if !kept { pointer.deallocate() }
    }
}

/// What one energy keeps from a forward pass.
final class EnergyCache: @unchecked Sendable {
    let queries: FloatStorage   // [U, B, D]
    let keys: FloatStorage      // [B, T, D]
    let hidden: FloatStorage    // [U, B, T, D] tanh(q + k)
    let raw: FloatStorage       // [U, B, T] vᵀ tanh(·) before scale and offset
    let energies: FloatStorage  // [U, B, T] scale·raw + offset

    init(_ d: DecoderDimensions) {
        let ub = d.steps * d.batch
        queries = FloatStorage(ub * d.attention, zeroed: false)
        keys = FloatStorage(d.batch * d.time * d.attention, zeroed: false)
        hidden = FloatStorage(ub * d.time * d.attention, zeroed: false)
        raw = FloatStorage(ub * d.time, zeroed: false)
        energies = FloatStorage(ub * d.time, zeroed: false)
    }
}

/// Everything the teacher-forced forward pass keeps for its backward pass.
final class DecoderCache<Mechanism: AttentionMechanism>: @unchecked Sendable {
    let dims: DecoderDimensions
    let inputs: FloatStorage        // [U, B, E + M]
    let gates: FloatStorage         // [U, B, 4S] activations i, f, g, o
    let cells: FloatStorage         // [U, B, S]
    let tanhCells: FloatStorage     // [U, B, S]
    let states: FloatStorage        // [U, B, S]
    let weights: FloatStorage       // [U, B, T] the weights the context uses (α, or β for MoChA)
    let contexts: FloatStorage      // [U, B, M]
    let energies: [EnergyCache]     // one per energy of the mechanism
    let pass: Mechanism.Pass        // the mechanism's own

    init(_ d: DecoderDimensions, mechanism: Mechanism) {
        dims = d
        let ub = d.steps * d.batch
        inputs = FloatStorage(ub * d.input, zeroed: false)
        gates = FloatStorage(ub * 4 * d.hidden, zeroed: false)
        cells = FloatStorage(ub * d.hidden, zeroed: false)
        tanhCells = FloatStorage(ub * d.hidden, zeroed: false)
        states = FloatStorage(ub * d.hidden, zeroed: false)
        weights = FloatStorage(ub * d.time, zeroed: false)
        contexts = FloatStorage(ub * d.memory, zeroed: false)
        energies = mechanism.energies.map { _ in EnergyCache(d) }
        pass = mechanism.makePass(d)
    }
}

/// The teacher-forced decoder over all output steps, with its hand-written backward pass:
///
///     s_i, cell_i = LSTM([x_i; c_{i−1}], s_{i−1}, cell_{i−1})       (x_i: embedding of label i−1)
///     e_i^k = scale_k · v_kᵀ tanh(Wq_k s_i + bq_k + Wk_k h) + r_k     (each energy k of the mechanism)
///     c_i = Σ_j w_ij h_j,   w_i = mechanism(e_i)                     (softmax, monotonic, MoChA…)
///     o_i = [s_i; c_i]                                               (fed to the output layer)
///
/// with s_0 = cell_0 = c_0 = 0.
enum DecoderRecurrence {
    /// Forward over memory h [B, T, M] with `lengths` [B] valid frames and embedded previous labels
    /// x [B, U, E]; `noise` [U, B, T] is added to the first energy (nil: none). Writes o [B, U, S + M]
    /// and returns the cache for `backward`.
    static func forward<Mechanism: AttentionMechanism>(
        dims d: DecoderDimensions, mechanism: Mechanism, weights w: DecoderWeights, memory h: UnsafePointer<Float>,
        lengths: [Int], embedded x: UnsafePointer<Float>, noise: UnsafePointer<Float>?, output o: UnsafeMutablePointer<Float>
    ) -> DecoderCache<Mechanism> {
        let c = DecoderCache(d, mechanism: mechanism)
        let B = d.batch, T = d.time, D = d.attention, S = d.hidden, M = d.memory, E = d.embedding
        for (energy, cache) in zip(w.energies, c.energies) {
            BLAS.gemm(.none, .transposed, m: B * T, n: D, k: M, a: h, lda: M,
                      b: energy.keyWeight, ldb: M, c: cache.keys.base, ldc: D)
        }
        let zero = FloatStorage(B * S)
        for i in 0..<d.steps {
            for b in 0..<B {
                let row = c.inputs.base + (i * B + b) * d.input
                for k in 0..<E { row[k] = x[(b * d.steps + i) * E + k] }
                for k in 0..<M { row[E + k] = i == 0 ? 0 : c.contexts.base[((i - 1) * B + b) * M + k] }
            }
            cellStep(i, d, w, c, zero)
            for (energy, cache) in zip(w.energies, c.energies) { projectQueries(i, d, energy, c.states, cache.queries) }
            ComputeThreads.parallelFor(B) { b in attendForward(i, b, d, mechanism, w, c, h, lengths[b], noise) }
            for b in 0..<B {
                let out = o + (b * d.steps + i) * d.output
                (out).update(from: c.states.base + (i * B + b) * S, count: S)
                (out + S).update(from: c.contexts.base + (i * B + b) * M, count: M)
            }
        }
        return c
    }

    /// One LSTM step of the whole batch: gates from the inputs of step i and the previous state.
    static func cellStep<Mechanism>(_ i: Int, _ d: DecoderDimensions, _ w: DecoderWeights, _ c: DecoderCache<Mechanism>,
                                    _ zero: FloatStorage) {
        let B = d.batch, S = d.hidden
        let z = c.gates.base + i * B * 4 * S
        BLAS.gemm(.none, .transposed, m: B, n: 4 * S, k: d.input, a: c.inputs.base + i * B * d.input,
                     lda: d.input, b: w.weightIH, ldb: d.input, c: z, ldc: 4 * S)
        if i > 0 {
            BLAS.gemm(.none, .transposed, m: B, n: 4 * S, k: S, a: c.states.base + (i - 1) * B * S,
                         lda: S, b: w.weightHH, ldb: S, beta: 1, c: z, ldc: 4 * S)
        }
        for r in 0..<B { for k in 0..<(4 * S) { z[r * 4 * S + k] += w.bias[k] } }
        let previous = i == 0 ? zero.base : c.cells.base + (i - 1) * B * S
        DecoderCell.forward(gates: z, cellPrevious: previous, rows: B, hidden: S, cell: c.cells.base + i * B * S,
                            tanhCell: c.tanhCells.base + i * B * S, state: c.states.base + i * B * S)
    }

    /// queries[i] = states[i] Wqᵀ + bq, [B, D].
    static func projectQueries(_ i: Int, _ d: DecoderDimensions, _ e: EnergyWeights, _ states: FloatStorage, _ queries: FloatStorage) {
        let B = d.batch, D = d.attention, S = d.hidden
        let out = queries.base + i * B * D
        BLAS.gemm(.none, .transposed, m: B, n: D, k: S, a: states.base + i * B * S, lda: S,
                     b: e.queryWeight, ldb: S, c: out, ldc: D)
        for r in 0..<B { for k in 0..<D { out[r * D + k] += e.queryBias[k] } }
    }

    /// Energies, weights and context of step i for batch row b.
    static func attendForward<Mechanism: AttentionMechanism>(
        _ i: Int, _ b: Int, _ d: DecoderDimensions, _ mechanism: Mechanism, _ w: DecoderWeights,
        _ c: DecoderCache<Mechanism>, _ h: UnsafePointer<Float>, _ length: Int, _ noise: UnsafePointer<Float>?
    ) {
        let B = d.batch, T = d.time, D = d.attention, M = d.memory
        let row = AttentionRow(step: i, batch: b, rows: B, time: T, length: length)
        var energies: [UnsafePointer<Float>] = []
        for (energy, cache) in zip(w.energies, c.energies) {
            let raw = cache.raw.base + row.index * T
            energyRow(row.index, b, d, energy, cache.queries, cache.keys, cache.hidden, length, raw)
            let scale = energy.scale(D)
            let e = cache.energies.base + row.index * T
            for j in 0..<length { e[j] = scale * raw[j] + energy.offset }
            for j in length..<T { e[j] = 0 }
            energies.append(UnsafePointer(e))
        }
        let weights = c.weights.base + row.index * T
        mechanism.forward(row, energies: energies, noise: noise.map { $0 + row.index * T }, pass: c.pass, weights: weights)
        AttentionContext.forward(alpha: weights, memory: h + b * T * M, length: length, dim: M,
                                 context: c.contexts.base + row.index * M)
    }

    /// Raw energies vᵀ tanh(q + k_j) of one (step, batch) row, storing the tanh values.
    static func energyRow(
        _ row: Int, _ b: Int, _ d: DecoderDimensions, _ e: EnergyWeights, _ queries: FloatStorage,
        _ keys: FloatStorage, _ hidden: FloatStorage, _ length: Int, _ out: UnsafeMutablePointer<Float>
    ) {
        let T = d.time, D = d.attention
        for j in 0..<length {
            out[j] = AdditiveEnergy.forward(query: queries.base + row * D, key: keys.base + (b * T + j) * D, v: e.v,
                                            dim: D, hidden: hidden.base + (row * T + j) * D)
        }
        for j in length..<T { out[j] = 0 }
    }

    /// Backward of `forward` from ∂L/∂o [B, U, S + M]: accumulates the weights' gradients into `g`,
    /// ∂L/∂h into `gradMemory` [B, T, M] and ∂L/∂x into `gradEmbedded` [B, U, E].
    static func backward<Mechanism: AttentionMechanism>(
        cache c: DecoderCache<Mechanism>, mechanism: Mechanism, weights w: DecoderWeights, memory h: UnsafePointer<Float>,
        lengths: [Int], gradOutput gO: UnsafePointer<Float>, gradients g: DecoderGradients,
        gradMemory gH: UnsafeMutablePointer<Float>, gradEmbedded gX: UnsafeMutablePointer<Float>
    ) {
        let d = c.dims
        let B = d.batch, D = d.attention, S = d.hidden, M = d.memory, E = d.embedding, U = d.steps
        let s = BackwardScratch(d, energies: w.energies.count)
        // Per-step gate and query gradients are kept so that the weight gradients are one GEMM each.
        let gradGates = FloatStorage(U * B * 4 * S, zeroed: false)
        for i in stride(from: U - 1, through: 0, by: -1) {
            for b in 0..<B {
                let out = gO + (b * U + i) * d.output
                for k in 0..<S { s.gradState.base[b * S + k] = out[k] + s.gradStateNext.base[b * S + k] }
                for k in 0..<M { s.gradContext.base[b * M + k] = out[S + k] + s.gradContextNext.base[b * M + k] }
            }
            for energy in s.energies { (energy.gradQueries.base + i * B * D).update(repeating: 0, count: B * D) }
            ComputeThreads.parallelFor(B) { b in attendBackward(i, b, d, mechanism, w, c, s, h, lengths[b], gH) }
            // ∂L/∂s += ∂L/∂q · Wq for each energy.
            for (energy, scratch) in zip(w.energies, s.energies) {
                BLAS.gemm(.none, .none, m: B, n: S, k: D, a: scratch.gradQueries.base + i * B * D, lda: D,
                          b: energy.queryWeight, ldb: S, beta: 1, c: s.gradState.base, ldc: S)
            }
            let previousCell = i == 0 ? s.zeroState.base : c.cells.base + (i - 1) * B * S
            let dz = gradGates.base + i * B * 4 * S
            DecoderCell.backward(gates: c.gates.base + i * B * 4 * S, cellPrevious: previousCell,
                                 tanhCell: c.tanhCells.base + i * B * S, gradState: s.gradState.base,
                                 gradCell: s.gradCell.base, rows: B, hidden: S, gradGates: dz)
            // The recurrence needs only the context part of ∂L/∂input and ∂L/∂s_{i−1} now.
            BLAS.gemm(.none, .none, m: B, n: M, k: 4 * S, a: dz, lda: 4 * S, b: w.weightIH + E, ldb: d.input,
                      c: s.gradContextNext.base, ldc: M)
            BLAS.gemm(.none, .none, m: B, n: S, k: 4 * S, a: dz, lda: 4 * S, b: w.weightHH, ldb: S,
                      c: s.gradStateNext.base, ldc: S)
        }
        let rows = U * B
        BLAS.gemm(.transposed, .none, m: 4 * S, n: d.input, k: rows, a: gradGates.base, lda: 4 * S,
                  b: c.inputs.base, ldb: d.input, beta: 1, c: g.weightIH, ldc: d.input)
        if U > 1 {
            BLAS.gemm(.transposed, .none, m: 4 * S, n: S, k: (U - 1) * B, a: gradGates.base + B * 4 * S, lda: 4 * S,
                      b: c.states.base, ldb: S, beta: 1, c: g.weightHH, ldc: S)
        }
        Kernels.addColumnSums(gradGates.base, rows: rows, columns: 4 * S, into: g.bias)
        // ∂L/∂x [U·B, E] from the embedding part of W_ih, scattered into [B, U, E].
        let gradInputs = FloatStorage(rows * E, zeroed: false)
        BLAS.gemm(.none, .none, m: rows, n: E, k: 4 * S, a: gradGates.base, lda: 4 * S, b: w.weightIH, ldb: d.input,
                  c: gradInputs.base, ldc: E)
        for i in 0..<U {
            for b in 0..<B { Kernels.axpy(1, gradInputs.base + (i * B + b) * E, gX + (b * U + i) * E, E) }
        }
        for k in w.energies.indices {
            queryBackward(d, g.energies[k], s.energies[k].gradQueries, c.states)
            keyBackward(d, w.energies[k], g.energies[k], s.energies[k], h, gH)
        }
    }

    /// Per-energy gradient scratch of `backward`; per-row accumulators keep threads apart.
    final class EnergyScratch: @unchecked Sendable {
        let gradQueries: FloatStorage  // [U, B, D]
        let gradKeys: FloatStorage     // [B, T, D]
        let gradEnergy: FloatStorage   // [B, T] ∂L/∂e of the current step
        let gradV, gradGain, gradOffset: FloatStorage  // [B, D], [B], [B]

        init(_ d: DecoderDimensions) {
            let B = d.batch, T = d.time, D = d.attention
            gradQueries = FloatStorage(d.steps * B * D, zeroed: false)
            gradKeys = FloatStorage(B * T * D)
            gradEnergy = FloatStorage(B * T)
            gradV = FloatStorage(B * D)
            gradGain = FloatStorage(B)
            gradOffset = FloatStorage(B)
        }
    }

    /// Per-pass gradient scratch of `backward`.
    final class BackwardScratch: @unchecked Sendable {
        let gradState, gradStateNext, gradCell, gradContext, gradContextNext, gradWeights, zeroState: FloatStorage
        let energies: [EnergyScratch]

        init(_ d: DecoderDimensions, energies count: Int) {
            let B = d.batch, T = d.time, S = d.hidden, M = d.memory
            gradState = FloatStorage(B * S); gradStateNext = FloatStorage(B * S); gradCell = FloatStorage(B * S)
            gradContext = FloatStorage(B * M); gradContextNext = FloatStorage(B * M)
            gradWeights = FloatStorage(B * T); zeroState = FloatStorage(B * S)
            energies = (0..<count).map { _ in EnergyScratch(d) }
        }
    }

    /// Attention backward of step i, batch row b: from ∂L/∂c_i through the mechanism to ∂L/∂e of every
    /// energy, then to ∂L/∂q_i, ∂L/∂k, ∂L/∂h and the per-row energy accumulators.
    static func attendBackward<Mechanism: AttentionMechanism>(
        _ i: Int, _ b: Int, _ d: DecoderDimensions, _ mechanism: Mechanism, _ w: DecoderWeights,
        _ c: DecoderCache<Mechanism>, _ s: BackwardScratch, _ h: UnsafePointer<Float>, _ length: Int,
        _ gH: UnsafeMutablePointer<Float>
    ) {
        let B = d.batch, T = d.time, D = d.attention, M = d.memory
        let row = AttentionRow(step: i, batch: b, rows: B, time: T, length: length)
        let gw = s.gradWeights.base + b * T
        let weights = c.weights.base + row.index * T
        AttentionContext.backward(alpha: weights, memory: h + b * T * M,
                                  gradContext: s.gradContext.base + b * M, time: T, length: length, dim: M,
                                  gradAlpha: gw, gradMemory: gH + b * T * M)
        mechanism.backward(row, weights: weights, gradWeights: gw, pass: c.pass,
                           gradEnergies: s.energies.map { $0.gradEnergy.base + b * T })
        for k in w.energies.indices {
            let energy = w.energies[k], cache = c.energies[k], scratch = s.energies[k]
            let ge = scratch.gradEnergy.base + b * T
            let hidden = cache.hidden.base + row.index * T * D
            let gq = scratch.gradQueries.base + row.index * D
            let gk = scratch.gradKeys.base + b * T * D
            let gv = scratch.gradV.base + b * D
            let scale = energy.scale(D)
            guard energy.normalised else {
                for j in 0..<length {
                    AdditiveEnergy.backward(grad: ge[j] * scale, hidden: hidden + j * D, v: energy.v, dim: D,
                                            gradQuery: gq, gradKey: gk + j * D, gradV: gv)
                }
                continue
            }
            let norm = energy.norm(D)
            let raw = cache.raw.base + row.index * T
            for j in 0..<length {
                AdditiveEnergy.backward(grad: ge[j] * scale, hidden: hidden + j * D, v: energy.v, dim: D,
                                        gradQuery: gq, gradKey: gk + j * D, gradV: gv)
                scratch.gradGain.base[b] += ge[j] * raw[j] / norm
                scratch.gradOffset.base[b] += ge[j]
            }
        }
    }

    /// Weight gradients of q = Wq s + bq over all steps: ∂L/∂Wq += Σ gqᵀ s, ∂L/∂bq += Σ gq.
    static func queryBackward(_ d: DecoderDimensions, _ g: EnergyGradients, _ gradQueries: FloatStorage, _ states: FloatStorage) {
        let rows = d.steps * d.batch
        BLAS.gemm(.transposed, .none, m: d.attention, n: d.hidden, k: rows, a: gradQueries.base, lda: d.attention,
                  b: states.base, ldb: d.hidden, beta: 1, c: g.queryWeight, ldc: d.hidden)
        Kernels.addColumnSums(gradQueries.base, rows: rows, columns: d.attention, into: g.queryBias)
    }

    /// Through k = Wk h and the energy vector's weight normalisation, after all steps.
    static func keyBackward(
        _ d: DecoderDimensions, _ e: EnergyWeights, _ g: EnergyGradients, _ s: EnergyScratch,
        _ h: UnsafePointer<Float>, _ gH: UnsafeMutablePointer<Float>
    ) {
        let B = d.batch, T = d.time, D = d.attention, M = d.memory
        BLAS.gemm(.transposed, .none, m: D, n: M, k: B * T, a: s.gradKeys.base, lda: D, b: h, ldb: M,
                     beta: 1, c: g.keyWeight, ldc: M)
        BLAS.gemm(.none, .none, m: B * T, n: M, k: D, a: s.gradKeys.base, lda: D, b: e.keyWeight,
                     ldb: M, beta: 1, c: gH, ldc: M)
        var total = [Float](repeating: 0, count: D)
        for b in 0..<B { for k in 0..<D { total[k] += s.gradV.base[b * D + k] } }
        if e.normalised {
            // v enters through v/‖v‖ as well: remove the component along v̂.
            let norm = e.norm(D)
            var along: Float = 0
            for k in 0..<D { along += e.v[k] / norm * total[k] }
            for k in 0..<D { g.v[k] += total[k] - along * e.v[k] / norm }
            for b in 0..<B {
                g.gain?[0] += s.gradGain.base[b]
                g.offset?[0] += s.gradOffset.base[b]
            }
        } else {
            for k in 0..<D { g.v[k] += total[k] }
        }
    }
}
