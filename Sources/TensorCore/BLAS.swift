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
    /// Products with at most this many rows are cut into tiles (see `gemm`).
    public static let smallRows = 16
    /// Tile extents for small-row products: `[m, 64]` outputs over 512-long inner slices.
    static let tileColumns = 64, tileDepth = 512
    /// Other products of at least this many multiply-adds (about 10 µs on one core) are split
    /// by rows across the threads of a `ComputeThreads.team`.
    public static let parallelWork = 1 << 20

    /// `C = alpha * op(A) * op(B) + beta * C` on raw row-major matrices.
    ///
    /// `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`; `lda`, `ldb`, `ldc` are the row
    /// strides of the stored matrices (so a strided view such as one time step of `[batch, time, f]`
    /// is passed with `ld = time * f`).
    ///
    /// Products with few rows (`m ≤ 16`, the per-step recurrent GEMMs of a batch), more than 64
    /// columns or 512 inner steps, and `m·n·k ≥ 2¹⁶` are computed as tiles of `[m, 64]` outputs over 512-long slices of `k`: each tile
    /// then takes OpenBLAS's unpacked small-matrix path, measured 2–3.5× faster than one call for
    /// `8 × 2048 × 512` (44 → 100 GFLOP/s, one thread). With `ComputeThreads.count > 1` the
    /// column tiles are shared among the threads, and other products of `parallelWork` or more
    /// multiply-adds are split into blocks of rows, one per thread.
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
        if m <= smallRows && (n > tileColumns || k > tileDepth) && m * n * k >= 65_536 {
            tiledGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else if m > smallRows && m * n * k >= parallelWork && ComputeThreads.count > 1 {
            ComputeThreads.team(upTo: m / smallRows) { member in
                let rows = member.share(of: m, alignment: smallRows)
                guard !rows.isEmpty else { return }
                let a0 = transA == .none ? a + rows.lowerBound * lda : a + rows.lowerBound
                gemmKernel(transA, transB, rows.count, n, k, alpha, a0, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc)
            }
        } else {
            gemmKernel(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }

    static func tiledGemm(
        _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        let columnTiles = (n + tileColumns - 1) / tileColumns
        func columns(_ tile: Int) {
            let n0 = tile * tileColumns, nn = Swift.min(tileColumns, n - n0)
            var k0 = 0
            while k0 < k {
                let kk = Swift.min(tileDepth, k - k0)
                let at = transA == .none ? a + k0 : a + k0 * lda
                let bt = transB == .none ? b + k0 * ldb + n0 : b + n0 * ldb + k0
                gemmKernel(transA, transB, m, nn, kk, alpha, at, lda, bt, ldb, k0 == 0 ? beta : 1, c + n0, ldc)
                k0 += kk
            }
        }
        let workers = Swift.min(ComputeThreads.count, columnTiles)
        if workers <= 1 {
            for tile in 0..<columnTiles { columns(tile) }
        } else {
            ComputeThreads.parallelFor(workers) { w in
                var tile = w * columnTiles / workers
                let end = (w + 1) * columnTiles / workers
                while tile < end { columns(tile); tile += 1 }
            }
        }
    }

    static func gemmKernel(
        _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        _ = ComputeThreads.openBLASDefaultThreads   // holds OpenBLAS at one thread
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
