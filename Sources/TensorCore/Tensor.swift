/// Reference-counted Float32 storage shared by tensors and their slices.
@usableFromInline
final class TensorBuffer: @unchecked Sendable {
    /// The first element; `capacity` elements are allocated and initialised.
    @usableFromInline let base: UnsafeMutablePointer<Float>
    /// Number of elements allocated.
    @usableFromInline let capacity: Int

    /// Allocates `capacity` elements, each set to `value`.
    @usableFromInline
    init(capacity: Int, repeating value: Float) {
        self.capacity = capacity
        base = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(capacity, 1))
        base.initialize(repeating: value, count: Swift.max(capacity, 1))
    }

    deinit { base.deallocate() }
}

/// An n-dimensional array of Float32 in row-major order, with value semantics (copy-on-write).
///
/// Shapes are written `[d0, d1, ..., dn-1]`; the last axis is contiguous. Slicing along the
/// leading axis (`tensor[i]`, `tensor.slice(rows)`) and `reshaped(_:)` share storage and cost
/// no copy; the first mutation of a shared tensor copies it.
///
/// ```swift
/// var x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let row = x[1]              // [3]: 4 5 6, no copy
/// x[0, 2] = 9                 // copies: `row` is unaffected
/// ```
public struct Tensor: Sendable, CustomStringConvertible {
    /// Extent of each axis; empty for a scalar.
    public let shape: [Int]
    @usableFromInline var buffer: TensorBuffer
    @usableFromInline var offset: Int
    /// Number of elements: the product of `shape`.
    public let count: Int

    /// A tensor of `shape` with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        let n = shape.reduce(1, *)
        self.shape = shape
        count = n
        buffer = TensorBuffer(capacity: n, repeating: value)
        offset = 0
    }

    /// A tensor of `shape` holding `scalars` in row-major order (`scalars.count` = product of `shape`).
    public init(shape: [Int], scalars: [Float]) {
        self.init(shape: shape, repeating: 0)
        precondition(scalars.count == count, "\(scalars.count) scalars for shape \(shape)")
        if count > 0 {
            scalars.withUnsafeBufferPointer { src in buffer.base.update(from: src.baseAddress!, count: count) }
        }
    }

    /// A tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of `shape` filled with ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// A 0-dimensional tensor holding `value`.
    public init(scalar value: Float) { self.init(shape: [], repeating: value) }

    /// A tensor of `shape` whose elements are `f(i)` for the row-major index `i`.
    public init(shape: [Int], generator f: (Int) -> Float) {
        self.init(shape: shape, repeating: 0)
        for i in 0..<count { buffer.base[i] = f(i) }
    }

    @usableFromInline
    init(shape: [Int], buffer: TensorBuffer, offset: Int) {
        self.shape = shape
        self.buffer = buffer
        self.offset = offset
        count = shape.reduce(1, *)
    }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// The elements in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The single element of a tensor with one element.
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor of shape \(shape)")
        return buffer.base[offset]
    }

    /// Calls `body` with the elements in row-major order (no copy).
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: buffer.base + offset, count: count))
    }

    /// Calls `body` with mutable access to the elements, copying first if the storage is shared.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: buffer.base + offset, count: count))
    }

    /// Ensures this tensor owns its storage alone (copy-on-write).
    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) {
            let copy = TensorBuffer(capacity: count, repeating: 0)
            copy.base.update(from: buffer.base + offset, count: count)
            buffer = copy
            offset = 0
        }
    }

    /// Row-major offset of a full index.
    @inlinable
    func linearIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) for shape \(shape)")
        var index = 0
        for (axis, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(indices) out of range for shape \(shape)")
            index = index * shape[axis] + i
        }
        return index
    }

    /// The element at a full index (one integer per axis).
    public subscript(element indices: [Int]) -> Float {
        get { buffer.base[offset + linearIndex(indices)] }
        set {
            let i = linearIndex(indices)
            makeUnique()
            buffer.base[offset + i] = newValue
        }
    }

    /// The element at a full index of two or more axes: `x[b, t, f]`.
    public subscript(_ i0: Int, _ i1: Int, _ rest: Int...) -> Float {
        get { self[element: [i0, i1] + rest] }
        set { self[element: [i0, i1] + rest] = newValue }
    }

    /// Sub-tensor `i` along the leading axis, shape `shape.dropFirst()`; shares storage.
    public subscript(_ i: Int) -> Tensor {
        precondition(rank >= 1 && i >= 0 && i < shape[0], "row \(i) of shape \(shape)")
        let inner = Array(shape.dropFirst())
        let size = inner.reduce(1, *)
        return Tensor(shape: inner, buffer: buffer, offset: offset + i * size)
    }

    /// Rows `range` along the leading axis, shape `[range.count] + shape.dropFirst()`; shares storage.
    public func slice(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) of shape \(shape)")
        let size = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [range.count] + shape.dropFirst(), buffer: buffer,
                      offset: offset + range.lowerBound * size)
    }

    /// The same elements under another shape with the same element count; shares storage.
    /// One extent may be `-1`, inferred from the others.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[unknown] = count / known
        }
        precondition(resolved.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: resolved, buffer: buffer, offset: offset)
    }

    /// Largest absolute elementwise difference to `other` (same shape), computed in Float64.
    public func maxAbsDifference(_ other: Tensor) -> Double {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                var m = 0.0
                for i in 0..<count { m = Swift.max(m, abs(Double(a[i]) - Double(b[i]))) }
                return m
            }
        }
    }

    /// Shape and up to eight leading elements.
    public var description: String {
        let head = withUnsafeBufferPointer { Array($0.prefix(8)) }
        return "Tensor\(shape)\(head)\(count > 8 ? "..." : "")"
    }
}

extension Tensor: Equatable {
    /// Equal shapes and elementwise `==` (so `-0 == 0` and NaN differs from itself).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        return lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}

extension Tensor {
    /// Bitwise equality of shapes and element bit patterns (what a checkpoint round trip must keep).
    public func isBitwiseEqual(to other: Tensor) -> Bool {
        guard shape == other.shape else { return false }
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
            }
        }
    }
}
