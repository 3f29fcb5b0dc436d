import ArgumentParser
import Benchmarking
import Foundation
import Recipes

/// `asr bench score`: Scoring speed in utterances per second.
struct BenchScore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Scoring speed in utterances per second.",
        discussion: """
            Writes a random set of trn files (utterances of 20-80 of the 39 TIMIT classes, about 20 % errors), \
            times `asr score`'s work on them end to end (read, parse, match, align with sclite's costs, count \
            confusions), the alignment counts alone, and NIST sclite on the first --sclite-utterances lines.
            """
    )

    @Option(help: "Utterances in the generated set.")
    var utterances: Int = 1_000_000

    @Option(help: "Worker threads (0: every core).")
    var threads: Int = 0

    @Option(help: "Timed runs of each measurement; the best is reported.")
    var repeats: Int = 3

    @Option(help: "Utterances (the set's first lines) to time sclite on; 0 skips sclite.")
    var scliteUtterances: Int = 100_000

    @Option(help: "Keep the generated files in this folder.")
    var keep: String?

    @Flag(help: "Print one JSON object (with utterances_per_second) instead of text.")
    var json = false

    func validate() throws {
        guard utterances > 0 else { throw ValidationError("--utterances must be positive") }
        guard (0...1024).contains(threads) else { throw ValidationError("--threads must be in 0...1024") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
        guard scliteUtterances >= 0 else { throw ValidationError("--sclite-utterances must not be negative") }
    }

    func run() throws {
        let result = try ScoringBenchmark.run(
            utterances: utterances, threads: threads, repeats: repeats, scliteUtterances: scliteUtterances,
            keep: keep.map { URL(fileURLWithPath: $0) }, progress: { if !json { print($0) } })
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print(String(format: "asr score: %d utterances (%d reference tokens) in %.3f s (%.3f s processor): %.0f utterances/s",
                     result.utterances, result.referenceTokens, result.seconds, result.cpuSeconds, result.utterancesPerSecond))
        print(String(format: "alignment counts alone: %.0f utterances/s", result.alignmentUtterancesPerSecond))
        if let n = result.scliteUtterances, let rate = result.scliteUtterancesPerSecond, let ours = result.prefixUtterancesPerSecond,
           let scliteCPU = result.scliteCPUSeconds, let oursCPU = result.prefixCPUSeconds {
            print(String(format: "sclite on the first %d: %.0f utterances/s (%.3f s processor); asr score on the same files: "
                         + "%.0f utterances/s (%.3f s processor): %.1fx wall, %.1fx processor",
                         n, rate, scliteCPU, ours, oursCPU, ours / rate, scliteCPU / max(oursCPU, 1e-9)))
        }
    }
}
