import Distributed
import Foundation

/// What a running stage gets: the recipe, the experiment folder, a log and progress reporting.
public final class StageContext: @unchecked Sendable {
    /// The resolved recipe.
    public let recipe: Recipe
    /// The experiment folder.
    public let experiment: Experiment
    /// The stage's name.
    public let stage: String
    /// The stage's stamp key (hash of its options and inputs) in this run.
    public let key: String
    /// Whether `--from` or `--only` asked for this stage to run again from scratch.
    public let forced: Bool
    /// The processes running the stage together; only its writer (rank 0) logs, echoes and writes.
    public let world: any Communicator
    private let logHandle: FileHandle?
    private let echo: @Sendable (String) -> Void
    private let lock = NSLock()

    /// A context writing its log to `EXP/logs/STAGE.log` and echoing lines through `echo`; on a rank
    /// other than 0 of `world` it neither logs nor echoes.
    public init(recipe: Recipe, experiment: Experiment, stage: String, key: String = "", forced: Bool = false,
                world: any Communicator = World.current, echo: @escaping @Sendable (String) -> Void) throws {
        self.forced = forced
        self.recipe = recipe
        self.experiment = experiment
        self.stage = stage
        self.key = key
        self.world = world
        guard world.isWriter else {
            self.echo = { _ in }
            logHandle = nil
            return
        }
        self.echo = echo
        try experiment.folder(experiment.logs)
        let url = experiment.log(stage)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        logHandle = try FileHandle(forWritingTo: url)
        _ = try logHandle?.seekToEnd()
    }

    deinit { try? logHandle?.close() }

    /// Writes a timestamped line to the log and echoes it.
    public func log(_ line: String) {
        writeLog(line)
        echo("\(stage): \(line)")
    }

    /// Writes a timestamped line to the log only.
    public func writeLog(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        lock.withLock { logHandle?.write(Data("[\(stamp)] \(line)\n".utf8)) }
    }

    /// Progress for `total` items: a live line on a terminal (plain periodic lines when standard error
    /// is not one) and plain lines every 10 s in the log.
    public func progress(_ label: String? = nil, total: Int, unit: String) -> StageProgress {
        guard world.isWriter else { return StageProgress(reporters: []) }
        let toLog = ProgressReporter(label: label ?? stage, total: total, unit: unit, interval: 10, live: false,
                                     sink: { [weak self] in self?.writeLog($0.trimmingCharacters(in: .newlines)) })
        let toTerminal = ProgressReporter(label: label.map { "\(stage) \($0)" } ?? stage, total: total, unit: unit, interval: 30)
        return StageProgress(reporters: [toLog, toTerminal])
    }
}

/// Progress sent to several reporters at once.
public struct StageProgress: Sendable {
    let reporters: [ProgressReporter]

    /// Records that `done` items are finished.
    public func update(_ done: Int, extra: String = "") {
        for reporter in reporters { reporter.update(done, extra: extra) }
    }
}
