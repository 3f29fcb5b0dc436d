import AtomicFiles
import Corpus
import Features
import Foundation
import NeuralNet
import Models
import Parallelism
import Randomness
import TensorCore
import Training

/// The `train` stage: trains the recipe's model on the train split with the dev PER after each epoch,
/// keeping the best checkpoint in `EXP/train`, drawing training curves and attention alignments into
/// `EXP/plots`. A killed run resumes from the last resume point (same options required: a changed
/// recipe, `--from` or `--only` start over). Under a launcher every rank trains its shard of each batch
/// (`Trainer`) and rank 0 alone writes.
enum TrainStage {
    static let definition = StageDefinition(
        name: "train",
        fingerprint: { recipe, _ in
            // Only what changes the model: threads and resume-point spacing do not; the input size and
            // label count are the fitted ones.
            var options = resolved(recipe.settings)
            options.threads = 0
            options.training.resumeEvery = 0
            return try StandardStages.flattened(options, prefix: "train")
        },
        everyRank: true,
        run: run)

    /// The train options as used: the model fitted to the features' dimension and the training phones.
    static func resolved(_ settings: RecipeSettings) -> TrainStageOptions {
        var options = settings.train
        options.model = options.model.fitted(inputSize: settings.features.dimension, labelCount: TrainingData.phones.count)
        return options
    }

    static func run(_ context: StageContext) throws {
        let options = context.recipe.settings.train
        let experiment = context.experiment
        let folder = experiment.train
        let keyFile = folder.appendingPathComponent("stage.key")
        let world = context.world
        if world.isWriter { try prepareFolder(context, keyFile: keyFile) }
        try world.barrier()  // the folder is ready (emptied or kept) before any rank reads its resume point
        ComputeThreads.configure(Cores.resolve(options.threads))

        var frontEnd = ModelFrontEnd(features: context.recipe.settings.features, cmvn: options.cmvn, globalStats: nil,
                                     phones: TrainingData.phones.phones)
        if options.cmvn.grouping == .global { frontEnd.globalStats = try TrainingData.globalStats(experiment: experiment) }
        if world.isWriter { try frontEnd.write(to: folder) }
        let train = try TrainingData.load(split: "train", experiment: experiment, frontEnd: frontEnd)
        let dev = try TrainingData.load(split: "dev", experiment: experiment, frontEnd: frontEnd)
        let config = options.model.fitted(inputSize: train.featureSize, labelCount: TrainingData.phones.count)
        let model = try config.makeModel(seed: options.training.seed, initScale: options.training.initScale)
        let parameterCount = model.parameters.reduce(0) { $0 + $1.value.count }
        context.log("\(train.examples.count) train / \(dev.examples.count) dev utterances, \(train.featureSize) features, "
            + "\(config.family.summary), \(parameterCount) parameters, \(ComputeThreads.count) threads")

        let augment = try options.specAugment.map { settings -> @Sendable (inout Example, inout Xoshiro256StarStar) -> Void in
            let masker = try SpecAugment(options: settings)
            let dim = train.featureSize
            return { example, generator in
                var matrix = FeatureMatrix(frames: example.frames, dim: dim, values: example.features)
                _ = masker.apply(to: &matrix, seed: generator.next())
                example.features = matrix.values
            }
        }
        let makeTrainer = {
            try Trainer(model: model, config: options.training, train: train, dev: dev,
                        decoding: options.devDecoding, store: try CheckpointStore(directory: folder), augment: augment)
        }
        let trainer: Trainer
        do {
            trainer = try makeTrainer()
        } catch let error as CheckpointError {
            context.log("resume point unusable (\(error)); starting over")
            if world.isWriter { try? FileManager.default.removeItem(at: CheckpointStore(directory: folder).lastFolder) }
            try world.barrier()
            trainer = try makeTrainer()
        }
        let plotted = Array(dev.examples.prefix(options.alignmentPlots))
        let devEntries = try Manifest.read(from: experiment.data.appendingPathComponent("dev.jsonl"))
        var progress: StageProgress?
        var progressEpoch = 0
        let result = try trainer.run { event in
            switch event {
            case let .batch(epoch, batch, batches, _, loss, _):
                if progressEpoch != epoch {
                    progressEpoch = epoch
                    progress = context.progress("epoch \(epoch)", total: batches, unit: "batches")
                }
                progress?.update(batch + 1, extra: String(format: "loss %.3f", loss))
            case let .epoch(summary):
                guard world.isWriter else { break }
                let figures = (summary.statistics ?? [:]).sorted { $0.key < $1.key }
                    .map { String(format: ", %@ %.4g", $0.key, $0.value) }.joined()
                context.log(String(format: "epoch %d: train loss %.4f, dev PER %.2f%%%@, learning rate %g%@", summary.epoch,
                                   summary.trainLoss, 100 * summary.devErrorRate, summary.isBest ? " (best)" : "",
                                   summary.learningRate, figures))
                do {
                    try TrainingPlots.write(history: trainer.position.history, to: experiment.plots)
                    try TrainingPlots.alignments(model: model, examples: plotted, entries: devEntries, epoch: summary.epoch,
                                                 phones: frontEnd.phones, to: experiment.plots)
                } catch {
                    context.log("plots not written: \(error)")
                }
            case let .resumed(epoch, batch):
                context.log("resumed at epoch \(epoch), batch \(batch)")
            case let .averaged(epochs, devErrorRate):
                context.log(String(format: "averaged the weights of epochs %@: dev PER %.2f%% (best single epoch %.2f%%)",
                                   epochs.map(String.init).joined(separator: ", "), 100 * devErrorRate,
                                   100 * trainer.position.bestErrorRate))
            case let .emptyDevOutput(epoch):
                context.log("warning: epoch \(epoch): every dev hypothesis is empty (the model emits only the end of sequence) after the \(options.training.warmupEpochs)-epoch warm-up")
            }
        }
        guard world.isWriter else { return }
        try TrainingPlots.write(history: result.history, to: experiment.plots)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(result.history), to: folder.appendingPathComponent("history.json"))
        context.log(String(format: "best dev PER %.2f%% at epoch %d%@", 100 * result.bestErrorRate, result.bestEpoch,
                           result.budgetSpent ? " (time budget spent)" : result.stoppedEarly ? " (stopped early)" : ""))
    }
}

extension TrainStage {
    /// Empties `EXP/train` and the plots when asked to rerun or when its checkpoints are of other
    /// options (or absent), then records this run's key in `keyFile` (rank 0 only).
    static func prepareFolder(_ context: StageContext, keyFile: URL) throws {
        let folder = context.experiment.train
        if context.forced || (try? String(contentsOf: keyFile, encoding: .utf8)) != context.key {
            // Asked to rerun, or checkpoints of other options (or none): start over.
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: context.experiment.plots)
        }
        try context.experiment.folder(folder)
        try AtomicFile.write(Data(context.key.utf8), to: keyFile)
    }
}
