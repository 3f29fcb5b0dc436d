import AtomicFiles
import Distributed
import Foundation

/// One stage of a recipe: its name, whether the recipe enables it, what it depends on and what it does.
public struct StageDefinition: Sendable {
    /// Stage name (`synthesize`, `prepare`, `features`, `train`, `decode`, `score`).
    public var name: String
    /// Whether the recipe runs this stage at all.
    public var isEnabled: @Sendable (Recipe) -> Bool
    /// A text that changes whenever the stage's result would: its options, and fingerprints of
    /// external inputs (upstream stages are chained in by the runner).
    public var fingerprint: @Sendable (Recipe, Experiment) throws -> String
    /// Does the work, writing into the experiment folder.
    public var run: @Sendable (StageContext) throws -> Void
    /// Whether, under several ranks, every rank runs the stage (sharding its work, rank 0 writing);
    /// otherwise rank 0 runs it alone while the others wait.
    public var everyRank: Bool

    /// A stage with every part given.
    public init(name: String, isEnabled: @escaping @Sendable (Recipe) -> Bool = { _ in true },
                fingerprint: @escaping @Sendable (Recipe, Experiment) throws -> String,
                everyRank: Bool = false, run: @escaping @Sendable (StageContext) throws -> Void) {
        self.name = name
        self.isEnabled = isEnabled
        self.fingerprint = fingerprint
        self.everyRank = everyRank
        self.run = run
    }
}

/// How `asr run` was asked to run.
public struct RunRequest: Sendable, Equatable {
    /// Rerun this stage and all after it even when up to date.
    public var from: String?
    /// Run only this stage (forced; its inputs must exist).
    public var only: String?
    /// Stop after this stage.
    public var until: String?
    /// Only validate and print what would run.
    public var dryRun: Bool

    /// A request; by default run every stage that is not up to date.
    public init(from: String? = nil, only: String? = nil, until: String? = nil, dryRun: Bool = false) {
        self.from = from
        self.only = only
        self.until = until
        self.dryRun = dryRun
    }
}

/// What happened to each stage in a run.
public enum StageOutcome: String, Sendable, Equatable {
    /// The stage ran and completed.
    case ran
    /// Up to date: skipped.
    case skipped
    /// The recipe does not enable it, or `--only` names another.
    case disabled
    /// Dry run: it would run.
    case wouldRun = "would run"
}

/// Runs a recipe's stages in order into an experiment folder, skipping each stage whose stamp matches
/// the hash of its options and inputs (chained through the stages before it).
///
/// Under a launcher (several ranks) rank 0 decides what runs, holds the lock and writes the folder,
/// stamps and logs; the other ranks join the stages marked `everyRank` and wait through the others.
public struct StageRunner: Sendable {
    /// The recipe.
    public let recipe: Recipe
    /// The experiment folder.
    public let experiment: Experiment
    /// The stages in order.
    public let stages: [StageDefinition]

    /// A runner for `recipe` into `experiment` with `stages` (the standard ones by default).
    public init(recipe: Recipe, experiment: Experiment, stages: [StageDefinition] = StandardStages.all) {
        self.recipe = recipe
        self.experiment = experiment
        self.stages = stages
    }

    /// Runs the stages, reporting each outcome through `echo`; returns the outcomes in order.
    @discardableResult
    public func run(_ request: RunRequest, echo: @escaping @Sendable (String) -> Void) throws -> [(String, StageOutcome)] {
        let world = World.current
        let silent: @Sendable (String) -> Void = { _ in }
        let echo = world.isWriter ? echo : silent
        let names = stages.map(\.name)
        for name in [request.from, request.only, request.until].compactMap({ $0 }) where !names.contains(name) {
            throw RecipeError.unknownStage(name, allowed: names)
        }
        let fromIndex = request.from.flatMap { names.firstIndex(of: $0) }
        let untilIndex = request.until.flatMap { names.firstIndex(of: $0) } ?? names.count - 1
        var lock: ExperimentLock?
        defer { withExtendedLifetime(lock) {} }
        if !request.dryRun && world.isWriter {
            try experiment.folder(experiment.root)
            lock = try ExperimentLock(folder: experiment.root)
            let stale = ExperimentLock.removeStaleTemporaries(in: experiment.root)
            if !stale.isEmpty { echo("removed \(stale.count) temporary file(s) left by an interrupted run") }
            var recorded = recipe   // as used: the model fitted to the features and phones
            recorded.settings.train = TrainStage.resolved(recipe.settings)
            try AtomicFile.write(Data(recorded.resolvedYAML().utf8), to: experiment.recipeFile)
        }
        var outcomes: [(String, StageOutcome)] = []
        var upstream = "", upstreamStage: String? = nil
        for (index, stage) in stages.enumerated() where index <= untilIndex {
            guard stage.isEnabled(recipe) else {
                outcomes.append((stage.name, .disabled))
                continue
            }
            let fingerprint: String
            var unavailable = ""
            do {
                fingerprint = try stage.fingerprint(recipe, experiment)
            } catch where request.dryRun {
                fingerprint = "unavailable"
                unavailable = " (its inputs are not there yet: \(error))"
            }
            let key = ContentHash.of("\(stage.name)\n\(fingerprint)\n\(upstream)")
            let chained = upstream, chainedStage = upstreamStage
            upstream = key
            upstreamStage = stage.name
            if let only = request.only, only != stage.name {
                outcomes.append((stage.name, .disabled))
                continue
            }
            let forced = request.only == stage.name || (fromIndex.map { index >= $0 } ?? false)
            let stampURL = experiment.stamp(stage.name)
            let stamp = StageStamp.read(stampURL)
            // Rank 0's view decides for every rank.
            var upToDate = [!forced && stamp?.key == key ? 1.0 : 0]
            if world.size > 1 {
                if !world.isWriter { upToDate = [0] }
                try world.allreduce(&upToDate, .sum)
            }
            if upToDate[0] > 0 {
                echo("\(stage.name): up to date, skipped")
                outcomes.append((stage.name, .skipped))
                continue
            }
            let lines = fingerprint.split(separator: "\n").map(String.init)
            let why = forced ? "asked for by --\(request.only == stage.name ? "only" : "from")"
                : stamp.map { $0.changes(fingerprint: lines, upstream: chained, upstreamStage: chainedStage) } ?? "not run before"
            if request.dryRun {
                echo("\(stage.name): would run (\(why))" + unavailable)
                outcomes.append((stage.name, .wouldRun))
                continue
            }
            if world.isWriter { try? FileManager.default.removeItem(at: stampURL) }
            guard world.isWriter || stage.everyRank else {
                try world.barrier()  // rank 0 runs the stage alone
                outcomes.append((stage.name, .ran))
                continue
            }
            let context = try StageContext(recipe: recipe, experiment: experiment, stage: stage.name, key: key,
                                           forced: forced, world: world, echo: echo)
            context.log("running (\(why); log: \(experiment.log(stage.name).path))")
            let start = Date()
            do {
                try stage.run(context)
            } catch {
                context.writeLog("failed: \(error)")
                throw error
            }
            let seconds = Date().timeIntervalSince(start)
            context.log(String(format: "done in %@", ProgressReporter.clock(seconds)))
            if world.isWriter {
                try StageStamp(stage: stage.name, key: key, completed: ISO8601DateFormatter().string(from: Date()),
                               seconds: seconds, fingerprint: lines, upstream: chained).write(stampURL)
            }
            try world.barrier()  // the next stage's fingerprint may read what this one wrote
            outcomes.append((stage.name, .ran))
        }
        return outcomes
    }
}
