import ArgumentParser
import Foundation
import Benchmarking
import Recipes
import Models
import TensorCore

/// The models `asr bench train` times.
enum BenchTrainModel: String, CaseIterable, ExpressibleByArgument {
    /// The encoder-decoder, paper and small sizes, monotonic and softmax attention.
    case attention
    /// The hard emit/ingest alignment model in the paper's TIMIT configuration.
    case hardAlignment
}

/// `asr bench train`: Time of one training step of a model.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time of one training step of a model.",
        discussion: """
            One step (forward, backward, gradient clipping, Adam update) on a batch of 8 utterances of \
            300 frames of 123 features with 40 labels; best of --repeats after a warm-up. attention: the \
            paper configuration (3 x 512 encoder, 256 decoder) and a small one (3 x 128, 128), monotonic \
            and softmax attention. hardAlignment: the emit/ingest model of Lawson et al. 2018 as on TIMIT \
            (p 2 x 256 over the frames, 61 phones; q 4 bidirectional + 2 x 256 layers), --samples \
            trajectories per utterance sampled and scored with --estimator. With --ranks: a data-parallel step \
            of the attention model (monotonic, paper and small) under mpirun for each rank count, each rank \
            on one thread (or the one count --threads names) and its shard of the batch of 8, with the time \
            of the gradient allreduce alone.
            """
    )

    @Option(help: "The model to time.")
    var model: BenchTrainModel = .attention

    @Option(help: "hardAlignment: the estimator.")
    var estimator: HardAlignmentEstimator = .vimco

    @Option(help: "hardAlignment: trajectories k per utterance (2-256).")
    var samples: Int = 4

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(help: "Timed steps per case (the best is reported).")
    var repeats: Int = 3

    @Option(help: "Comma-separated rank counts to time data-parallel steps for under mpirun (e.g. 1,2).")
    var ranks: String?

    @Option(help: .hidden)
    var rankStep: String?

    @Flag(help: "Print one JSON object {cases: [{config, model, threads, ms_per_step}]} (with --ranks also ranks and ms_allreduce).")
    var json = false

    func validate() throws {
        guard !threadCounts.isEmpty, threadCounts.count == threads.split(separator: ",").count else {
            throw ValidationError("--threads must list positive integers, got '\(threads)'")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard (2...256).contains(samples) else { throw ValidationError("--samples must be in 2...256, got \(samples)") }
        if let ranks, rankCounts.isEmpty || rankCounts.count != ranks.split(separator: ",").count {
            throw ValidationError("--ranks must list positive integers, got '\(ranks)'")
        }
    }

    var rankCounts: [Int] {
        (ranks ?? "").split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 1 }
    }

    /// Threads per rank under --ranks: the one count --threads names, else 1.
    var threadsPerRank: Int { threadCounts.count == 1 ? threadCounts[0] : 1 }

    var threadCounts: [Int] {
        threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 1 }
    }

    struct Row: Codable {
        let config: String
        /// monotonic, softmax, or hardAlignment-ESTIMATOR-kK.
        let model: String
        let threads: Int
        let ms_per_step: Double
        /// Processes of a data-parallel step (--ranks only).
        var ranks: Int? = nil
        /// The gradient allreduce alone (--ranks only).
        var ms_allreduce: Double? = nil
    }

    struct Report: Codable {
        let cases: [Row]
    }

    /// The cases of `model`: (config, model name, timing of one step on n threads).
    var cases: [(config: String, model: String, time: (Int) throws -> Double)] {
        switch model {
        case .attention:
            return ["paper", "small"].flatMap { config in
                [AttentionKind.monotonic, .softmax].map { attention in
                    (config, attention.rawValue, { n in
                        try AttentionModelBenchmark.trainingStep(config: config, attention: attention, threads: n, repeats: repeats)
                    })
                }
            }
        case .hardAlignment:
            return [("paper", "hardAlignment-\(estimator.rawValue)-k\(samples)", { n in
                try TrainingStepBenchmark.hardAlignment(estimator: estimator, samples: samples, threads: n, repeats: repeats)
            })]
        }
    }

    func run() throws {
        if let rankStep {
            let timing = try DataParallelBenchmark.step(config: rankStep, threads: threadsPerRank, repeats: repeats)
            if CommandWorld.isWriter { print(String(decoding: try JSONEncoder().encode(timing), as: UTF8.self)) }
            return
        }
        var rows: [Row] = []
        if ranks != nil {
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            for config in ["paper", "small"] {
                for n in rankCounts {
                    let t = try DataParallelBenchmark.launch(config: config, ranks: n, threads: threadsPerRank, repeats: repeats,
                                                             executable: executable)
                    rows.append(Row(config: config, model: "monotonic", threads: threadsPerRank, ms_per_step: (t.msPerStep * 100).rounded() / 100,
                                    ranks: n, ms_allreduce: (t.msAllreduce * 100).rounded() / 100))
                    if !json {
                        print(String(format: "%@  monotonic  ranks=%d  threads/rank=%d  %.1f ms/step  %.2f steps/s  allreduce %.1f ms (%.1f%%)",
                                     config, n, threadsPerRank, t.msPerStep, 1000 / t.msPerStep, t.msAllreduce,
                                     100 * t.msAllreduce / t.msPerStep))
                    }
                }
            }
        }
        for item in cases where ranks == nil {
            for n in threadCounts {
                let ms = try item.time(n)
                rows.append(Row(config: item.config, model: item.model, threads: n, ms_per_step: (ms * 100).rounded() / 100))
                if !json { print("\(item.config)  \(item.model)  threads=\(n)  \(String(format: "%.1f", ms)) ms/step") }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Report(cases: rows)), as: UTF8.self))
        }
    }
}
