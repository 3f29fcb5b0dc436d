import Randomness
// Elementwise ops on the tape: broadcasting arithmetic and activations.

extension Tape {
    /// `a + b` with NumPy broadcasting (e.g. `[batch, time, f] + [f]`, `[b, t, f] + [b, 1, f]`).
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        let plan = BroadcastPlan(a.shape, b.shape)
        let y = plan.apply(a.value, b.value, +)
        let (sa, sb) = (a.shape, b.shape)
        return record(inputs: [a, b], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            if ctx.needsGradient(0) { ctx.accumulate(0, sa == plan.outShape ? g : plan.reduce(g, toFirst: true, shape: sa)) }
            if ctx.needsGradient(1) { ctx.accumulate(1, sb == plan.outShape ? g : plan.reduce(g, toFirst: false, shape: sb)) }
        }
    }

    /// `a - b` with broadcasting.
    public func subtract(_ a: Variable, _ b: Variable) -> Variable {
        let plan = BroadcastPlan(a.shape, b.shape)
        let y = plan.apply(a.value, b.value, -)
        let (sa, sb) = (a.shape, b.shape)
        return record(inputs: [a, b], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            if ctx.needsGradient(0) { ctx.accumulate(0, plan.reduce(g, toFirst: true, shape: sa)) }
            if ctx.needsGradient(1) {
                let neg = BroadcastPlan(g.shape, []).apply(g, Tensor(scalar: -1), *)
                ctx.accumulate(1, plan.reduce(neg, toFirst: false, shape: sb))
            }
        }
    }

    /// `a ⊙ b` (elementwise product) with broadcasting; a 0/1 mask multiplies this way.
    public func multiply(_ a: Variable, _ b: Variable) -> Variable {
        let plan = BroadcastPlan(a.shape, b.shape)
        let (av, bv) = (a.value, b.value)
        let y = plan.apply(av, bv, *)
        return record(inputs: [a, b], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            if ctx.needsGradient(0) {
                let gb = BroadcastPlan(g.shape, bv.shape).apply(g, bv, *)
                ctx.accumulate(0, plan.reduce(gb, toFirst: true, shape: av.shape))
            }
            if ctx.needsGradient(1) {
                let ga = BroadcastPlan(g.shape, av.shape).apply(g, av, *)
                ctx.accumulate(1, plan.reduce(ga, toFirst: false, shape: bv.shape))
            }
        }
    }

    /// `a / b` with broadcasting.
    public func divide(_ a: Variable, _ b: Variable) -> Variable {
        let plan = BroadcastPlan(a.shape, b.shape)
        let (av, bv) = (a.value, b.value)
        let y = plan.apply(av, bv, /)
        return record(inputs: [a, b], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            let gOverB = BroadcastPlan(g.shape, bv.shape).apply(g, bv, /)
            if ctx.needsGradient(0) { ctx.accumulate(0, plan.reduce(gOverB, toFirst: true, shape: av.shape)) }
            if ctx.needsGradient(1) {
                // ∂(a/b)/∂b = -y/b, so db = -g·y/b.
                let t = BroadcastPlan(gOverB.shape, y.shape).apply(gOverB, y, { -$0 * $1 })
                ctx.accumulate(1, plan.reduce(t, toFirst: false, shape: bv.shape))
            }
        }
    }

    /// `s · x` for a constant scalar `s`.
    public func scale(_ x: Variable, by s: Float) -> Variable {
        let y = BroadcastPlan(x.shape, []).apply(x.value, Tensor(scalar: s), *)
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            ctx.accumulate(0, BroadcastPlan(g.shape, []).apply(g, Tensor(scalar: s), *))
        }
    }

    /// Applies `forward` elementwise and records `dx = dy ⊙ derivative(x, y)`.
    @inline(__always)
    func unary(_ x: Variable, _ forward: (SIMD16<Float>) -> SIMD16<Float>,
               derivative: @escaping (_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float>) -> Variable {
        var y = Tensor.zeros(x.shape)
        x.value.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in SIMDMath.map(px.baseAddress!, py.baseAddress!, px.count, forward) }
        }
        let xv = x.value
        let yv = y
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            ctx.withGradient(0) { dx in
                xv.withUnsafeBufferPointer { px in
                    yv.withUnsafeBufferPointer { py in
                        g.withUnsafeBufferPointer { pg in
                            let n = dx.count
                            var i = 0
                            while i + 16 <= n {
                                let d = SIMDMath.load(pg.baseAddress! + i)
                                    * derivative(SIMDMath.load(px.baseAddress! + i), SIMDMath.load(py.baseAddress! + i))
                                SIMDMath.store(SIMDMath.load(dx.baseAddress! + i) + d, dx.baseAddress! + i)
                                i += 16
                            }
                            while i < n {
                                let d = derivative(SIMD16(repeating: px[i]), SIMD16(repeating: py[i]))[0]
                                dx[i] += pg[i] * d
                                i += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// `σ(x) = 1 / (1 + e^-x)`; `dσ = σ(1 - σ)`.
    public func sigmoid(_ x: Variable) -> Variable {
        unary(x, SIMDMath.sigmoid, derivative: { _, y in y * (1 - y) })
    }

    /// `tanh(x)`; `d tanh = 1 - tanh²`.
    public func tanh(_ x: Variable) -> Variable {
        unary(x, SIMDMath.tanh, derivative: { _, y in 1 - y * y })
    }

    /// `e^x`; derivative `e^x`.
    public func exp(_ x: Variable) -> Variable {
        unary(x, SIMDMath.exp, derivative: { _, y in y })
    }

    /// Natural logarithm; derivative `1/x`.
    public func log(_ x: Variable) -> Variable {
        unary(x, { v in
            var r = v
            for i in 0..<16 { r[i] = LibM.logf(v[i]) }
            return r
        }, derivative: { x, _ in 1 / x })
    }

    /// `max(0, x)`; derivative 1 where `x > 0`, else 0.
    public func relu(_ x: Variable) -> Variable {
        unary(x, { v in
            var r = v
            r.replace(with: 0, where: v .< 0)
            return r
        }, derivative: { x, _ in
            var d = SIMD16<Float>(repeating: 1)
            d.replace(with: 0, where: x .<= 0)
            return d
        })
    }
}
