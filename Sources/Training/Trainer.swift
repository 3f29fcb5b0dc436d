import Distributed
import Models
import NeuralNet
import Randomness
import TensorCore

/// What the training loop reports while it runs.
public enum TrainingEvent: Sendable {
    /// One update done: 1-based epoch, 0-based batch of `batches`, global update count, mean loss per
    /// label and the gradient norm before clipping.
    case batch(epoch: Int, batch: Int, batches: Int, step: Int, loss: Float, gradientNorm: Float)
    /// One epoch done.
    case epoch(EpochSummary)
    /// Training resumed from a saved point (epoch, next batch).
    case resumed(epoch: Int, batch: Int)
    /// After the warm-up (`TrainingConfig.warmupEpochs`), every dev hypothesis of this epoch was empty:
    /// the model emits only the end of sequence.
    case emptyDevOutput(epoch: Int)
    /// The final model is the average of the weights of these best epochs (`TrainingConfig.averageBest`),
    /// with this dev error rate.
    case averaged(epochs: [Int], devErrorRate: Double)
}

/// The figures of one finished epoch.
public struct EpochSummary: Codable, Sendable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss per label over the epoch's batches.
    public var trainLoss: Float
    /// Dev phone error rate by greedy decoding (edit distance over label ids).
    public var devErrorRate: Double
    /// Whether this epoch's model is the best so far (and was saved as such).
    public var isBest: Bool
    /// Learning rate used in the epoch.
    public var learningRate: Float
    /// Means of the model's own figures (`RecognitionModel.batchStatistics`) over the epoch's batches
    /// that reported them; nil when the family has none.
    public var statistics: [String: Double]? = nil

    /// The figures of one epoch.
    public init(epoch: Int, trainLoss: Float, devErrorRate: Double, isBest: Bool, learningRate: Float,
                statistics: [String: Double]? = nil) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.devErrorRate = devErrorRate
        self.isBest = isBest
        self.learningRate = learningRate
        self.statistics = statistics
    }
}

/// Why training stopped with an error.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss or gradient of a batch was NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int, utterances: [String], value: Float)
    /// The training set has no examples.
    case emptyTrainingSet

    /// One line naming the batch's utterances.
    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, utterances, value):
            "non-finite loss \(value) in epoch \(epoch), batch \(batch), utterances \(utterances.joined(separator: " "))"
        case .emptyTrainingSet: "the training set has no examples"
        }
    }
}

/// Where the loop stands: everything besides weights and optimizer moments needed to resume.
public struct TrainingPosition: Codable, Sendable, Equatable {
    /// 1-based epoch in progress (or next to start).
    public var epoch: Int = 1
    /// Next batch of that epoch.
    public var batch: Int = 0
    /// Updates so far.
    public var step: Int = 0
    /// Σ loss over this epoch's finished batches.
    public var epochLossSum: Double = 0
    /// Σ and count of each of the model's `batchStatistics` over this epoch's finished batches that
    /// reported it (nil: none yet); kept here so a resumed epoch reports the same means.
    public var epochStatisticSums: [String: StatisticSum]? = nil
    /// Best dev error so far and its epoch (0: none yet).
    public var bestErrorRate: Double = .infinity
    /// Epoch of the best dev error.
    public var bestEpoch: Int = 0
    /// Current learning rate.
    public var learningRate: Float = 0
    /// Epoch summaries so far.
    public var history: [EpochSummary] = []
    /// Whether training has finished (epochs done or stopped early).
    public var finished = false
    /// Dev error rate of the averaged final model, once it is made (`TrainingConfig.averageBest`).
    public var averagedErrorRate: Double? = nil
    /// Wall-clock seconds spent in training so far, over every run of it; recorded only when
    /// `TrainingConfig.maxMinutes` sets a budget (nil otherwise).
    public var elapsedSeconds: Double? = nil

    /// A position at the start with `learningRate`.
    public init(learningRate: Float) { self.learningRate = learningRate }
}

/// A running sum of one named figure over the batches that reported it.
public struct StatisticSum: Codable, Sendable, Equatable {
    /// Σ of the values.
    public var total: Double = 0
    /// Number of values.
    public var count: Int = 0

    /// Adds one batch's value.
    mutating func add(_ value: Double) {
        total += value
        count += 1
    }
}

