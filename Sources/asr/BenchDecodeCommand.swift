import ArgumentParser
import Foundation
import Benchmarking
import Models

/// `asr bench decode`: Decoding time against input length, monotonic versus softmax.
struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decoding time against input length, monotonic versus softmax.",
        discussion: """
            Greedy decoding with the paper's decoder (256 units, attention d = 512) over the encoder \
            states of 250 to 4000 input frames (one state per 4 frames, one output per 8 frames), \
            one thread, encoder excluded: hard monotonic attention grows linearly, softmax \
            attention quadratically.
            """
    )

    @Option(help: "Comma-separated input lengths in frames.")
    var frames: String = "250,500,1000,2000,4000"

    @Option(help: "Timed runs per case (the best is reported).")
    var repeats: Int = 3

    @Flag(help: "Print one JSON object {cases: [{attention, frames, ms}]}.")
    var json = false

    var lengths: [Int] { frames.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 8 } }

    func validate() throws {
        guard !lengths.isEmpty, lengths.count == frames.split(separator: ",").count else {
            throw ValidationError("--frames must list integers of at least 8, got '\(frames)'")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    struct Row: Codable {
        let attention: String
        let frames: Int
        let ms: Double
    }

    struct Report: Codable {
        let cases: [Row]
    }

    func run() throws {
        var rows: [Row] = []
        for attention in [AttentionKind.monotonic, .softmax] {
            for n in lengths {
                let ms = try AttentionModelBenchmark.decoding(attention: attention, frames: n, repeats: repeats)
                rows.append(Row(attention: attention.rawValue, frames: n, ms: (ms * 100).rounded() / 100))
                if !json { print("\(attention.rawValue)  frames=\(n)  \(String(format: "%.2f", ms)) ms") }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Report(cases: rows)), as: UTF8.self))
        }
    }
}
