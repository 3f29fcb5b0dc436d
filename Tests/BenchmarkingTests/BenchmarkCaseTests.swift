import Benchmarking
import Features
import Foundation
import Testing

/// Collects progress lines (the callback runs on the calling thread).
final class Lines: @unchecked Sendable {
    var all: [String] = []
}

@Suite("Benchmark cases on the harness")
struct BenchmarkCaseTests {
    @Test("audio is cut into utterances; a last piece under one second joins the one before")
    func utteranceCut() {
        let samples = [Float](repeating: 0, count: 1050)
        #expect(FeatureBenchmark.utterances(samples, seconds: 3, rate: 100).map(\.count) == [300, 300, 300, 150])
        #expect(FeatureBenchmark.utterances(Array(samples.prefix(950)), seconds: 3, rate: 100).map(\.count) == [300, 300, 350])
        #expect(FeatureBenchmark.utterances(samples, seconds: 0, rate: 100).map(\.count) == [1050])
    }

    @Test("features: one warm-up, then the asked-for timed runs over every frame")
    func featureMeasurement() throws {
        var options = FbankOptions()
        options.dither = 0
        let audio = FeatureBenchmark.synthesize(seconds: 2, rate: options.sampleFrequency)
        let utterances = FeatureBenchmark.utterances(audio, seconds: 1, rate: options.sampleFrequency)
        let result = try FeatureBenchmark.measure(utterances, options: options, repeats: 3)
        #expect(result.frames == 2 * 98)
        #expect(result.times.runs.count == 3)
        #expect(result.best <= result.median)
        #expect(result.audioSeconds == 2)
    }

    @Test("scoring: one progress line per timed run, and the fastest run's figures")
    func scoringMeasurement() throws {
        let lines = Lines()
        let result = try ScoringBenchmark.run(utterances: 200, threads: 1, repeats: 2, scliteUtterances: 0, keep: nil,
                                              progress: { lines.all.append($0) })
        #expect(lines.all.count == 4)
        #expect(lines.all[0].hasPrefix("writing 200 utterances to "))
        #expect(lines.all[1].hasPrefix("asr score run 1: ") && lines.all[2].hasPrefix("asr score run 2: "))
        #expect(lines.all[3].hasPrefix("alignment counts alone: "))
        #expect(result.utterances == 200 && result.seconds > 0 && result.cpuSeconds >= 0)
        #expect(result.utterancesPerSecond == 200 / result.seconds)
        #expect(result.scliteUtterances == nil)
    }
}