/// The outcome of `Trainer.run`.
public struct TrainingResult: Sendable {
    /// Every epoch's summary.
    public var history: [EpochSummary]
    /// Best dev error rate and its epoch.
    public var bestErrorRate: Double
    /// Epoch of the best dev error rate.
    public var bestEpoch: Int
    /// Whether early stopping ended training before `epochs`.
    public var stoppedEarly: Bool
    /// Whether the wall-clock budget (`TrainingConfig.maxMinutes`) ended training.
    public var budgetSpent: Bool = false
    /// Dev error rate of the averaged model (`TrainingConfig.averageBest` ≥ 2), nil without averaging.
    public var averagedErrorRate: Double? = nil
}

/// The training loop: teacher forcing over length-bucketed batches, dropout, attention noise, weight
/// noise, label smoothing, an optional augmentation hook, Adam with global-norm clipping, greedy dev
/// error after each epoch, best-model tracking, early stopping and exact resumption.
///
/// Every random choice of a batch (order, dropout, noise, augmentation) comes from a generator seeded
/// by (seed, epoch, batch), so a run resumed from a saved position repeats the uninterrupted one.
///
/// Under a launcher (`World.current` of several ranks) training is data-parallel (`DataParallel`): each
/// rank takes a disjoint shard of every global batch of `config.batchSize`, the gradients are summed
/// with one allreduce per step, and every rank takes the same step; dev decoding is sharded too, and
/// rank 0 alone saves. Weight noise is drawn alike on every rank, augmentation and dropout from a
/// stream of each rank's own; the model's own figures (`batchStatistics`) are rank 0's shard's.
public final class Trainer {
    /// The model being trained (its weights change in place).
    public let model: any RecognitionModel
    /// Loop options.
    public let config: TrainingConfig
    /// Training examples.
    public let train: Dataset
    /// Dev examples for the error rate after each epoch.
    public let dev: Dataset
    /// Decoding options of the dev evaluation.
    public let decoding: DecodingConfig
    /// Optional per-example augmentation of training features (e.g. SpecAugment), from the batch's generator.
    public let augment: (@Sendable (inout Example, inout Xoshiro256StarStar) -> Void)?
    /// Where best and resume checkpoints go (nil: nothing is saved).
    public let store: CheckpointStore?
    /// The optimizer (its state is part of a resume point).
    public private(set) var optimizer: Adam
    /// Where the loop stands.
    public private(set) var position: TrainingPosition
    /// The ranks training together (one process without a launcher).
    private var parallel: DataParallel
    /// `store` on the rank that saves (rank 0), nil on the others.
    private var writer: CheckpointStore? { parallel.world.isWriter ? store : nil }

    /// A trainer; with a `store` holding a resume point, training continues from it.
    public init(model: any RecognitionModel, config: TrainingConfig, train: Dataset, dev: Dataset,
                decoding: DecodingConfig = .init(), store: CheckpointStore? = nil,
                augment: (@Sendable (inout Example, inout Xoshiro256StarStar) -> Void)? = nil,
                world: any Communicator = World.current) throws {
        try config.validate()
        try decoding.validate()
        try train.validate(labelCount: model.labelCount)
        try dev.validate(labelCount: model.labelCount)
        try model.validateTraining(train.examples)
        guard !train.examples.isEmpty else { throw TrainingError.emptyTrainingSet }
        self.model = model
        self.config = config
        self.train = train
        self.dev = dev
        self.decoding = decoding
        self.store = store
        self.augment = augment
        optimizer = try Adam(options: AdamOptions(beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon,
                                                  weightDecay: config.weightDecay))
        position = TrainingPosition(learningRate: config.learningRate)
        parallel = DataParallel(world: world)
        if let store, let saved = try store.loadResumePoint(into: model) {
            try optimizer.restore(saved.optimizer)
            position = saved.position
        }
        try parallel.checkAgreement(parameters: model.parameters, train: train.examples.count, dev: dev.examples.count,
                                    batchSize: config.batchSize, step: position.step)
    }

    /// A generator for one (epoch, batch) pair; batch −1 orders the epoch.
    func generator(epoch: Int, batch: Int) -> Xoshiro256StarStar {
        var mix = Xoshiro256StarStar(seed: config.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 1_000_003 &+ UInt64(batch + 1))
        return mix.split()
    }

