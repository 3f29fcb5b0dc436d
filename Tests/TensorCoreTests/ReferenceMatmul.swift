import TensorCore

/// Reference `op(A)·op(B)` in Float64 for 2-D row-major matrices.
func referenceMatmul(_ a: Tensor, _ ta: Bool, _ b: Tensor, _ tb: Bool) -> [Double] {
    let (m, k) = ta ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = tb ? b.shape[0] : b.shape[1]
    let av = a.scalars, bv = b.scalars
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let x = ta ? av[p * a.shape[1] + i] : av[i * a.shape[1] + p]
                let y = tb ? bv[j * b.shape[1] + p] : bv[p * b.shape[1] + j]
                s += Double(x) * Double(y)
            }
            c[i * n + j] = s
        }
    }
    return c
}
