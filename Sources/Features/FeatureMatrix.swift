/// A feature matrix `[frames, dim]`, row-major float32: value (t, d) is `values[t * dim + d]`.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (frames).
    public private(set) var frames: Int
    /// Number of columns (values per frame).
    public let dim: Int
    /// The values, `[frames, dim]` row-major.
    public private(set) var values: [Float]

    /// A matrix of `frames` rows of `dim` values; `values.count` must be frames · dim.
    public init(frames: Int, dim: Int, values: [Float]) {
        precondition(values.count == frames * dim, "FeatureMatrix: \(values.count) values for \(frames) x \(dim)")
        self.frames = frames
        self.dim = dim
        self.values = values
    }

    /// An empty matrix (no frames) of `dim` columns.
    public init(dim: Int) {
        self.init(frames: 0, dim: dim, values: [])
    }

    /// Value (t, d).
    public subscript(t: Int, d: Int) -> Float {
        get { values[t * dim + d] }
        set { values[t * dim + d] = newValue }
    }

    /// Row t, `[dim]`.
    public func row(_ t: Int) -> ArraySlice<Float> {
        values[(t * dim)..<((t + 1) * dim)]
    }

    /// Appends the rows of `other` (same `dim`).
    public mutating func append(_ other: FeatureMatrix) {
        precondition(other.dim == dim, "FeatureMatrix.append: dim \(other.dim) onto \(dim)")
        values.append(contentsOf: other.values)
        frames += other.frames
    }

    /// Calls `body` with mutable access to all values `[frames, dim]`.
    public mutating func withUnsafeMutableValues<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { try body($0) }
    }
}