    /// Runs until `config.epochs`, early stopping, or `stopAfterBatches` updates in this call (for
    /// tests of resumption). Reports through `progress`.
    @discardableResult
    public func run(stopAfterBatches: Int? = nil, progress: (TrainingEvent) -> Void = { _ in }) throws -> TrainingResult {
        if position.step > 0 || position.batch > 0 { progress(.resumed(epoch: position.epoch, batch: position.batch)) }
        var updatesThisCall = 0
        let clock = ContinuousClock()
        let start = clock.now, spentBefore = position.elapsedSeconds ?? 0
        let budget = config.maxMinutes * 60
        // Recorded only under a budget: without one, two identical runs write identical resume points.
        func spend() {
            guard budget > 0 else { return }
            let run = clock.now - start
            position.elapsedSeconds = spentBefore + Double(run.components.seconds) + Double(run.components.attoseconds) * 1e-18
        }
        while !position.finished && position.epoch <= config.epochs {
            var orderRNG = generator(epoch: position.epoch, batch: -1)
            let batches = train.batches(batchSize: config.batchSize, rng: &orderRNG)
            var outOfTime = false
            while position.batch < batches.count && !outOfTime {
                if let limit = stopAfterBatches, updatesThisCall >= limit { return result() }
                let (loss, norm) = try update(batches[position.batch], batchIndex: position.batch)
                position.epochLossSum += Double(loss)
                let statistics = model.batchStatistics
                if !statistics.isEmpty {
                    var sums = position.epochStatisticSums ?? [:]
                    for (name, value) in statistics { sums[name, default: StatisticSum()].add(value) }
                    position.epochStatisticSums = sums
                }
                position.step += 1
                position.batch += 1
                updatesThisCall += 1
                progress(.batch(epoch: position.epoch, batch: position.batch - 1, batches: batches.count,
                                step: position.step, loss: loss, gradientNorm: norm))
                spend()
                outOfTime = budget > 0 && (position.elapsedSeconds ?? 0) >= budget
                if budget > 0 && parallel.isDistributed {
                    // Every rank's clock differs: stop together once any rank's budget is spent.
                    var spent = [outOfTime ? 1.0 : 0]
                    try parallel.world.allreduce(&spent, .max)
                    outOfTime = spent[0] > 0
                }
                if config.resumeEvery > 0 && position.step % config.resumeEvery == 0 { try saveResumePoint() }
            }
            if outOfTime { position.finished = true }
            try finishEpoch(batches: position.batch, progress: progress)
            spend()
        }
        position.finished = true
        if config.averageBest >= 2, position.averagedErrorRate == nil, let store {
            try parallel.world.barrier()  // rank 0 has saved the ranked checkpoints every rank now reads
            let epochs = try store.averageRanked(into: model)
            let error = try parallel.devEvaluation(model, decoding: decoding, examples: dev.examples).errorRate
            try writer?.saveAveraged(model, epochs: epochs, devErrorRate: error)
            position.averagedErrorRate = error
            progress(.averaged(epochs: epochs, devErrorRate: error))
        }
        try saveResumePoint()
        return result()
    }

    private func result() -> TrainingResult {
        TrainingResult(history: position.history, bestErrorRate: position.bestErrorRate, bestEpoch: position.bestEpoch,
                       stoppedEarly: position.finished && position.epoch <= config.epochs,
                       budgetSpent: config.maxMinutes > 0 && (position.elapsedSeconds ?? 0) >= config.maxMinutes * 60,
                       averagedErrorRate: position.averagedErrorRate)
    }

