import TensorCore

/// The recurrent state of one LSTM direction: `h` and `c`, each `[batch, hidden]`.
public struct LSTMState {
    /// Hidden state `[batch, hidden]`.
    public var h: Variable
    /// Cell state `[batch, hidden]`.
    public var c: Variable

    /// A state from its two parts.
    public init(h: Variable, c: Variable) {
        self.h = h
        self.c = c
    }
}

extension Tape {
    /// One LSTM direction over a whole padded sequence, as one op with a hand-written BPTT backward.
    ///
    /// Shapes: `x` `[batch, time, inputs]`, `weightIH` `[4H, inputs]`, `weightHH` `[4H, H]`, `bias`
    /// `[4H]`, gates in the order i, f, g, o (PyTorch's). Output `[batch, time, H]` (zero at padded
    /// frames) and the final state (`[batch, H]` each).
    ///
    /// Per step: `z = x_t·W_ihᵀ + h_{t-1}·W_hhᵀ + b`, `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_g)`,
    /// `o = σ(z_o)`, `c_t = f⊙c_{t-1} + i⊙g`, `h_t = o⊙tanh(c_t)`. The input projection of all steps
    /// is one GEMM; each step is one `[batch, H]·[H, 4H]` GEMM plus a fused SIMD gate kernel.
    /// Frames `t ≥ lengths[b]` leave the state unchanged, so `reverse` (steps `T-1 … 0`) starts
    /// each sequence at its own last frame, and the final state is the state after its last frame.
    ///
    /// Backward: gate gradients `dz` of every step are kept (time-major `[time, batch, 4H]`); per
    /// step one GEMM `dh_{t-1} = dz_t·W_hh`; then `dW_ih = dzᵀ·x`, `dW_hh = dzᵀ·h_prev` and
    /// `db = Σ dz` are single GEMMs over all steps, `dx = dz·W_ih` one per sequence.
    public func lstm(_ x: Variable, weightIH: Variable, weightHH: Variable, bias: Variable,
                     initialState: LSTMState? = nil, lengths: [Int]? = nil, reverse: Bool = false)
        -> (output: Variable, state: LSTMState)
    {
        precondition(x.shape.count == 3, "lstm input \(x.shape) is not [batch, time, features]")
        let (B, T, I) = (x.shape[0], x.shape[1], x.shape[2])
        let G = weightIH.shape[0], H = G / 4
        precondition(weightIH.shape == [G, I] && weightHH.shape == [G, H] && bias.shape == [G] && G == 4 * H,
                     "lstm weights \(weightIH.shape) \(weightHH.shape) \(bias.shape) for input \(x.shape)")
        let lens = lengths ?? Array(repeating: T, count: B)
        precondition(lens.count == B && lens.allSatisfy { $0 >= 0 && $0 <= T }, "lengths \(lens) for \(x.shape)")
        if let s = initialState { precondition(s.h.shape == [B, H] && s.c.shape == [B, H], "initial state for [\(B), \(H)]") }

        let inputs = [x, weightIH, weightHH, bias] + (initialState.map { [$0.h, $0.c] } ?? [])
        let keep = needsGradient(inputs)
        var k = LSTMBuffers(B: B, T: T, I: I, H: H, keepForBackward: keep)
        k.forward(x: x.value, wIH: weightIH.value, wHH: weightHH.value, bias: bias.value,
                  h0: initialState?.h.value, c0: initialState?.c.value, lengths: lens, reverse: reverse)
        let outputs = [k.y, k.h, k.c]
        let saved = k
        let (xv, wih, whh) = (x.value, weightIH.value, weightHH.value)
        let result = record(inputs: inputs, outputs: outputs) { ctx in
            saved.backward(ctx, x: xv, wIH: wih, wHH: whh, lengths: lens, reverse: reverse,
                           hasInitialState: initialState != nil)
        }
        return (result[0], LSTMState(h: result[1], c: result[2]))
    }
}

