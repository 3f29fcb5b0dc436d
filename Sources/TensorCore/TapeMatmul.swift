// Matrix products on the tape, all through cblas_sgemm.

extension Tape {
    /// `op(a) · op(b)`: `a` is `[..., m, k]` (leading axes fold into `m`; `[k, m]` and 2-D when
    /// `transposeA`), `b` is `[k, n]` (`[n, k]` when `transposeB`); result `[..., m, n]`.
    ///
    /// Backward: `dA = dC · op(B)ᵀ` (or `op(B) · dCᵀ` when transposed),
    /// `dB = op(A)ᵀ · dC` (or `dCᵀ · op(A)`), each one GEMM accumulating with `beta = 1`.
    public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let ta: Transpose = transposeA ? .transposed : .none, tb: Transpose = transposeB ? .transposed : .none
        let (m, k, n) = BLAS.matmulDimensions(a.shape, ta, b.shape, tb)
        let outShape = transposeA ? [m, n] : Array(a.shape.dropLast()) + [n]
        var c = Tensor.zeros(outShape)
        BLAS.matmul(a.value, ta, b.value, tb, into: &c)
        let (av, bv) = (a.value, b.value)
        let lda = a.shape.last!, ldb = b.shape.last!
        return record(inputs: [a, b], output: c) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                let gp = pg.baseAddress!
                if ctx.needsGradient(0) {
                    bv.withUnsafeBufferPointer { pb in
                        ctx.withGradient(0) { da in
                            if !transposeA {   // dA[m,k] = dC[m,n] · op(B)ᵀ
                                BLAS.gemm(.none, transposeB ? .none : .transposed, m: m, n: k, k: n,
                                          a: gp, lda: n, b: pb.baseAddress!, ldb: ldb, beta: 1,
                                          c: da.baseAddress!, ldc: k)
                            } else {           // dA[k,m] = op(B)[k,n] · dCᵀ
                                BLAS.gemm(tb, .transposed, m: k, n: m, k: n, a: pb.baseAddress!, lda: ldb,
                                          b: gp, ldb: n, beta: 1, c: da.baseAddress!, ldc: m)
                            }
                        }
                    }
                }
                if ctx.needsGradient(1) {
                    av.withUnsafeBufferPointer { pa in
                        ctx.withGradient(1) { db in
                            if !transposeB {   // dB[k,n] = op(A)ᵀ · dC
                                BLAS.gemm(transposeA ? .none : .transposed, .none, m: k, n: n, k: m,
                                          a: pa.baseAddress!, lda: lda, b: gp, ldb: n, beta: 1,
                                          c: db.baseAddress!, ldc: n)
                            } else {           // dB[n,k] = dCᵀ · op(A)
                                BLAS.gemm(.transposed, ta, m: n, n: k, k: m, a: gp, lda: n,
                                          b: pa.baseAddress!, ldb: lda, beta: 1, c: db.baseAddress!, ldc: k)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Batched product: `a` `[batch, m, k]` (`[batch, k, m]` if `transposeA`) times `b`
    /// `[batch, k, n]` (`[batch, n, k]` if `transposeB`) gives `[batch, m, n]`, one GEMM per item.
    public func batchedMatmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        precondition(a.shape.count == 3 && b.shape.count == 3 && a.shape[0] == b.shape[0],
                     "batchedMatmul of \(a.shape) and \(b.shape)")
        let batch = a.shape[0]
        let ta: Transpose = transposeA ? .transposed : .none, tb: Transpose = transposeB ? .transposed : .none
        let (m, k) = transposeA ? (a.shape[2], a.shape[1]) : (a.shape[1], a.shape[2])
        let (kb, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
        precondition(k == kb, "batchedMatmul of \(a.shape) and \(b.shape)")
        let lda = a.shape[2], ldb = b.shape[2]
        let (sa, sb, sc) = (m * k, k * n, m * n)
        var c = Tensor.zeros([batch, m, n])
        let (av, bv) = (a.value, b.value)
        av.withUnsafeBufferPointer { pa in
            bv.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<batch {
                        BLAS.gemm(ta, tb, m: m, n: n, k: k, a: pa.baseAddress! + i * sa, lda: lda,
                                  b: pb.baseAddress! + i * sb, ldb: ldb, c: pc.baseAddress! + i * sc, ldc: n)
                    }
                }
            }
        }
        return record(inputs: [a, b], output: c) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                if ctx.needsGradient(0) {
                    bv.withUnsafeBufferPointer { pb in
                        ctx.withGradient(0) { da in
                            for i in 0..<batch {
                                let gp = pg.baseAddress! + i * sc, bp = pb.baseAddress! + i * sb
                                let dp = da.baseAddress! + i * sa
                                if !transposeA {
                                    BLAS.gemm(.none, transposeB ? .none : .transposed, m: m, n: k, k: n,
                                              a: gp, lda: n, b: bp, ldb: ldb, beta: 1, c: dp, ldc: k)
                                } else {
                                    BLAS.gemm(tb, .transposed, m: k, n: m, k: n, a: bp, lda: ldb,
                                              b: gp, ldb: n, beta: 1, c: dp, ldc: m)
                                }
                            }
                        }
                    }
                }
                if ctx.needsGradient(1) {
                    av.withUnsafeBufferPointer { pa in
                        ctx.withGradient(1) { db in
                            for i in 0..<batch {
                                let gp = pg.baseAddress! + i * sc, ap = pa.baseAddress! + i * sa
                                let dp = db.baseAddress! + i * sb
                                if !transposeB {
                                    BLAS.gemm(transposeA ? .none : .transposed, .none, m: k, n: n, k: m,
                                              a: ap, lda: lda, b: gp, ldb: n, beta: 1, c: dp, ldc: n)
                                } else {
                                    BLAS.gemm(.transposed, ta, m: n, n: k, k: m, a: gp, lda: n,
                                              b: ap, ldb: lda, beta: 1, c: dp, ldc: k)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Affine map `y = x · Wᵀ + b`: `x` `[..., in]`, `weight` `[out, in]`, `bias` `[out]` (optional),
    /// `y` `[..., out]`. One GEMM forward (bias preloaded into the output), three backward.
    public func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        precondition(weight.shape.count == 2 && x.shape.last == weight.shape[1],
                     "linear of \(x.shape) with weight \(weight.shape)")
        let outF = weight.shape[0], inF = weight.shape[1]
        let rows = x.value.count / inF
        var y = Tensor.zeros(Array(x.shape.dropLast()) + [outF])
        if let bias {
            precondition(bias.shape == [outF], "bias \(bias.shape) for \(outF) outputs")
            bias.value.withUnsafeBufferPointer { pb in
                y.withUnsafeMutableBufferPointer { py in
                    for r in 0..<rows { (py.baseAddress! + r * outF).update(from: pb.baseAddress!, count: outF) }
                }
            }
        }
        let (xv, wv) = (x.value, weight.value)
        xv.withUnsafeBufferPointer { px in
            wv.withUnsafeBufferPointer { pw in
                y.withUnsafeMutableBufferPointer { py in
                    BLAS.gemm(.none, .transposed, m: rows, n: outF, k: inF, a: px.baseAddress!, lda: inF,
                              b: pw.baseAddress!, ldb: inF, beta: bias == nil ? 0 : 1, c: py.baseAddress!, ldc: outF)
                }
            }
        }
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(inputs: inputs, output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                let gp = pg.baseAddress!
                if ctx.needsGradient(0) {
                    wv.withUnsafeBufferPointer { pw in
                        ctx.withGradient(0) { dx in
                            BLAS.gemm(.none, .none, m: rows, n: inF, k: outF, a: gp, lda: outF,
                                      b: pw.baseAddress!, ldb: inF, beta: 1, c: dx.baseAddress!, ldc: inF)
                        }
                    }
                }
                if ctx.needsGradient(1) {
                    xv.withUnsafeBufferPointer { px in
                        ctx.withGradient(1) { dw in
                            BLAS.gemm(.transposed, .none, m: outF, n: inF, k: rows, a: gp, lda: outF,
                                      b: px.baseAddress!, ldb: inF, beta: 1, c: dw.baseAddress!, ldc: inF)
                        }
                    }
                }
                if inputs.count == 3 && ctx.needsGradient(2) {
                    ctx.withGradient(2) { db in Kernels.addColumnSums(gp, rows: rows, columns: outF, into: db.baseAddress!) }
                }
            }
        }
    }
}
