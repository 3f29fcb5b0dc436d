import Foundation
import ProcessRunner
import Testing
import TestSupport

/// `asr train` under `mpirun -np 2`: data-parallel training matches one process and repeats itself bit
/// for bit; a failing rank or ranks that disagree end the job with exit status 1 and a `[rank r/N]` line.
@Suite(.serialized) struct DistributedTrainingTests {
    /// One process's training: the weights of the final resume point.
    @Test func twoRanksMatchOneProcessAndRepeatBitForBit() throws {
        let fixture = try DistributedFixture.get()
        let single = try fixture.train(ranks: 1, into: "single")
        let first = try fixture.train(ranks: 2, into: "ranks-a")
        let second = try fixture.train(ranks: 2, into: "ranks-b")
        #expect(single.count == first.count && !single.isEmpty)
        // The two runs differ only in float summation order: each rank sums its shard's gradient and the
        // allreduce adds the two weighted halves, where one process sums all 8 utterances at once. Those
        // relative differences of about 1e-7 (float epsilon) per step pass through 20 Adam steps of
        // learning rate 1e-3 (updates of about lr each): measured 1.2e-7 at most. 1e-5, 1 % of one
        // update, leaves room for other BLAS builds, while averaging the two shards' mean losses
        // without weighting each by its share of the batch's labels is off by 2.4e-3.
        let largest = zip(single, first).map { abs($0 - $1) }.max() ?? .infinity
        #expect(largest <= 1e-5, "largest weight difference between 1 process and 2 ranks: \(largest)")
        #expect(first == second, "two 2-rank runs differ")
        // The tolerance is small against training: 18 more steps move the weights by far more.
        #expect(zip(single, fixture.afterTwoSteps).map { abs($0 - $1) }.max() ?? 0 > 1e-2)
    }

    @Test func aFailingRankEndsTheJobWithItsLine() throws {
        let fixture = try DistributedFixture.get()
        // Multiple program, multiple data: rank 1 is given a recipe that does not exist.
        let run = try fixture.mpirun(["-np", "1", fixture.asr, "train", "tiny.yaml", "--exp", "failing", ":",
                                      "-np", "1", fixture.asr, "train", "missing.yaml", "--exp", "failing"])
        #expect(run.status == 1)
        #expect(run.errors.contains("[rank 1/2] asr: "), "stderr: \(run.errors)")
        #expect(run.errors.contains("missing.yaml"))
    }

    @Test func ranksThatDisagreeOnTheModelFailClearly() throws {
        let fixture = try DistributedFixture.get()
        try fixture.copyBase(to: "disagree")
        let run = try fixture.mpirun(["-np", "1", fixture.asr, "train", "tiny.yaml", "--exp", "disagree", "--set", "train.threads=1", ":",
                                      "-np", "1", fixture.asr, "train", "tiny.yaml", "--exp", "disagree", "--set", "train.threads=1",
                                      "--set", "train.model.encoder.hiddenSize=12"])
        #expect(run.status == 1)
        #expect(run.errors.contains("] asr: ranks disagree on parameter count"), "stderr: \(run.errors)")
    }
}

/// A tiny synthesized corpus with its features, made once by one process, copied for each training run.
final class DistributedFixture: Sendable {
    /// The folder holding `tiny.yaml`, the base experiment and the runs.
    let folder: URL
    /// The built `asr`.
    let asr: String
    /// The weights of one process after one epoch (2 steps).
    let afterTwoSteps: [Float]

    static let shared: Result<DistributedFixture, any Error> = Result { try DistributedFixture() }

    static func get() throws -> DistributedFixture { try shared.get() }

    /// 16 training utterances (4 training speakers of 4 sentences), global batch 8, 10 epochs: 20 steps;
    /// no dropout or noise, so both ways of training draw nothing at random.
    static let recipe = tinyCorpusSections.replacingOccurrences(of: "sentences: 3", with: "sentences: 4")
        .replacingOccurrences(of: "speakers: 6", with: "speakers: 8") + """

        train:
          model:
            kind: ctc
            encoder: {layers: 1, hiddenSize: 16, bidirectional: false, subsampleAfter: []}
          training: {epochs: 10, batchSize: 8, learningRate: 0.001, patience: 0}
          alignmentPlots: 0
        """

    private init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("distributed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        asr = try ASRProcess.executable().path
        try Data(Self.recipe.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
        let base = try ASRProcess.run(["run", "tiny.yaml", "--exp", "base", "--until", "features"], in: folder)
        guard base.status == 0 else { throw FixtureError(message: "asr run --until features failed: \(base.stderr)") }
        try FileManager.default.copyItem(at: folder.appendingPathComponent("base"), to: folder.appendingPathComponent("early"))
        let early = try ASRProcess.run(["train", "tiny.yaml", "--exp", "early", "--set", "train.threads=1",
                                        "--set", "train.training.epochs=1"], in: folder)
        guard early.status == 0 else { throw FixtureError(message: "one epoch of training failed: \(early.stderr)") }
        afterTwoSteps = try Self.weights(folder.appendingPathComponent("early/train/last"))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Copies the base experiment (features done) to `name`.
    func copyBase(to name: String) throws {
        try FileManager.default.copyItem(at: folder.appendingPathComponent("base"), to: folder.appendingPathComponent(name))
    }

    /// Trains a copy of the base experiment named `name` with `ranks` processes (one thread each; one
    /// process is `asr` without mpirun) and returns the final weights.
    func train(ranks: Int, into name: String) throws -> [Float] {
        try copyBase(to: name)
        let arguments = ["train", "tiny.yaml", "--exp", name, "--set", "train.threads=1"]
        let run = ranks == 1 ? try ChildProcess.run(asr, arguments, directory: folder.path)
            : try mpirun(["-np", String(ranks), asr] + arguments)
        guard run.status == 0 else { throw FixtureError(message: "\(ranks)-rank training failed (\(run.status)): \(run.errors)") }
        return try Self.weights(folder.appendingPathComponent(name).appendingPathComponent("train/last"))
    }

    /// Runs `mpirun` with `arguments` in the fixture's folder: a time limit, room for 2 ranks on any
    /// machine, one OpenBLAS thread per rank, and the variables that let root start it.
    func mpirun(_ arguments: [String]) throws -> ChildProcess.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let launcher = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let launcher else { throw FixtureError(message: "mpirun is not installed; `make setup` installs openmpi-bin") }
        return try ChildProcess.run(launcher, ["--timeout", "120", "--oversubscribe", "--bind-to", "none",
                                               "-x", "OPENBLAS_NUM_THREADS=1"] + arguments,
                                    directory: folder.path, environment: environment)
    }

    /// The float32 data of a checkpoint folder's `weights.safetensors`, in file order.
    static func weights(_ checkpoint: URL) throws -> [Float] {
        let data = try Data(contentsOf: checkpoint.appendingPathComponent("weights.safetensors"))
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let body = data.dropFirst(8 + headerLength)
        return stride(from: body.startIndex, to: body.endIndex - 3, by: 4).map { (i: Int) -> Float in
            var bits: UInt32 = 0
            for k in 0..<4 { bits |= UInt32(body[i + k]) << UInt32(8 * k) }
            return Float(bitPattern: bits)
        }
    }
}