/// Forward buffers of one LSTM direction, kept for its backward.
struct LSTMBuffers {
    let B: Int, T: Int, I: Int, H: Int
    let keep: Bool
    /// Gate activations i, f, g, o per frame `[B, T, 4H]` (zero at padded frames).
    var gates: Tensor
    /// `h_{t-1}`, `c_{t-1}` and `tanh(c_t)` per frame, time-major `[T, B, H]` so each step's
    /// rows are contiguous (empty unless kept).
    var hPrev: Tensor, cPrev: Tensor, tanhC: Tensor
    /// Output `[B, T, H]`, final state `[B, H]`.
    var y: Tensor, h: Tensor, c: Tensor

    init(B: Int, T: Int, I: Int, H: Int, keepForBackward: Bool) {
        (self.B, self.T, self.I, self.H, keep) = (B, T, I, H, keepForBackward)
        gates = Tensor.zeros([B, T, 4 * H])
        let saved = keepForBackward ? [T, B, H] : [0]
        hPrev = Tensor.zeros(saved)
        cPrev = Tensor.zeros(saved)
        tanhC = Tensor.zeros(saved)
        y = Tensor.zeros([B, T, H])
        h = Tensor.zeros([B, H])
        c = Tensor.zeros([B, H])
    }

    mutating func forward(x: Tensor, wIH: Tensor, wHH: Tensor, bias: Tensor, h0: Tensor?, c0: Tensor?,
                          lengths: [Int], reverse: Bool) {
        let (B, T, I, H, G) = (B, T, I, H, 4 * H)
        if let h0 { h = h0.reshaped([B, H]) }
        if let c0 { c = c0.reshaped([B, H]) }
        var hNext = Tensor.zeros([B, H])   // h_t is written here while h_{t-1} is read
        let keep = keep
        let steps = LSTMSteps(T: T, lengths: lengths, reverse: reverse)
        x.withUnsafeBufferPointer { px in
        wIH.withUnsafeBufferPointer { pwi in
        wHH.withUnsafeBufferPointer { pwh in
        bias.withUnsafeBufferPointer { pb in
        gates.withUnsafeMutableBufferPointer { pg in
        y.withUnsafeMutableBufferPointer { py in
        h.withUnsafeMutableBufferPointer { ph in
        hNext.withUnsafeMutableBufferPointer { phn in
        c.withUnsafeMutableBufferPointer { pc in
        hPrev.withUnsafeMutableBufferPointer { php in
        cPrev.withUnsafeMutableBufferPointer { pcp in
        tanhC.withUnsafeMutableBufferPointer { ptc in
            let gp = pg.baseAddress!, cp = pc.baseAddress!, wh = pwh.baseAddress!
            // Input projection of every frame at once: gates[B·T, 4H] = x[B·T, I] · W_ihᵀ.
            BLAS.gemm(.none, .transposed, m: B * T, n: G, k: I, a: px.baseAddress!, lda: I,
                      b: pwi.baseAddress!, ldb: I, c: gp, ldc: G)
            ComputeThreads.team(upTo: LSTMSteps.workers(B: B, H: H)) { member in
                let units = member.share(of: H, alignment: LSTMGateKernel.width)
                var (hIn, hOut) = (ph.baseAddress!, phn.baseAddress!)
                for t in steps.running {
                    if !units.isEmpty {
                        if keep {
                            for b in 0..<B {
                                (php.baseAddress! + (t * B + b) * H + units.lowerBound)
                                    .update(from: hIn + b * H + units.lowerBound, count: units.count)
                                (pcp.baseAddress! + (t * B + b) * H + units.lowerBound)
                                    .update(from: cp + b * H + units.lowerBound, count: units.count)
                            }
                        }
                        // Recurrent projection of this worker's units of each gate into this
                        // frame's gate rows (strided view, ld = T·4H).
                        for gate in 0..<4 {
                            let column = gate * H + units.lowerBound
                            BLAS.gemm(.none, .transposed, m: B, n: units.count, k: H, a: hIn, lda: H, b: wh + column * H,
                                      ldb: H, beta: 1, c: gp + t * G + column, ldc: T * G)
                        }
                        for b in 0..<B {
                            let z = gp + (b * T + t) * G
                            if t < lengths[b] {
                                LSTMGateKernel.forward(z: z, bias: pb.baseAddress!, h: hOut + b * H, c: cp + b * H,
                                                       y: py.baseAddress! + (b * T + t) * H,
                                                       tanhC: keep ? ptc.baseAddress! + (t * B + b) * H : nil,
                                                       H: H, units: units)
                            } else {   // padded frame: zero gates, state carried over
                                for gate in 0..<4 { (z + gate * H + units.lowerBound).update(repeating: 0, count: units.count) }
                                (hOut + b * H + units.lowerBound).update(from: hIn + b * H + units.lowerBound, count: units.count)
                            }
                        }
                    }
                    member.synchronize()
                    swap(&hIn, &hOut)
                }
            }
        }}}}}}}}}}}}
        if steps.running.count % 2 == 1 { swap(&h, &hNext) }
    }

