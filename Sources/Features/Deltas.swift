import Options

/// Options of Kaldi's `add-deltas`.
public struct DeltaOptions: DefaultedOptions, Sendable, Equatable {
    /// `--delta-order`: highest derivative appended (0 = none). Default 2.
    public var order: Int = 2
    /// `--delta-window`: N, the half-width of each regression window. Default 2.
    public var window: Int = 2

    /// Kaldi's defaults.
    public init() {}

    /// Options with the given order and window.
    public init(order: Int, window: Int) {
        self.order = order
        self.window = window
    }

    /// Throws an `OptionError` when order or window is out of range.
    public func validate() throws(OptionError) {
        try require((0...4).contains(order), "order", order, "[0, 4]")
        try require((1...100).contains(window), "window", window, "[1, 100]")
    }
}

/// Kaldi's delta features: row t becomes [x_t, Δx_t, Δ²x_t, …], dimension D · (order + 1).
///
/// w¹_j = j / Σ_{k=−N..N} k² for j = −N … N, wⁱ = wⁱ⁻¹ ∗ w¹ (offsets −iN … iN);
/// Δⁱx_t = Σ_j wⁱ_j x_{clamp(t + j, 0, T − 1)} (edge frames repeated).
public struct DeltaFeatures: Sendable {
    /// The options, validated.
    public let options: DeltaOptions
    /// The filter of each order i, `[2 i N + 1]`, centred (index iN is offset 0); order 0 is [1].
    public let filters: [[Float]]

    /// The delta computer of `options`.
    public init(options: DeltaOptions = DeltaOptions()) throws(FeatureError) {
        try FeatureError.validating(options.validate)
        self.options = options
        let n = options.window
        let normalizer = Float((-n...n).reduce(0) { $0 + $1 * $1 })
        var filters: [[Float]] = [[1]]
        for i in 1...max(options.order, 1) where i <= options.order {
            let previous = filters[i - 1]
            var current = [Float](repeating: 0, count: previous.count + 2 * n)
            for j in -n...n {
                for (k, value) in previous.enumerated() {
                    current[k + j + n] += Float(j) * value / normalizer
                }
            }
            filters.append(current)
        }
        self.filters = filters
    }

    /// Frames of context on each side a row needs: order · window.
    public var context: Int { options.order * options.window }

    /// `features` `[T, D]` with its deltas appended, `[T, D · (order + 1)]`.
    public func apply(_ features: FeatureMatrix) -> FeatureMatrix {
        let frames = features.frames, d = features.dim
        let width = d * (options.order + 1)
        let values = features.values.withUnsafeBufferPointer { x in
            [Float](unsafeUninitializedCapacity: frames * width) { out, initialized in
                for t in 0..<frames {
                    row(t, frames: frames, rows: x.baseAddress!, firstRow: 0, dim: d, into: out.baseAddress! + t * width)
                }
                initialized = frames * width
            }
        }
        return FeatureMatrix(frames: frames, dim: width, values: values)
    }

    /// Writes output row t, `[D · (order + 1)]`, of a `frames`-frame input whose rows from `firstRow` on
    /// are at `rows` (`[_, D]`); every frame within `context` of t (clamped to [0, frames)) must be there.
    func row(_ t: Int, frames: Int, rows: UnsafePointer<Float>, firstRow: Int, dim d: Int,
             into out: UnsafeMutablePointer<Float>) {
        out.initialize(repeating: 0, count: d * filters.count)
        for (i, filter) in filters.enumerated() {
            let half = (filter.count - 1) / 2
            for (k, weight) in filter.enumerated() where weight != 0 {
                let source = rows + (min(max(t + k - half, 0), frames - 1) - firstRow) * d
                let target = out + i * d
                for c in 0..<d { target[c] += weight * source[c] }
            }
        }
    }
}

/// Streaming deltas: rows arrive in any number at a time; output row t comes out as soon as frame
/// t + context has arrived (the last `context` rows at `finish()`), equal to `DeltaFeatures.apply` on
/// all rows. Keeps only the rows later outputs need. Not thread-safe (one per stream).
public final class OnlineDeltas {
    /// The delta computer whose output this stream reproduces.
    public let deltas: DeltaFeatures
    /// Input dimension D.
    public let inputDim: Int
    private var buffer: [Float] = []
    private var bufferStart = 0
    private var received = 0
    /// Output rows emitted so far.
    public private(set) var framesEmitted = 0

    /// A stream of `inputDim`-dimensional rows.
    public init(options: DeltaOptions = DeltaOptions(), inputDim: Int) throws(FeatureError) {
        deltas = try DeltaFeatures(options: options)
        self.inputDim = inputDim
    }

    /// Output dimension D · (order + 1).
    public var dim: Int { inputDim * (deltas.options.order + 1) }

    /// Takes the next rows `[n, D]` and returns the output rows they completed.
    public func accept(_ rows: FeatureMatrix) throws(FeatureError) -> FeatureMatrix {
        guard rows.dim == inputDim else { throw .dimensionMismatch(what: "rows for deltas", expected: inputDim, actual: rows.dim) }
        buffer.append(contentsOf: rows.values)
        received += rows.frames
        return emit(upTo: max(0, received - deltas.context), frames: received)
    }

    /// Ends the input and returns the remaining output rows.
    public func finish() -> FeatureMatrix {
        emit(upTo: received, frames: received)
    }

    private func emit(upTo end: Int, frames: Int) -> FeatureMatrix {
        let count = max(0, end - framesEmitted)
        guard count > 0 else { return FeatureMatrix(dim: dim) }
        let width = dim, d = inputDim, first = framesEmitted, start = bufferStart
        let values = buffer.withUnsafeBufferPointer { x in
            [Float](unsafeUninitializedCapacity: count * width) { out, initialized in
                for i in 0..<count {
                    deltas.row(first + i, frames: frames, rows: x.baseAddress!, firstRow: start, dim: d,
                               into: out.baseAddress! + i * width)
                }
                initialized = count * width
            }
        }
        framesEmitted = end
        let keepFrom = max(0, framesEmitted - deltas.context)
        if keepFrom > bufferStart {
            buffer.removeFirst((keepFrom - bufferStart) * d)
            bufferStart = keepFrom
        }
        return FeatureMatrix(frames: count, dim: width, values: values)
    }
}
