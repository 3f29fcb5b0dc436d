import COpenBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    /// Use the matrix as stored.
    case none
    /// Use its transpose.
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Matrix products through OpenBLAS `cblas_sgemm` (row-major).
public enum BLAS {
    /// `C = alpha * op(A) * op(B) + beta * C` on raw row-major matrices.
    ///
    /// `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`; `lda`, `ldb`, `ldc` are the row
    /// strides of the stored matrices (so a strided view such as one time step of `[batch, time, f]`
    /// is passed with `ld = time * f`).
    @inlinable
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
            }
            return
        }
        gemmKernel(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    @usableFromInline
    static func gemmKernel(
        _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `C = alpha * op(A) * op(B) + beta * C` on tensors: `A` is `[..., m, k]` (or `[k, m]` when
    /// transposed) with all leading axes folded into `m` when `B` is 2-D.
    public static func matmul(_ a: Tensor, _ transA: Transpose = .none, _ b: Tensor, _ transB: Transpose = .none,
                              alpha: Float = 1, beta: Float = 0, into c: inout Tensor) {
        let (m, k, n) = matmulDimensions(a.shape, transA, b.shape, transB)
        precondition(c.count == m * n, "output of \(c.shape) for a [\(m), \(n)] product")
        let lda = a.shape.last!, ldb = b.shape.last!
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: lda,
                         b: pb.baseAddress!, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// `(m, k, n)` of `op(A) * op(B)` for a 2-D `B` and an `A` whose leading axes fold into `m`.
    public static func matmulDimensions(_ a: [Int], _ transA: Transpose, _ b: [Int], _ transB: Transpose)
        -> (m: Int, k: Int, n: Int)
    {
        precondition(a.count >= 2 && b.count == 2, "matmul of \(a) and \(b)")
        let rowsA = a.dropLast().reduce(1, *), colsA = a.last!
        if transA == .transposed { precondition(a.count == 2, "a transposed operand must be 2-D, got \(a)") }
        let (m, k) = transA == .none ? (rowsA, colsA) : (colsA, rowsA)
        let (kb, n) = transB == .none ? (b[0], b[1]) : (b[1], b[0])
        precondition(k == kb, "matmul of \(a)\(transA == .none ? "" : "ᵀ") and \(b)\(transB == .none ? "" : "ᵀ")")
        return (m, k, n)
    }
}