    func backward(_ ctx: BackwardContext, x: Tensor, wIH: Tensor, wHH: Tensor, lengths: [Int], reverse: Bool,
                  hasInitialState: Bool) {
        let (B, T, I, H, G) = (B, T, I, H, 4 * H)
        var dh = ctx.outputGradient(1) ?? Tensor.zeros([B, H])
        var dc = ctx.outputGradient(2) ?? Tensor.zeros([B, H])
        let dy = ctx.outputGradient(0) ?? Tensor.zeros([0])
        let hasDy = dy.count > 0
        var dhNext = Tensor.zeros([B, H])
        var dz = Tensor.zeros([T, B, G])   // time-major, like the saved state
        let steps = LSTMSteps(T: T, lengths: lengths, reverse: reverse)
        dy.withUnsafeBufferPointer { pdy in
        gates.withUnsafeBufferPointer { pg in
        cPrev.withUnsafeBufferPointer { pcp in
        tanhC.withUnsafeBufferPointer { ptc in
        wHH.withUnsafeBufferPointer { pwh in
        dz.withUnsafeMutableBufferPointer { pdz in
        dh.withUnsafeMutableBufferPointer { pdh in
        dc.withUnsafeMutableBufferPointer { pdc in
        dhNext.withUnsafeMutableBufferPointer { pn in
            let dzp = pdz.baseAddress!
            ComputeThreads.team(upTo: LSTMSteps.workers(B: B, H: H)) { member in
                let units = member.share(of: H, alignment: LSTMGateKernel.width)
                var (dhIn, dhOut) = (pdh.baseAddress!, pn.baseAddress!)
                for t in steps.running.reversed() {
                    for b in 0..<B where t < lengths[b] && !units.isEmpty {
                        let row = b * T + t, step = t * B + b
                        let dyRow: UnsafePointer<Float>? = hasDy ? pdy.baseAddress! + row * H : nil
                        LSTMGateKernel.backward(gates: pg.baseAddress! + row * G, cPrev: pcp.baseAddress! + step * H,
                                                tanhC: ptc.baseAddress! + step * H, dy: dyRow,
                                                dh: dhIn + b * H, dc: pdc.baseAddress! + b * H,
                                                dz: dzp + step * G, H: H, units: units)
                    }
                    member.synchronize()   // dz_t complete: every unit's dh_{t-1} needs all of it
                    if !units.isEmpty {
                        // dh_{t-1} = dz_t · W_hh for this worker's units; padded rows pass dh through.
                        BLAS.gemm(.none, .none, m: B, n: units.count, k: G, a: dzp + t * B * G, lda: G,
                                  b: pwh.baseAddress! + units.lowerBound, ldb: H, c: dhOut + units.lowerBound, ldc: H)
                        for b in 0..<B where t >= lengths[b] {
                            (dhOut + b * H + units.lowerBound).update(from: dhIn + b * H + units.lowerBound, count: units.count)
                        }
                    }
                    swap(&dhIn, &dhOut)
                }
            }
        }}}}}}}}}
        if steps.running.count % 2 == 1 { swap(&dh, &dhNext) }
        if hasInitialState {
            ctx.accumulate(4, dh)
            ctx.accumulate(5, dc)
        }
        // Weight, bias and input gradients over all B·T frames: dz and the saved state are
        // time-major, x and dx batch-major.
        dz.withUnsafeBufferPointer { pdz in
            let dzp = pdz.baseAddress!
            if ctx.needsGradient(0) {
                wIH.withUnsafeBufferPointer { pw in
                    ctx.withGradient(0) { dx in
                        for b in 0..<B {   // dx_b[T, I] += dz_b · W_ih, dz_b strided by B·4H
                            BLAS.gemm(.none, .none, m: T, n: I, k: G, a: dzp + b * G, lda: B * G, b: pw.baseAddress!,
                                      ldb: I, beta: 1, c: dx.baseAddress! + b * T * I, ldc: I)
                        }
                    }
                }
            }
            if ctx.needsGradient(1) {
                var xt = Tensor.zeros([T, B, I])
                x.withUnsafeBufferPointer { px in
                    xt.withUnsafeMutableBufferPointer { pt in
                        for b in 0..<B {
                            for t in 0..<T { (pt.baseAddress! + (t * B + b) * I).update(from: px.baseAddress! + (b * T + t) * I, count: I) }
                        }
                    }
                }
                xt.withUnsafeBufferPointer { px in
                    ctx.withGradient(1) { dw in
                        BLAS.gemm(.transposed, .none, m: G, n: I, k: B * T, a: dzp, lda: G, b: px.baseAddress!, ldb: I,
                                  beta: 1, c: dw.baseAddress!, ldc: I)
                    }
                }
            }
            if ctx.needsGradient(2) {
                hPrev.withUnsafeBufferPointer { php in
                    ctx.withGradient(2) { dw in
                        BLAS.gemm(.transposed, .none, m: G, n: H, k: B * T, a: dzp, lda: G, b: php.baseAddress!, ldb: H,
                                  beta: 1, c: dw.baseAddress!, ldc: H)
                    }
                }
            }
            if ctx.needsGradient(3) {
                ctx.withGradient(3) { db in Kernels.addColumnSums(dzp, rows: B * T, columns: G, into: db.baseAddress!) }
            }
        }
    }
}

