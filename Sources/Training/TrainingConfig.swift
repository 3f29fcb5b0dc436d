import Models
import NeuralNet
import Options

/// Options of the training loop.
public struct TrainingConfig: DefaultedOptions, Sendable, Equatable {
    /// Maximum passes over the training set. Default 30; allowed 1...100000.
    public var epochs: Int = 30
    /// Utterances per batch. Default 8; allowed 1...4096.
    public var batchSize: Int = 8
    /// Adam learning rate. Default 1e-3 (the paper's 1e-4 learns far too slowly in short runs).
    public var learningRate: Float = 1e-3
    /// Adam β1. Default 0.9.
    public var beta1: Float = 0.9
    /// Adam β2. Default 0.999.
    public var beta2: Float = 0.999
    /// Adam ε. Default 1e-6 (the paper's).
    public var epsilon: Float = 1e-6
    /// L2 weight decay added to the gradient. Default 0; allowed 0...1.
    public var weightDecay: Float = 0
    /// Global gradient-norm clip; 0 disables. Default 2 (the paper's TIMIT value).
    public var clipNorm: Float = 2
    /// Label smoothing ε of the cross-entropy. Default 0; allowed 0...0.5.
    public var labelSmoothing: Float = 0
    /// Standard deviation of Gaussian weight noise added for each batch's forward/backward pass
    /// (the update is applied to the clean weights). Default 0; allowed 0...1.
    public var weightNoise: Float = 0
    /// Updates before weight noise starts. Default 2000.
    public var weightNoiseStart: Int = 2000
    /// Initial weights uniform on ±initScale (all matrices; biases 0). Default 0.075 (the paper's).
    public var initScale: Float = 0.075
    /// Seed of every random choice (initialisation, batches, dropout, noise). Default 1.
    public var seed: UInt64 = 1
    /// Epochs without a better dev PER before stopping; 0 disables early stopping. Default 5.
    public var patience: Int = 5
    /// Halve the learning rate after this many epochs without a better dev PER; 0 disables. Default 0.
    public var halveAfter: Int = 0
    /// Epochs allowed for learning to start: `patience` and `halveAfter` count epochs since the best dev
    /// PER only once it has improved on the first epoch's; until then they count from the end of this
    /// warm-up, so no run stops (or halves its rate) before it has had the chance to learn. After the
    /// warm-up, an epoch whose dev hypotheses are all empty is reported. Default 10; allowed 0...100000.
    public var warmupEpochs: Int = 10
    /// Average the weights of this many best epochs (by dev PER) into the final model, which decoding
    /// then uses; 0 or 1: the single best epoch's weights. Default 0; allowed 0...100.
    public var averageBest: Int = 0
    /// Updates over which the learning rate rises linearly from learningRate/n to learningRate; 0: none.
    /// Default 0; allowed 0...10000000.
    public var learningRateWarmup: Int = 0
    /// Save a resume point every this many batches (and always at the end of an epoch); 0: only at
    /// epoch ends. Default 200.
    public var resumeEvery: Int = 200
    /// Wall-clock budget of training in minutes (updates and dev evaluation, summed over resumed runs);
    /// when it is spent, the epoch in progress ends after its current batch, is evaluated on dev as
    /// usual, and training finishes. 0: no budget. Default 0; allowed 0...1e6. Runs stopped by a budget
    /// depend on the machine's speed, so they are not bit-reproducible.
    public var maxMinutes: Double = 0

    /// Every field at its documented default.
    public init() {}

    /// The defaults, except what is given.
    public init(epochs: Int = 30, batchSize: Int = 8, learningRate: Float = 1e-3, clipNorm: Float = 2,
                labelSmoothing: Float = 0, weightNoise: Float = 0, weightNoiseStart: Int = 2000,
                initScale: Float = 0.075, seed: UInt64 = 1, patience: Int = 5) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.clipNorm = clipNorm
        self.labelSmoothing = labelSmoothing
        self.weightNoise = weightNoise
        self.weightNoiseStart = weightNoiseStart
        self.initScale = initScale
        self.seed = seed
        self.patience = patience
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(OptionError) {
        try require(epochs, in: 1...100_000, "epochs")
        try require(batchSize, in: 1...4096, "batchSize")
        try require(learningRate, in: 1e-8...10, "learningRate")
        try require(beta1, in: 0...0.999_999, "beta1")
        try require(beta2, in: 0...0.999_999_9, "beta2")
        try require(epsilon, in: 1e-12...1, "epsilon")
        try require(weightDecay, in: 0...1, "weightDecay")
        try require(clipNorm, in: 0...1e6, "clipNorm")
        try require(labelSmoothing, in: 0...0.5, "labelSmoothing")
        try require(weightNoise, in: 0...1, "weightNoise")
        try require(weightNoiseStart, in: 0...Int.max, "weightNoiseStart")
        try require(initScale, in: 1e-6...10, "initScale")
        try require(patience, in: 0...100_000, "patience")
        try require(halveAfter, in: 0...100_000, "halveAfter")
        try require(warmupEpochs, in: 0...100_000, "warmupEpochs")
        try require(averageBest, in: 0...100, "averageBest")
        try require(learningRateWarmup, in: 0...10_000_000, "learningRateWarmup")
        try require(resumeEvery, in: 0...Int.max, "resumeEvery")
        try require(maxMinutes, in: 0...1e6, "maxMinutes")
    }
}
