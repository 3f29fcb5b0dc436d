import ArgumentParser
import Foundation
import Benchmarking
import Models
import TensorCore

/// `asr bench train`: Time of one training step of the encoder-decoder.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time of one training step of the encoder-decoder.",
        discussion: """
            One step (forward, backward, gradient clipping, Adam update) on a batch of 8 utterances of \
            300 frames with 40 labels, for the paper configuration (3 x 512 encoder, 256 decoder) and a \
            small one (3 x 128, 128), monotonic and softmax attention; best of --repeats after a warm-up.
            """
    )

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(help: "Timed steps per case (the best is reported).")
    var repeats: Int = 3

    @Flag(help: "Print one JSON object {cases: [{config, attention, threads, ms_per_step}]}.")
    var json = false

    func validate() throws {
        guard !threadCounts.isEmpty, threadCounts.count == threads.split(separator: ",").count else {
            throw ValidationError("--threads must list positive integers, got '\(threads)'")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    var threadCounts: [Int] {
        threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 1 }
    }

    struct Row: Codable {
        let config: String
        let attention: String
        let threads: Int
        let ms_per_step: Double
    }

    struct Report: Codable {
        let cases: [Row]
    }

    func run() throws {
        var rows: [Row] = []
        for config in ["paper", "small"] {
            for attention in [AttentionKind.monotonic, .softmax] {
                for n in threadCounts {
                    let ms = try AttentionModelBenchmark.trainingStep(config: config, attention: attention, threads: n, repeats: repeats)
                    rows.append(Row(config: config, attention: attention.rawValue, threads: n, ms_per_step: (ms * 100).rounded() / 100))
                    if !json { print("\(config)  \(attention.rawValue)  threads=\(n)  \(String(format: "%.1f", ms)) ms/step") }
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Report(cases: rows)), as: UTF8.self))
        }
    }
}