/// The frames one LSTM direction visits, and how many threads share its steps.
struct LSTMSteps {
    /// Frames `t` in processing order (`T-1 … 0` when reverse), leaving out the trailing frames
    /// at which every sequence is padded (nothing changes there).
    let running: [Int]

    init(T: Int, lengths: [Int], reverse: Bool) {
        let longest = Swift.min(T, lengths.max() ?? 0)
        running = reverse ? Array((0..<longest).reversed()) : Array(0..<longest)
    }

    /// Thread limit for the steps of a `[B, H]·[H, 4H]` recurrence: every thread when a step has
    /// at least 2¹⁷ multiply-adds (a few microseconds, against about one for the barrier that
    /// ends each step), else one.
    static func workers(B: Int, H: Int) -> Int { B * 4 * H * H >= 1 << 17 ? Int.max : 1 }
}

/// The fused per-row gate computations of an LSTM step over a range of hidden units, so that
/// the threads of a step each take their own units of all four gates.
enum LSTMGateKernel {
    /// Unit ranges handed to threads start at multiples of this (the widest vector used).
    static let width = 16

    /// For the hidden units in `units`: `z` holds the pre-activations `[4H]` without bias; on
    /// return it holds the activations i, f, g, o. Updates `c` (`[H]`) in place and writes the new
    /// `h` to `h` and `y` (`[H]` each) and `tanh(c)` to `tanhC`. Sixteen lanes at a time.
    @inline(__always)
    static func forward(z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>,
                        c: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                        tanhC: UnsafeMutablePointer<Float>?, H: Int, units: Range<Int>) {
        typealias V = SIMD16<Float>
        var j = units.lowerBound
        while j < units.upperBound {
            let n = Swift.min(V.scalarCount, units.upperBound - j)
            func gate(_ k: Int) -> V { SIMDMath.load(z + k * H + j, count: n) + SIMDMath.load(bias + k * H + j, count: n) }
            let i = SIMDMath.sigmoid(gate(0)), f = SIMDMath.sigmoid(gate(1))
            let g = SIMDMath.tanh(gate(2)), o = SIMDMath.sigmoid(gate(3))
            let cNew = f * SIMDMath.load(c + j, count: n) + i * g
            let tc = SIMDMath.tanh(cNew)
            let hNew = o * tc
            SIMDMath.store(i, z + j, count: n)
            SIMDMath.store(f, z + H + j, count: n)
            SIMDMath.store(g, z + 2 * H + j, count: n)
            SIMDMath.store(o, z + 3 * H + j, count: n)
            SIMDMath.store(cNew, c + j, count: n)
            SIMDMath.store(hNew, h + j, count: n)
            SIMDMath.store(hNew, y + j, count: n)
            if let tanhC { SIMDMath.store(tc, tanhC + j, count: n) }
            j += V.scalarCount
        }
    }

