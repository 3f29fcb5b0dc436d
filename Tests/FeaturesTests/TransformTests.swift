import Foundation
import Randomness
import Testing
@testable import Features

/// Deltas, CMVN and SpecAugment against float64 values computed here from their definitions.
@Suite struct TransformTests {
    /// A deterministic pseudo-random matrix `[frames, dim]`.
    static func matrix(frames: Int, dim: Int, seed: UInt64) -> FeatureMatrix {
        var random = SplitMix64(seed: seed)
        let values = (0..<(frames * dim)).map { _ in Float(random.nextOpenUnit() * 20 - 5) }
        return FeatureMatrix(frames: frames, dim: dim, values: values)
    }

    @Test func deltaFiltersAreKaldis() throws {
        let deltas = try DeltaFeatures()
        let first: [Double] = [-2, -1, 0, 1, 2].map { $0 / 10 }
        #expect(zip(deltas.filters[1], first).allSatisfy { abs(Double($0) - $1) < 1e-7 })
        let second: [Double] = [4, 4, 1, -4, -10, -4, 1, 4, 4].map { $0 / 100 }
        #expect(zip(deltas.filters[2], second).allSatisfy { abs(Double($0) - $1) < 1e-7 })
    }

    @Test func kaldiNativeFbankDocstringExample() throws {
        let x = FeatureMatrix(frames: 3, dim: 1, values: [1, 2, 4])
        let out = try DeltaFeatures(options: DeltaOptions(order: 2, window: 1)).apply(x)
        let expected: [Float] = [1, 0.5, 0.75, 2, 1.5, 0.25, 4, 1.0, -0.75]
        #expect(zip(out.values, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test(arguments: [(2, 2), (1, 3), (3, 1)])
    func deltasMatchADoubleRegressionWithRepeatedEdges(order: Int, window: Int) throws {
        let x = Self.matrix(frames: 17, dim: 5, seed: 3)
        let out = try DeltaFeatures(options: DeltaOptions(order: order, window: window)).apply(x)
        #expect(out.frames == 17 && out.dim == 5 * (order + 1))
        // Δ⁰ = x; Δⁱ_t = Σ_j j · Δⁱ⁻¹_{clamp(t+j)} / Σ j², with the clamp applied at every order on the
        // original frames, which is the same as convolving the filters (Kaldi) because clamping indexes x.
        let n = window, norm = Double((-n...n).reduce(0) { $0 + $1 * $1 })
        func value(_ i: Int, _ t: Int, _ d: Int) -> Double {
            if i == 0 { return Double(x[min(max(t, 0), 16), d]) }
            return (-n...n).reduce(0.0) { $0 + Double($1) * value(i - 1, t + $1, d) } / norm
        }
        for t in 0..<17 {
            for i in 0...order {
                for d in 0..<5 {
                    #expect(abs(Double(out[t, i * 5 + d]) - value(i, t, d)) < 1e-4, "t \(t) order \(i) d \(d)")
                }
            }
        }
    }

    @Test func cmvnStatisticsAndNormalisationMatchDouble() throws {
        let x = Self.matrix(frames: 50, dim: 4, seed: 9)
        var stats = CmvnStats(dim: 4)
        try stats.accumulate(x)
        #expect(stats.count == 50)
        for d in 0..<4 {
            let column = (0..<50).map { Double(x[$0, d]) }
            let mean = column.reduce(0, +) / 50
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 50
            #expect(abs(stats.mean[d] - mean) < 1e-9)
            #expect(abs(stats.variance[d] - variance) < 1e-9)
            var meanOnly = x
            try stats.apply(to: &meanOnly, options: CmvnOptions(normMeans: true, normVars: false))
            var both = x
            try stats.apply(to: &both, options: CmvnOptions(normMeans: true, normVars: true))
            for t in 0..<50 {
                #expect(abs(Double(meanOnly[t, d]) - (column[t] - mean)) < 1e-4)
                #expect(abs(Double(both[t, d]) - (column[t] - mean) / variance.squareRoot()) < 1e-4)
            }
        }
        var untouched = x
        try stats.apply(to: &untouched, options: CmvnOptions(normMeans: false, normVars: false))
        #expect(untouched == x)
        #expect(throws: FeatureError.self) { try stats.apply(to: &untouched, options: CmvnOptions(normMeans: false, normVars: true)) }
        #expect(throws: FeatureError.self) { try CmvnStats(dim: 4).apply(to: &untouched, options: CmvnOptions()) }
        var wrong = Self.matrix(frames: 2, dim: 3, seed: 1)
        #expect(throws: FeatureError.self) { try stats.apply(to: &wrong, options: CmvnOptions()) }
    }

    @Test(arguments: CmvnGrouping.allCases)
    func cmvnTablesGroupAndRoundTripThroughAFile(grouping: CmvnGrouping) throws {
        let utterances = [("u1", "s1"), ("u2", "s1"), ("u3", "s2")]
        let matrices = utterances.indices.map { Self.matrix(frames: 10 + $0, dim: 3, seed: UInt64($0)) }
        var table = CmvnStatsTable(grouping: grouping, dim: 3)
        for ((u, s), m) in zip(utterances, matrices) { try table.accumulate(m, utterance: u, speaker: s) }
        let expectedGroups = ["global": 1, "speaker": 2, "utterance": 3][grouping.rawValue]!
        #expect(table.groups.count == expectedGroups)
        // u1's group: every utterance (global), s1's two (speaker), or u1 alone.
        let members: [Int] = switch grouping { case .global: [0, 1, 2]; case .speaker: [0, 1]; case .utterance: [0] }
        let values = members.flatMap { i in (0..<matrices[i].frames).map { Double(matrices[i][$0, 2]) } }
        let stats = try #require(table.stats(utterance: "u1", speaker: "s1"))
        #expect(stats.count == Double(values.count))
        #expect(abs(stats.mean[2] - values.reduce(0, +) / Double(values.count)) < 1e-9)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cmvn-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try table.save(to: url)
        #expect(try CmvnStatsTable.load(from: url) == table)
    }

    @Test func specAugmentIsSeededAndMasksOnlyItsBands() throws {
        var options = SpecAugmentOptions()
        options.maskValue = -100
        let augment = try SpecAugment(options: options)
        let x = Self.matrix(frames: 300, dim: 40, seed: 5)
        var a = x, b = x, c = x
        let bands = augment.apply(to: &a, seed: 11)
        augment.apply(to: &b, seed: 11)
        augment.apply(to: &c, seed: 12)
        #expect(a == b)
        #expect(a != c)
        #expect(bands.filter { !$0.isTime }.count == 2 && bands.filter(\.isTime).count == 2)
        for band in bands {
            #expect(band.width <= (band.isTime ? min(40, 60) : 15))
            #expect(band.start >= 0 && band.start + band.width <= (band.isTime ? 300 : 40))
        }
        for t in 0..<300 {
            for d in 0..<40 {
                let masked = bands.contains { band in
                    let i = band.isTime ? t : d
                    return i >= band.start && i < band.start + band.width
                }
                let expected: Float = masked ? -100 : x[t, d]
                #expect(a[t, d] == expected)
            }
        }
    }
}

/// Streaming deltas equal whole-matrix deltas for random row chunks.
@Suite struct OnlineDeltasTests {
    @Test(arguments: [(2, 2, UInt64(1)), (1, 3, 2), (3, 1, 3), (2, 2, 4)])
    func streamingDeltasEqualWholeMatrix(order: Int, window: Int, seed: UInt64) throws {
        let options = DeltaOptions(order: order, window: window)
        for frames in [1, 3, 9, 57] {
            let x = TransformTests.matrix(frames: frames, dim: 4, seed: seed)
            let whole = try DeltaFeatures(options: options).apply(x)
            let stream = try OnlineDeltas(options: options, inputDim: 4)
            var random = SplitMix64(seed: seed &+ UInt64(frames))
            var out = FeatureMatrix(dim: stream.dim)
            var t = 0
            while t < frames {
                let n = min(frames - t, Int.random(in: 1...7, using: &random))
                out.append(try stream.accept(FeatureMatrix(frames: n, dim: 4, values: Array(x.values[(t * 4)..<((t + n) * 4)]))))
                t += n
                #expect(stream.framesEmitted == max(0, t - order * window))
            }
            out.append(stream.finish())
            #expect(out == whole, "order \(order) window \(window) frames \(frames)")
        }
    }
}
