import AtomicFiles
import Foundation
import Options

/// Which utterances share one set of CMVN statistics.
public enum CmvnGrouping: String, Codable, Sendable, CaseIterable {
    /// One set over the whole training set (global).
    case global
    /// One set per speaker (Kaldi recipes' choice).
    case speaker
    /// One set per utterance.
    case utterance
}

/// Options of Kaldi's `apply-cmvn` plus the grouping of `compute-cmvn-stats`.
public struct CmvnOptions: DefaultedOptions, Sendable, Equatable {
    /// `--norm-means`: subtract the mean. Default true.
    public var normMeans: Bool = true
    /// `--norm-vars`: also divide by the standard deviation. Default false.
    public var normVars: Bool = false
    /// Which utterances share statistics. Default speaker.
    public var grouping: CmvnGrouping = .speaker

    /// Kaldi's defaults, per speaker.
    public init() {}

    /// Options with the given fields.
    public init(normMeans: Bool = true, normVars: Bool = false, grouping: CmvnGrouping = .speaker) {
        self.normMeans = normMeans
        self.normVars = normVars
        self.grouping = grouping
    }

    /// Throws when variance normalisation is asked without mean normalisation (as Kaldi).
    public func validate() throws(OptionError) {
        try require(!normVars || normMeans, "normVars", true, "false unless --norm-means=true")
    }
}

/// CMVN statistics of a set of frames in double (Kaldi's 2 × (D + 1) matrix): count, Σ x, Σ x².
public struct CmvnStats: Codable, Sendable, Equatable {
    /// Feature dimension D.
    public let dim: Int
    /// Number of frames (sum of weights).
    public private(set) var count: Double = 0
    /// Σ_t x_t(d), `[D]`.
    public private(set) var sum: [Double]
    /// Σ_t x_t(d)², `[D]`.
    public private(set) var sumOfSquares: [Double]

    /// Empty statistics of dimension `dim`.
    public init(dim: Int) {
        self.dim = dim
        sum = [Double](repeating: 0, count: dim)
        sumOfSquares = [Double](repeating: 0, count: dim)
    }

    /// Adds every frame of `features` `[T, D]`.
    public mutating func accumulate(_ features: FeatureMatrix) throws(FeatureError) {
        guard features.dim == dim else { throw .dimensionMismatch(what: "CMVN statistics", expected: dim, actual: features.dim) }
        for t in 0..<features.frames {
            let base = t * dim
            for d in 0..<dim {
                let x = Double(features.values[base + d])
                sum[d] += x
                sumOfSquares[d] += x * x
            }
        }
        count += Double(features.frames)
    }

    /// Adds the statistics of another set.
    public mutating func merge(_ other: CmvnStats) throws(FeatureError) {
        guard other.dim == dim else { throw .dimensionMismatch(what: "CMVN statistics", expected: dim, actual: other.dim) }
        count += other.count
        for d in 0..<dim {
            sum[d] += other.sum[d]
            sumOfSquares[d] += other.sumOfSquares[d]
        }
    }

    /// Mean μ = Σx / count, `[D]`.
    public var mean: [Double] { sum.map { $0 / count } }

    /// Variance σ² = Σx² / count − μ², floored at 1e−20 as Kaldi, `[D]`.
    public var variance: [Double] {
        (0..<dim).map { d in
            let mu = sum[d] / count
            return max(sumOfSquares[d] / count - mu * mu, 1e-20)
        }
    }

    /// Normalises `features` `[T, D]` in place: x − μ, or (x − μ)/σ with `normVars` (Kaldi's apply-cmvn).
    /// Throws when the dimension differs or the count is below 1 (Kaldi's fatal error).
    public func apply(to features: inout FeatureMatrix, options: CmvnOptions) throws(FeatureError) {
        try FeatureError.validating(options.validate)
        guard features.dim == dim else { throw .dimensionMismatch(what: "features for CMVN", expected: dim, actual: features.dim) }
        guard count >= 1 else {
            throw .option(OptionError("cmvnStats", value: "count \(count)", allowed: "statistics of at least one frame"))
        }
        guard options.normMeans else { return }
        let mu = mean
        let scale: [Float] = options.normVars ? variance.map { Float(1 / $0.squareRoot()) } : Array(repeating: 1, count: dim)
        let offset: [Float] = (0..<dim).map { Float(-mu[$0] * Double(scale[$0])) }
        let d = dim
        features.withUnsafeMutableValues { x in
            for t in 0..<(x.count / d) {
                for c in 0..<d { x[t * d + c] = x[t * d + c] * scale[c] + offset[c] }
            }
        }
    }
}

/// CMVN statistics of every group (the whole set, each speaker or each utterance), saved as JSON.
public struct CmvnStatsTable: Codable, Sendable, Equatable {
    /// How utterances are grouped.
    public let grouping: CmvnGrouping
    /// Feature dimension D.
    public let dim: Int
    /// Statistics by group key: "global", the speaker or the utterance id.
    public private(set) var groups: [String: CmvnStats] = [:]

    /// An empty table.
    public init(grouping: CmvnGrouping, dim: Int) {
        self.grouping = grouping
        self.dim = dim
    }

    /// The key of an utterance's group.
    public func key(utterance: String, speaker: String) -> String {
        switch grouping {
        case .global: return "global"
        case .speaker: return speaker
        case .utterance: return utterance
        }
    }

    /// Adds one utterance's features `[T, D]` to its group.
    public mutating func accumulate(_ features: FeatureMatrix, utterance: String, speaker: String) throws(FeatureError) {
        let k = key(utterance: utterance, speaker: speaker)
        var stats = groups[k] ?? CmvnStats(dim: dim)
        try stats.accumulate(features)
        groups[k] = stats
    }

    /// The statistics for an utterance, or nil when its group has none.
    public func stats(utterance: String, speaker: String) -> CmvnStats? {
        groups[key(utterance: utterance, speaker: speaker)]
    }

    /// Writes the table as JSON, atomically (temporary file in the same folder, then rename).
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(encoder.encode(self), to: url)
    }

    /// Reads a table written by `save(to:)`, checking every group's dimension.
    public static func load(from url: URL) throws -> CmvnStatsTable {
        let table = try JSONDecoder().decode(CmvnStatsTable.self, from: Data(contentsOf: url))
        for (name, stats) in table.groups where stats.dim != table.dim || stats.sum.count != table.dim
            || stats.sumOfSquares.count != table.dim {
            throw FeatureError.dimensionMismatch(what: "CMVN group \(name) in \(url.path)", expected: table.dim, actual: stats.sum.count)
        }
        return table
    }
}