    /// For the hidden units in `units`: from the activations, `c_{t-1}`, `tanh(c_t)`, the output
    /// gradient `dy` and the running `dh`, `dc` (`[H]`), writes the pre-activation gradients `dz` `[4H]` and replaces `dc` by
    /// `dc_{t-1} = (dc + dh⊙o⊙(1 - tanh²c))⊙f`. `dh` is consumed (the caller overwrites it).
    ///
    /// Eight lanes at a time: with the default x86-64 target (SSE) wider vectors would not fit
    /// the registers for this many live values and spill.
    @inline(__always)
    static func backward(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                         dy: UnsafePointer<Float>?, dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>,
                         dz: UnsafeMutablePointer<Float>, H: Int, units: Range<Int>) {
        typealias V = SIMD8<Float>
        var j = units.lowerBound
        while j < units.upperBound {
            let n = Swift.min(V.scalarCount, units.upperBound - j)
            let i = SIMDMath.load(gates + j, count: n, as: V.self), f = SIMDMath.load(gates + H + j, count: n, as: V.self)
            let g = SIMDMath.load(gates + 2 * H + j, count: n, as: V.self), o = SIMDMath.load(gates + 3 * H + j, count: n, as: V.self)
            let tc = SIMDMath.load(tanhC + j, count: n, as: V.self)
            var dhTotal = SIMDMath.load(dh + j, count: n, as: V.self)
            if let dy { dhTotal += SIMDMath.load(dy + j, count: n, as: V.self) }
            let dcTotal = SIMDMath.load(dc + j, count: n, as: V.self) + dhTotal * o * (1 - tc * tc)
            SIMDMath.store(dcTotal * g * i * (1 - i), dz + j, count: n)
            SIMDMath.store(dcTotal * SIMDMath.load(cPrev + j, count: n, as: V.self) * f * (1 - f), dz + H + j, count: n)
            SIMDMath.store(dcTotal * i * (1 - g * g), dz + 2 * H + j, count: n)
            SIMDMath.store(dhTotal * tc * o * (1 - o), dz + 3 * H + j, count: n)
            SIMDMath.store(dcTotal * f, dc + j, count: n)
            j += V.scalarCount
        }
    }
}
