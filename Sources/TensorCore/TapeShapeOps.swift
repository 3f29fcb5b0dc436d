// Shape ops on the tape: reshape, concatenate, split, slice, gather, stack.

/// Copies blocks between `[outer, n, inner]` views: for each `o`, `count · inner` elements from
/// source offset `(o·srcN + srcStart)·inner` to destination offset `(o·dstN + dstStart)·inner`.
@inline(__always)
func copyBlocks(_ src: UnsafePointer<Float>, srcN: Int, srcStart: Int,
                _ dst: UnsafeMutablePointer<Float>, dstN: Int, dstStart: Int,
                outer: Int, count: Int, inner: Int, accumulate: Bool) {
    let len = count * inner
    for o in 0..<outer {
        let s = src + (o * srcN + srcStart) * inner, d = dst + (o * dstN + dstStart) * inner
        if accumulate { Kernels.axpy(1, s, d, len) } else { d.update(from: s, count: len) }
    }
}

extension Tape {
    /// The same elements under `shape` (one extent may be -1); no copy.
    public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
        let y = x.value.reshaped(shape)
        let original = x.shape
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            ctx.accumulate(0, g.reshaped(original))
        }
    }

    /// Concatenates along `axis`; all other extents must agree.
    public func concat(_ parts: [Variable], axis: Int) -> Variable {
        precondition(!parts.isEmpty, "concat of nothing")
        let base = parts[0].shape
        precondition(axis >= 0 && axis < base.count, "axis \(axis) of \(base)")
        for p in parts {
            precondition(p.shape.count == base.count && zip(p.shape, base).enumerated().allSatisfy { $0.offset == axis || $0.element.0 == $0.element.1 },
                         "concat of \(parts.map(\.shape)) along \(axis)")
        }
        let outer = base[..<axis].reduce(1, *), inner = base[(axis + 1)...].reduce(1, *)
        let sizes = parts.map { $0.shape[axis] }
        let total = sizes.reduce(0, +)
        var outShape = base
        outShape[axis] = total
        var y = Tensor.zeros(outShape)
        var starts: [Int] = []
        var start = 0
        y.withUnsafeMutableBufferPointer { py in
            for (p, n) in zip(parts, sizes) {
                starts.append(start)
                p.value.withUnsafeBufferPointer { pp in
                    copyBlocks(pp.baseAddress!, srcN: n, srcStart: 0, py.baseAddress!, dstN: total, dstStart: start,
                               outer: outer, count: n, inner: inner, accumulate: false)
                }
                start += n
            }
        }
        return record(inputs: parts, output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                for (i, n) in sizes.enumerated() where ctx.needsGradient(i) {
                    ctx.withGradient(i) { d in
                        copyBlocks(pg.baseAddress!, srcN: total, srcStart: starts[i], d.baseAddress!, dstN: n, dstStart: 0,
                                   outer: outer, count: n, inner: inner, accumulate: true)
                    }
                }
            }
        }
    }

    /// Elements `range` along `axis` (kept as an axis of extent `range.count`).
    public func slice(_ x: Variable, axis: Int, _ range: Range<Int>) -> Variable {
        let shape = x.shape
        precondition(axis >= 0 && axis < shape.count && range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice \(range) of axis \(axis) of \(shape)")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *), n = shape[axis]
        var outShape = shape
        outShape[axis] = range.count
        var y = Tensor.zeros(outShape)
        x.value.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                copyBlocks(px.baseAddress!, srcN: n, srcStart: range.lowerBound, py.baseAddress!, dstN: range.count,
                           dstStart: 0, outer: outer, count: range.count, inner: inner, accumulate: false)
            }
        }
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                ctx.withGradient(0) { d in
                    copyBlocks(pg.baseAddress!, srcN: range.count, srcStart: 0, d.baseAddress!, dstN: n,
                               dstStart: range.lowerBound, outer: outer, count: range.count, inner: inner, accumulate: true)
                }
            }
        }
    }

    /// Splits along `axis` into consecutive pieces of `sizes` (which sum to the extent).
    public func split(_ x: Variable, axis: Int, sizes: [Int]) -> [Variable] {
        precondition(sizes.reduce(0, +) == x.shape[axis], "split \(sizes) of axis \(axis) of \(x.shape)")
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return slice(x, axis: axis, start..<(start + n))
        }
    }

    /// Stacks equal-shaped parts along a new `axis` (e.g. decoder steps `[batch, h]` → `[batch, steps, h]`).
    public func stack(_ parts: [Variable], axis: Int) -> Variable {
        let shape = parts[0].shape
        var unit = shape
        unit.insert(1, at: axis)
        return concat(parts.map { reshape($0, unit) }, axis: axis)
    }

    /// Rows of a 2-D `table` `[rows, d]` picked by `indices`, result `[indices.count, d]`;
    /// backward scatter-adds into the picked rows (an embedding lookup).
    public func gather(_ table: Variable, rows indices: [Int]) -> Variable {
        precondition(table.shape.count == 2, "gather from \(table.shape)")
        let (n, d) = (table.shape[0], table.shape[1])
        var y = Tensor.zeros([indices.count, d])
        table.value.withUnsafeBufferPointer { pt in
            y.withUnsafeMutableBufferPointer { py in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < n, "row \(i) of a table of \(n)")
                    (py.baseAddress! + r * d).update(from: pt.baseAddress! + i * d, count: d)
                }
            }
        }
        return record(inputs: [table], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                ctx.withGradient(0) { dt in
                    for (r, i) in indices.enumerated() { Kernels.axpy(1, pg.baseAddress! + r * d, dt.baseAddress! + i * d, d) }
                }
            }
        }
    }
}

/// Masks for padded sequences.
public enum SequenceMask {
    /// `[batch, maxLength]` with 1 where `t < lengths[b]`, else 0.
    public static func make(lengths: [Int], maxLength: Int) -> Tensor {
        var m = Tensor.zeros([lengths.count, maxLength])
        m.withUnsafeMutableBufferPointer { p in
            for (b, n) in lengths.enumerated() {
                precondition(n >= 0 && n <= maxLength, "length \(n) longer than \(maxLength)")
                for t in 0..<n { p[b * maxLength + t] = 1 }
            }
        }
        return m
    }
}
