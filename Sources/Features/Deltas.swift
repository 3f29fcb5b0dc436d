/// Options of Kaldi's `add-deltas`.
public struct DeltaOptions: Codable, Sendable, Equatable {
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

    /// Throws `FeatureError.invalidOption` when order or window is out of range.
    public func validate() throws(FeatureError) {
        guard (0...4).contains(order) else {
            throw .invalidOption(option: "delta-order", value: "\(order)", allowed: "[0, 4]")
        }
        guard (1...100).contains(window) else {
            throw .invalidOption(option: "delta-window", value: "\(window)", allowed: "[1, 100]")
        }
    }

    private enum CodingKeys: String, CodingKey { case order, window }

    /// Decodes the fields present and keeps the defaults for the others.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        order = try c.decodeIfPresent(Int.self, forKey: .order) ?? order
        window = try c.decodeIfPresent(Int.self, forKey: .window) ?? window
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
        try options.validate()
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

    /// `features` `[T, D]` with its deltas appended, `[T, D · (order + 1)]`.
    public func apply(_ features: FeatureMatrix) -> FeatureMatrix {
        let frames = features.frames, d = features.dim, blocks = options.order + 1
        var out = [Float](repeating: 0, count: frames * d * blocks)
        let x = features.values
        for t in 0..<frames {
            let rowOut = t * d * blocks
            for (i, filter) in filters.enumerated() {
                let half = (filter.count - 1) / 2
                for (k, weight) in filter.enumerated() where weight != 0 {
                    let source = min(max(t + k - half, 0), frames - 1) * d
                    for c in 0..<d { out[rowOut + i * d + c] += weight * x[source + c] }
                }
            }
        }
        return FeatureMatrix(frames: frames, dim: d * blocks, values: out)
    }
}
