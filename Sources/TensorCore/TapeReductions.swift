// Reductions and row softmax on the tape.

extension Tape {
    /// `Σ x` over all elements; result shape `[]`. Accumulates in Float64.
    public func sum(_ x: Variable) -> Variable {
        let s = x.value.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + Double($1) } }
        let shape = x.shape
        return record(inputs: [x], output: Tensor(scalar: Float(s))) { ctx in
            guard let g = ctx.outputGradient() else { return }
            ctx.accumulate(0, Tensor(shape: shape, repeating: g.scalar))
        }
    }

    /// Mean over all elements; result shape `[]`.
    public func mean(_ x: Variable) -> Variable {
        scale(sum(x), by: 1 / Float(Swift.max(x.value.count, 1)))
    }

    /// `Σ` along `axis` (removed from the shape): `[outer, n, inner] → [outer, inner]`.
    public func sum(_ x: Variable, axis: Int) -> Variable {
        let shape = x.shape
        precondition(axis >= 0 && axis < shape.count, "axis \(axis) of \(shape)")
        let outer = shape[..<axis].reduce(1, *), n = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: axis)
        var y = Tensor.zeros(outShape)
        x.value.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                for o in 0..<outer {
                    for i in 0..<n {
                        Kernels.axpy(1, px.baseAddress! + (o * n + i) * inner, py.baseAddress! + o * inner, inner)
                    }
                }
            }
        }
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                ctx.withGradient(0) { dx in
                    for o in 0..<outer {
                        for i in 0..<n {
                            Kernels.axpy(1, pg.baseAddress! + o * inner, dx.baseAddress! + (o * n + i) * inner, inner)
                        }
                    }
                }
            }
        }
    }

    /// Softmax along the last axis, max-subtracted: `y_j = exp(x_j - m) / Σ_k exp(x_k - m)`.
    ///
    /// `mask` (same shape as `x`, 1 = keep, 0 = drop) gives dropped entries probability 0.
    /// Backward: `dx = y ⊙ (dy - Σ_j dy_j y_j)` per row.
    public func softmax(_ x: Variable, mask: Tensor? = nil) -> Variable {
        rowSoftmaxOp(x, mask: mask, logarithm: false) { y, dy, dx, n in
            var dot: Float = 0
            for j in 0..<n { dot += dy[j] * y[j] }
            for j in 0..<n { dx[j] += y[j] * (dy[j] - dot) }
        }
    }

    /// Log-softmax along the last axis: `y_j = x_j - m - log Σ_k exp(x_k - m)`.
    ///
    /// `mask` as in `softmax`: dropped entries get `-inf` and no gradient.
    /// Backward: `dx = dy - softmax(x) · Σ_j dy_j` per row.
    public func logSoftmax(_ x: Variable, mask: Tensor? = nil) -> Variable {
        rowSoftmaxOp(x, mask: mask, logarithm: true) { y, dy, dx, n in
            var total: Float = 0
            for j in 0..<n where y[j] > -Float.infinity { total += dy[j] }
            for j in 0..<n where y[j] > -Float.infinity { dx[j] += dy[j] - SIMDMath.exp(y[j]) * total }
        }
    }

    /// Records a row-wise (log-)softmax whose backward runs `backwardRow(y, dy, dx, n)` on each
    /// row of `n` entries (`dx` accumulates).
    private func rowSoftmaxOp(
        _ x: Variable, mask: Tensor?, logarithm: Bool,
        backwardRow: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> Variable {
        let y = rowSoftmax(x.value, mask: mask, logarithm: logarithm)
        let n = x.shape.last ?? 1, rows = x.value.count / Swift.max(n, 1)
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            y.withUnsafeBufferPointer { py in
                g.withUnsafeBufferPointer { pg in
                    ctx.withGradient(0) { dx in
                        for r in 0..<rows {
                            backwardRow(py.baseAddress! + r * n, pg.baseAddress! + r * n, dx.baseAddress! + r * n, n)
                        }
                    }
                }
            }
        }
    }

    private func rowSoftmax(_ x: Tensor, mask: Tensor?, logarithm: Bool) -> Tensor {
        var y = x
        let n = x.shape.last ?? 1, rows = x.count / Swift.max(n, 1)
        y.withUnsafeMutableBufferPointer { py in
            if let mask {
                precondition(mask.shape == x.shape, "mask \(mask.shape) for \(x.shape)")
                mask.withUnsafeBufferPointer { pm in
                    for i in 0..<py.count where pm[i] == 0 { py[i] = -Float.infinity }
                }
            }
            Kernels.softmaxRows(py.baseAddress!, rows: rows, n: n, logarithm: logarithm)
            if let mask {
                mask.withUnsafeBufferPointer { pm in
                    for i in 0..<py.count where pm[i] == 0 { py[i] = logarithm ? -Float.infinity : 0 }
                }
            }
        }
        return y
    }
}
