import Distributed
import Foundation
import Models
import ProcessRunner
import NeuralNet
import Randomness
import TensorCore
import Training

/// One data-parallel training step of the attention model over the ranks of a world, timed for
/// `asr bench train --ranks` (never run by tests).
public enum DataParallelBenchmark {
    /// The times of one configuration on one world.
    public struct Timing: Codable, Sendable {
        /// Ranks N.
        public var ranks: Int
        /// Best wall time of one step over the ranks' slowest (ms): each rank's shard of the global batch of 8
        /// (loss, backward), the gradient allreduce, clipping and Adam.
        public var msPerStep: Double
        /// Best wall time of the gradient allreduce alone (ms), its flat buffer as in training.
        public var msAllreduce: Double
    }

    /// Times steps of `config` ("paper" or "small", monotonic attention) on `world`, each rank on
    /// `threads` threads: the best of `repeats` after a warm-up, the largest over ranks.
    public static func step(config name: String, threads: Int, repeats: Int, world: any Communicator = World.current) throws -> Timing {
        ComputeThreads.configure(threads)
        let model = try AttentionModel(config: AttentionModelBenchmark.modelConfig(name, attention: .monotonic), seed: 1)
        let global = TrainingStepBenchmark.batch(phones: 48)
        var parallel = DataParallel(world: world)
        let shard = parallel.shard(Array(global.indices)).map { global[$0] }
        let weight = Float(model.lossTerms(shard)) / Float(model.lossTerms(global))
        var adam = try Adam(options: AdamOptions(epsilon: 1e-6))
        var rng = Xoshiro256StarStar(seed: UInt64(3 + world.rank))
        try world.barrier()
        let step = try Harness.measure(warmUp: 1, repeats: repeats) {
            model.registry.zeroGradients()
            let tape = Tape()
            let loss = model.loss(shard, on: tape, training: true, labelSmoothing: 0, rng: &rng)
            model.backward(loss, on: tape)
            _ = try parallel.sum(model.parameters, weight: weight, loss: loss.value.scalar)
            GradientClipping.clipGlobalNorm(model.parameters, maxNorm: 2)
            adam.step(model.parameters, learningRate: 1e-4)
        }.bestWall
        // The allreduce alone (after a barrier, timed with it: tens of microseconds on one node).
        let allreduce = try Harness.measure(warmUp: 1, repeats: max(repeats, 5)) {
            try world.barrier()
            _ = try parallel.sum(model.parameters, weight: 1, loss: 0)
        }.bestWall
        var slowest = [step, allreduce]
        try world.allreduce(&slowest, .max)
        return Timing(ranks: world.size, msPerStep: slowest[0] * 1e3, msAllreduce: slowest[1] * 1e3)
    }

    /// Times `config` with `ranks` processes of `executable` (this `asr`) started by `mpirun -np ranks
    /// --map-by slot:PE=threads --bind-to core` (one OpenBLAS thread per rank thread; as root, the variables
    /// that let mpirun start), each running `asr bench train --rank-step CONFIG`; rank 0 prints the timing.
    public static func launch(config: String, ranks: Int, threads: Int, repeats: Int, executable: String) throws -> Timing {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        guard let mpirun = paths.map({ $0 + "/mpirun" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchmarkError("mpirun is not on the PATH (make setup installs openmpi-bin)")
        }
        var environment = ProcessInfo.processInfo.environment
        if getuid() == 0 {
            environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
            environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        }
        let arguments = ["-np", String(ranks), "--map-by", "slot:PE=\(threads)", "--bind-to", "core",
                         "-x", "OPENBLAS_NUM_THREADS=\(threads)", executable, "bench", "train", "--rank-step", config,
                         "--threads", String(threads), "--repeats", String(repeats)]
        let result = try ChildProcess.run(mpirun, arguments, environment: environment)
        guard result.status == 0, let line = result.output.split(separator: "\n").last,
              let timing = try? JSONDecoder().decode(Timing.self, from: Data(line.utf8)) else {
            throw BenchmarkError("mpirun -np \(ranks) failed (status \(result.status)): "
                + result.errors.split(separator: "\n").prefix(3).joined(separator: " "))
        }
        return timing
    }
}

/// A benchmark that could not run, in one line.
public struct BenchmarkError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// An error reading `description`.
    public init(_ description: String) { self.description = description }
}
