/// How two shapes broadcast (NumPy rules, aligned on the right) and how to walk the result.
///
/// The output is walked as `[rows, inner]` where `inner` is its last extent; each operand
/// contributes one row offset per output row and an inner stride of 1 (full last axis) or 0
/// (last extent 1, repeated).
struct BroadcastPlan {
    let outShape: [Int]
    let rows: Int
    let inner: Int
    let aOffsets: [Int]
    let bOffsets: [Int]
    let aInnerStride: Int
    let bInnerStride: Int

    init(_ a: [Int], _ b: [Int]) {
        let rank = max(a.count, b.count, 1)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            precondition(x == y || x == 1 || y == 1, "shapes \(a) and \(b) do not broadcast")
            out.append(x == 1 ? y : x)
        }
        outShape = Array(out.suffix(max(a.count, b.count)))
        inner = out[rank - 1]
        rows = out.dropLast().reduce(1, *)
        aInnerStride = pa[rank - 1] == 1 ? 0 : 1
        bInnerStride = pb[rank - 1] == 1 ? 0 : 1
        aOffsets = BroadcastPlan.rowOffsets(out: out, operand: pa)
        bOffsets = BroadcastPlan.rowOffsets(out: out, operand: pb)
    }

    /// Offset of each output row's operand row (broadcast axes have stride 0).
    static func rowOffsets(out: [Int], operand: [Int]) -> [Int] {
        let rank = out.count
        var strides = Array(repeating: 0, count: rank)
        var s = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = operand[axis] == 1 ? 0 : s
            s *= operand[axis]
        }
        let rows = out.dropLast().reduce(1, *)
        var offsets = Array(repeating: 0, count: rows)
        var index = Array(repeating: 0, count: max(rank - 1, 0))
        for r in 0..<rows {
            var o = 0
            for axis in 0..<(rank - 1) { o += index[axis] * strides[axis] }
            offsets[r] = o
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < out[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return offsets
    }

    /// `out = f(a, b)` elementwise with broadcasting.
    @inline(__always)
    func apply(_ a: Tensor, _ b: Tensor, _ f: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>) -> Tensor {
        var out = Tensor.zeros(outShape)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    let ap = pa.baseAddress!, bp = pb.baseAddress!, op = po.baseAddress!
                    for r in 0..<rows {
                        let x = ap + aOffsets[r], y = bp + bOffsets[r], z = op + r * inner
                        var i = 0
                        switch (aInnerStride, bInnerStride) {
                        case (1, 1):
                            while i + 16 <= inner {
                                SIMDMath.store(f(SIMDMath.load(x + i), SIMDMath.load(y + i)), z + i)
                                i += 16
                            }
                        case (1, 0):
                            let yv = SIMD16<Float>(repeating: y[0])
                            while i + 16 <= inner {
                                SIMDMath.store(f(SIMDMath.load(x + i), yv), z + i)
                                i += 16
                            }
                        case (0, 1):
                            let xv = SIMD16<Float>(repeating: x[0])
                            while i + 16 <= inner {
                                SIMDMath.store(f(xv, SIMDMath.load(y + i)), z + i)
                                i += 16
                            }
                        default:
                            break
                        }
                        while i < inner {
                            let u = SIMD16<Float>(repeating: x[i * aInnerStride])
                            let v = SIMD16<Float>(repeating: y[i * bInnerStride])
                            z[i] = f(u, v)[0]
                            i += 1
                        }
                    }
                }
            }
        }
        return out
    }

    /// Sums `g` (shaped like the output) down to operand `a`'s (`first`) or `b`'s shape.
    func reduce(_ g: Tensor, toFirst first: Bool, shape: [Int]) -> Tensor {
        var out = Tensor.zeros(shape)
        let offsets = first ? aOffsets : bOffsets
        let stride = first ? aInnerStride : bInnerStride
        g.withUnsafeBufferPointer { pg in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0..<rows {
                    let src = pg.baseAddress! + r * inner, dst = po.baseAddress! + offsets[r]
                    if stride == 1 {
                        for i in 0..<inner { dst[i] += src[i] }
                    } else {
                        var s: Float = 0
                        for i in 0..<inner { s += src[i] }
                        dst[0] += s
                    }
                }
            }
        }
        return out
    }
}