    /// Forward, backward and one Adam step on a batch; returns the loss and the gradient norm.
    private func update(_ indices: [Int], batchIndex: Int) throws -> (Float, Float) {
        var rng = generator(epoch: position.epoch, batch: batchIndex)
        // Under several ranks: weight noise from the batch's generator (alike on every rank), the rest
        // from a stream of this rank's own.
        var noiseRNG = rng
        if parallel.isDistributed { for _ in 0...parallel.world.rank { rng = rng.split() } }
        var batch = parallel.shard(indices).map { train.examples[$0] }
        if let augment { for i in batch.indices { augment(&batch[i], &rng) } }
        let parameters = model.parameters
        let noisy = config.weightNoise > 0 && position.step >= config.weightNoiseStart
        let noise = !noisy ? nil : parallel.isDistributed
            ? WeightNoise.apply(to: parameters, standardDeviation: config.weightNoise, rng: &noiseRNG)
            : WeightNoise.apply(to: parameters, standardDeviation: config.weightNoise, rng: &rng)
        model.registry.zeroGradients()
        var value: Float = 0
        if !batch.isEmpty {
            let tape = Tape()
            let loss = model.loss(batch, on: tape, training: true, labelSmoothing: config.labelSmoothing, rng: &rng)
            value = loss.value.scalar
            guard value.isFinite else {
                noise?.remove()
                throw TrainingError.nonFiniteLoss(epoch: position.epoch, batch: batchIndex, utterances: batch.map(\.id), value: value)
            }
            model.backward(loss, on: tape)
        }
        noise?.remove()
        if parallel.isDistributed {
            let global = indices.map { train.examples[$0] }
            let weight = batch.isEmpty ? 0 : Float(Double(model.lossTerms(batch)) / Double(max(model.lossTerms(global), 1)))
            value = try parallel.sum(parameters, weight: weight, loss: value)
        }
        let norm = config.clipNorm > 0
            ? GradientClipping.clipGlobalNorm(parameters, maxNorm: config.clipNorm)
            : GradientClipping.clipGlobalNorm(parameters, maxNorm: .infinity)
        guard norm.isFinite else {
            throw TrainingError.nonFiniteLoss(epoch: position.epoch, batch: batchIndex, utterances: batch.map(\.id), value: norm)
        }
        optimizer.step(parameters, learningRate: position.learningRate * warmupFactor(step: position.step))
        return (value, norm)
    }

    /// The learning-rate factor of update `step` (0-based): min(1, (step + 1)/learningRateWarmup).
    func warmupFactor(step: Int) -> Float {
        config.learningRateWarmup > 0 ? min(1, Float(step + 1) / Float(config.learningRateWarmup)) : 1
    }

    /// Epochs without a better dev PER as `patience` and `halveAfter` count them after `epoch`: since the
    /// best epoch once the dev PER has improved on the first epoch's, else since the end of the warm-up
    /// (≤ 0 during it).
    func staleEpochs(after epoch: Int) -> Int {
        epoch - (position.bestEpoch > 1 ? position.bestEpoch : max(position.bestEpoch, config.warmupEpochs))
    }

    /// Dev error, best model, learning-rate halving and early stopping at the end of an epoch.
    private func finishEpoch(batches: Int, progress: (TrainingEvent) -> Void) throws {
        // Without dev examples every epoch counts as the best so far (no early stopping).
        let (error, allEmpty, frameAccuracy) = try parallel.devEvaluation(model, decoding: decoding, examples: dev.examples)
        let isBest = dev.examples.isEmpty || error < position.bestErrorRate
        if isBest {
            position.bestErrorRate = error
            position.bestEpoch = position.epoch
            try writer?.saveBest(model, epoch: position.epoch, devErrorRate: error)
        }
        if config.averageBest >= 2 { try writer?.saveRanked(model, epoch: position.epoch, devErrorRate: error, keep: config.averageBest) }
        var statistics = position.epochStatisticSums.map { sums in sums.mapValues { $0.total / Double(max($0.count, 1)) } }
        // A model that labels every frame also reports its dev frame accuracy.
        if let frameAccuracy {
            statistics = (statistics ?? [:]).merging(["dev frame accuracy": frameAccuracy]) { $1 }
        }
        let summary = EpochSummary(epoch: position.epoch, trainLoss: Float(position.epochLossSum / Double(max(batches, 1))),
                                   devErrorRate: error, isBest: isBest, learningRate: position.learningRate,
                                   statistics: statistics)
        position.history.append(summary)
        let stale = staleEpochs(after: position.epoch)
        if config.halveAfter > 0 && stale > 0 && stale % config.halveAfter == 0 { position.learningRate /= 2 }
        if config.patience > 0 && stale >= config.patience { position.finished = true }
        position.epoch += 1
        position.batch = 0
        position.epochLossSum = 0
        position.epochStatisticSums = nil
        try saveResumePoint()
        progress(.epoch(summary))
        if position.epoch - 1 >= config.warmupEpochs && allEmpty {
            progress(.emptyDevOutput(epoch: position.epoch - 1))
        }
    }

    private func saveResumePoint() throws {
        try writer?.saveResumePoint(model: model, optimizer: optimizer.state, position: position)
    }
}
