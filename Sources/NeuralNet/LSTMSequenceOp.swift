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

/// How the backward pass of an LSTM direction assigns credit across time.
public enum RecurrentCredit: String, Codable, Sendable, CaseIterable {
    /// Exact backpropagation through time: each frame's gradient reaches every earlier frame through
    /// h_{t−1} and c_{t−1}.
    case throughTime
    /// One step ("instantaneous"): each frame's gradient reaches only its own gates, h_{t−1} and c_{t−1}
    /// taken as constants (BPTT truncated to one step): G_W = Σ_t δa_t [x_t; h_{t−1}]ᵀ with
    /// δc_t = δh_t ⊙ o_t ⊙ (1 − tanh² c_t) and no δc or δh carried to t − 1.
    case instantaneous
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
    /// Backward: gate gradients `dz` of every step are kept (`[batch, time, 4H]`, like the
    /// gates); per step one GEMM `dh_{t-1} = dz_t·W_hh` on the strided rows of frame `t`; then
    /// `dW_ih = dzᵀ·x`, `dW_hh = dzᵀ·h_prev`, `db = Σ dz` and `dx = dz·W_ih` are single GEMMs (or
    /// sums) over all `batch·time` frames.
    ///
    /// With several threads (`ComputeThreads.team`) each step is split by hidden units: every
    /// thread computes the recurrent GEMM columns and the cell of its own units of all four
    /// gates (backward: its units' gate gradients, then its columns of `dh_{t-1}`), and the
    /// threads meet at a barrier once per step.
    ///
    /// `credit: .instantaneous` keeps the forward pass and the weight-gradient GEMMs but carries no
    /// gradient from a frame to the one before it (the state gradients of frame t's cell are those of its
    /// own output only; the final state's gradient still reaches the last frame).
    ///
    /// `inputFeedback` B `[inputs, 4H]` (feedback alignment) replaces W_ihᵀ in the input gradient:
    /// `dx = dz·Bᵀ` instead of `dz·W_ih`; the weight gradients are unchanged.
    public func lstm(_ x: Variable, weightIH: Variable, weightHH: Variable, bias: Variable,
                     initialState: LSTMState? = nil, lengths: [Int]? = nil, reverse: Bool = false,
                     credit: RecurrentCredit = .throughTime, inputFeedback: Tensor? = nil)
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
        if let f = inputFeedback { precondition(f.shape == [I, G], "lstm input feedback \(f.shape) is not [\(I), \(G)]") }

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
                           hasInitialState: initialState != nil, credit: credit, inputFeedback: inputFeedback)
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
    /// `h_{t-1}`, `c_{t-1}` and `tanh(c_t)` per frame `[B, T, H]` (empty unless kept).
    var hPrev: Tensor, cPrev: Tensor, tanhC: Tensor
    /// Output `[B, T, H]`, final state `[B, H]`.
    var y: Tensor, h: Tensor, c: Tensor

    init(B: Int, T: Int, I: Int, H: Int, keepForBackward: Bool) {
        (self.B, self.T, self.I, self.H, keep) = (B, T, I, H, keepForBackward)
        gates = Tensor.zeros([B, T, 4 * H])
        let saved = keepForBackward ? [B, T, H] : [0]
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
                let units = member.share(of: H, alignment: LSTMCellKernel.blockWidth)
                var (hIn, hOut) = (ph.baseAddress!, phn.baseAddress!)
                for t in steps.running {
                    if !units.isEmpty {
                        if keep {
                            for b in 0..<B {
                                (php.baseAddress! + (b * T + t) * H + units.lowerBound)
                                    .update(from: hIn + b * H + units.lowerBound, count: units.count)
                                (pcp.baseAddress! + (b * T + t) * H + units.lowerBound)
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
                                LSTMCellKernel.forward(z: z, bias: pb.baseAddress!, cPrevious: cp + b * H, c: cp + b * H,
                                                       tanhC: keep ? ptc.baseAddress! + (b * T + t) * H : nil,
                                                       h: hOut + b * H, y: py.baseAddress! + (b * T + t) * H,
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
                  hasInitialState: Bool, credit: RecurrentCredit = .throughTime, inputFeedback: Tensor? = nil) {
        let carries = credit == .throughTime
        let (B, T, I, H, G) = (B, T, I, H, 4 * H)
        var dh = ctx.outputGradient(1) ?? Tensor.zeros([B, H])
        var dc = ctx.outputGradient(2) ?? Tensor.zeros([B, H])
        let dy = ctx.outputGradient(0) ?? Tensor.zeros([0])
        let hasDy = dy.count > 0
        var dhNext = Tensor.zeros([B, H])
        var dz = Tensor.zeros([B, T, G])
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
                let units = member.share(of: H, alignment: LSTMCellKernel.blockWidth)
                var (dhIn, dhOut) = (pdh.baseAddress!, pn.baseAddress!)
                for t in steps.running.reversed() {
                    for b in 0..<B where t < lengths[b] && !units.isEmpty {
                        let row = b * T + t
                        let dyRow: UnsafePointer<Float>? = hasDy ? pdy.baseAddress! + row * H : nil
                        LSTMCellKernel.backward(gates: pg.baseAddress! + row * G, cPrevious: pcp.baseAddress! + row * H,
                                                tanhC: ptc.baseAddress! + row * H, dh: dhIn + b * H, dy: dyRow,
                                                dc: pdc.baseAddress! + b * H, dz: dzp + row * G, H: H, units: units)
                        if !carries { (pdc.baseAddress! + b * H + units.lowerBound).update(repeating: 0, count: units.count) }
                    }
                    member.synchronize()   // dz_t complete: every unit's dh_{t-1} needs all of it
                    if !units.isEmpty {
                        // dh_{t-1} = dz_t · W_hh for this worker's units (0 under one-step credit); padded rows
                        // pass dh through.
                        if carries {
                            BLAS.gemm(.none, .none, m: B, n: units.count, k: G, a: dzp + t * G, lda: T * G,
                                      b: pwh.baseAddress! + units.lowerBound, ldb: H, c: dhOut + units.lowerBound, ldc: H)
                        } else {
                            for b in 0..<B { (dhOut + b * H + units.lowerBound).update(repeating: 0, count: units.count) }
                        }
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
        // Weight, bias and input gradients over all B·T frames (every array batch-major).
        let frames = B * T
        dz.withUnsafeBufferPointer { pdz in
            let dzp = pdz.baseAddress!
            if ctx.needsGradient(0), let feedback = inputFeedback {
                feedback.withUnsafeBufferPointer { pf in
                    ctx.withGradient(0) { dx in
                        BLAS.gemm(.none, .transposed, m: frames, n: I, k: G, a: dzp, lda: G, b: pf.baseAddress!, ldb: G,
                                  beta: 1, c: dx.baseAddress!, ldc: I)
                    }
                }
            } else if ctx.needsGradient(0) {
                wIH.withUnsafeBufferPointer { pw in
                    ctx.withGradient(0) { dx in
                        BLAS.gemm(.none, .none, m: frames, n: I, k: G, a: dzp, lda: G, b: pw.baseAddress!, ldb: I,
                                  beta: 1, c: dx.baseAddress!, ldc: I)
                    }
                }
            }
            if ctx.needsGradient(1) {
                x.withUnsafeBufferPointer { px in
                    ctx.withGradient(1) { dw in
                        BLAS.gemm(.transposed, .none, m: G, n: I, k: frames, a: dzp, lda: G, b: px.baseAddress!, ldb: I,
                                  beta: 1, c: dw.baseAddress!, ldc: I)
                    }
                }
            }
            if ctx.needsGradient(2) {
                hPrev.withUnsafeBufferPointer { php in
                    ctx.withGradient(2) { dw in
                        BLAS.gemm(.transposed, .none, m: G, n: H, k: frames, a: dzp, lda: G, b: php.baseAddress!, ldb: H,
                                  beta: 1, c: dw.baseAddress!, ldc: H)
                    }
                }
            }
            if ctx.needsGradient(3) {
                ctx.withGradient(3) { db in Kernels.addColumnSums(dzp, rows: frames, columns: G, into: db.baseAddress!) }
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
