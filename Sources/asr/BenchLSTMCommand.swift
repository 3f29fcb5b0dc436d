import ArgumentParser
import Benchmarking
import Foundation
import TensorCore

/// `asr bench lstm`: LSTM forward plus backward time per step.
struct BenchLSTM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lstm",
        abstract: "LSTM forward plus backward time per step.",
        discussion: """
            Times one training step (forward and backward over the whole batch) of the paper's \
            encoder (3 LSTM layers of 512, 123 inputs, batch 8, 300 frames) and of a small one \
            (2 layers of 128), best of --repeats runs after one warm-up, per thread count. \
            Also reports the process CPU time per step, which a shared machine disturbs less.
            """
    )

    @Option(help: "Comma-separated OpenBLAS thread counts.")
    var threads: String = "1,2"

    @Option(help: "Run only the case with this name (encoder-3x512 or small-2x128).")
    var only: String?

    @Option(help: "Timed runs per case (the best is reported).")
    var repeats: Int = 5

    @Flag(help: "Print one JSON object {cases: [{name, threads, ms_per_step}]}.")
    var json = false

    func validate() throws {
        let counts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--threads must list positive integers, got '\(threads)'")
        }
        if let only, !LSTMBenchmark.standardCases.contains(where: { $0.name == only }) {
            throw ValidationError("--only must name one of \(LSTMBenchmark.standardCases.map(\.name).joined(separator: ", ")), got '\(only)'")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    struct Row: Codable {
        let name: String
        let threads: Int
        let ms_per_step: Double
        let cpu_ms_per_step: Double
    }

    struct Report: Codable {
        let cases: [Row]
        let blas: String
    }

    func run() throws {
        let counts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        var rows: [Row] = []
        for c in LSTMBenchmark.standardCases where only == nil || c.name == only {
            for n in counts {
                let times = try LSTMBenchmark.measure(c, threads: n, repeats: repeats)
                let (wall, cpu) = (times.bestWall * 1e3, times.bestProcessor * 1e3)
                rows.append(Row(name: c.name, threads: n, ms_per_step: (wall * 100).rounded() / 100,
                                cpu_ms_per_step: (cpu * 100).rounded() / 100))
                if !json {
                    print("\(c.name)  threads=\(n)  \(String(format: "%.1f", wall)) ms/step  (cpu \(String(format: "%.1f", cpu)) ms)")
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Report(cases: rows, blas: ComputeThreads.blasDescription)), as: UTF8.self))
        }
    }
}
