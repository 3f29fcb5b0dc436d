import Randomness
/// Raw-buffer kernels shared by ops and layers (no allocation, no tape).
public enum Kernels {
    /// `dst[j] += Σ_r src[r, j]` for a row-major `[rows, columns]` matrix.
    @inlinable
    public static func addColumnSums(_ src: UnsafePointer<Float>, rows: Int, columns: Int,
                                     into dst: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = src + r * columns
            var j = 0
            while j + 16 <= columns {
                SIMDMath.store(SIMDMath.load(dst + j) + SIMDMath.load(row + j), dst + j)
                j += 16
            }
            while j < columns { dst[j] += row[j]; j += 1 }
        }
    }

    /// `y[i] += a · x[i]` for `i < n`.
    @inlinable
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let av = SIMD16<Float>(repeating: a)
        while i + 16 <= n {
            SIMDMath.store(SIMDMath.load(y + i) + av * SIMDMath.load(x + i), y + i)
            i += 16
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// In-place row softmax of a `[rows, n]` matrix: `y_j = exp(x_j - max x) / Σ_k exp(x_k - max x)`.
    /// With `logarithm`, writes `x_j - max x - log Σ_k exp(x_k - max x)` instead.
    public static func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, n: Int, logarithm: Bool) {
        for r in 0..<rows {
            let row = p + r * n
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, row[j]) }
            if m == -Float.infinity { m = 0 }   // an all-masked row
            var sum: Float = 0
            var j = 0
            let mv = SIMD16<Float>(repeating: m)
            if logarithm {
                var acc = SIMD16<Float>(repeating: 0)
                while j + 16 <= n {
                    acc += SIMDMath.exp(SIMDMath.load(row + j) - mv)
                    j += 16
                }
                sum = acc.sum()
                while j < n { sum += SIMDMath.exp(row[j] - m); j += 1 }
                let shift = m + LibM.logf(sum)
                for j in 0..<n { row[j] -= shift }
            } else {
                var acc = SIMD16<Float>(repeating: 0)
                while j + 16 <= n {
                    let e = SIMDMath.exp(SIMDMath.load(row + j) - mv)
                    SIMDMath.store(e, row + j)
                    acc += e
                    j += 16
                }
                sum = acc.sum()
                while j < n { row[j] = SIMDMath.exp(row[j] - m); sum += row[j]; j += 1 }
                let inv = sum > 0 ? 1 / sum : 0
                for j in 0..<n { row[j] *= inv }
            }
        }
    }
}
