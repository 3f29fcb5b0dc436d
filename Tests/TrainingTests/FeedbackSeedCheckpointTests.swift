import Foundation
import Models
import NeuralNet
import Randomness
import TensorCore
import Testing
import Training

/// The feedback matrices come from `feedback.seed` in the saved model configuration: a loaded checkpoint,
/// a resume under another training seed and an old configuration without the field rebuild them.
@Suite(.serialized) struct FeedbackSeedCheckpointTests {
    static let task = SyntheticTask(labelCount: 4, featureSize: 5, labelsPerUtterance: 2...3, framesPerLabel: 2...3, noise: 0.5)

    static func config(_ rule: TrainingRule, seed: UInt64 = 1) -> FrameClassifierConfig {
        FrameClassifierConfig(inputSize: task.featureSize, labelCount: task.labelCount, context: 1, layers: 2, hiddenSize: 12,
                              rule: rule, feedback: FeedbackOptions(seed: seed), angleEvery: 0)
    }

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("feedback-seed-\(UUID().uuidString)")
    }

    static func sameFeedback(_ a: FrameClassifierModel, _ b: FrameClassifierModel) -> Bool {
        a.stack.feedback.count == b.stack.feedback.count
            && zip(a.stack.feedback, b.stack.feedback).allSatisfy { $0.isBitwiseEqual(to: $1) }
    }

    @Test(arguments: [TrainingRule.feedbackAlignment, .dfa, .lafs])
    func aLoadedCheckpointRebuildsTheSameFeedbackMatrices(rule: TrainingRule) throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try FrameClassifierModel(config: Self.config(rule, seed: 77), seed: 4)
        let store = try CheckpointStore(directory: directory)
        try store.saveBest(saved)
        let (loaded, info) = try CheckpointStore.loadModel(from: directory)   // built with seed 1
        let model = try #require(loaded as? FrameClassifierModel)
        #expect(info.model.family(as: FrameClassifierConfig.self)?.feedback.seed == 77)
        #expect(!model.stack.feedback.isEmpty)
        #expect(Self.sameFeedback(model, saved))
        #expect(!Self.sameFeedback(model, try FrameClassifierModel(config: Self.config(rule, seed: 78), seed: 4)))
    }

    @Test func theModelSeedDoesNotChangeTheFeedbackMatrices() throws {
        let a = try FrameClassifierModel(config: Self.config(.dfa), seed: 4)
        let b = try FrameClassifierModel(config: Self.config(.dfa), seed: 9)
        #expect(Self.sameFeedback(a, b))
        #expect(!a.parameters[0].value.isBitwiseEqual(to: b.parameters[0].value))   // the weights do follow it
    }

    @Test func aRunResumedUnderAnotherTrainingSeedKeepsItsFeedbackMatrices() throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let train = Dataset(examples: Self.task.examples(count: 12, seed: 1), featureSize: Self.task.featureSize)
        let dev = Dataset(examples: [], featureSize: Self.task.featureSize)
        var first = TrainingConfig(epochs: 1, batchSize: 3, learningRate: 1e-2, seed: 5, patience: 0)
        first.resumeEvery = 2
        let original = try FrameClassifierModel(config: Self.config(.dfa), seed: 5)
        try Trainer(model: original, config: first, train: train, dev: dev, store: CheckpointStore(directory: directory))
            .run(stopAfterBatches: 2)
        var second = first
        second.seed = 6
        let resumed = try FrameClassifierModel(config: Self.config(.dfa), seed: 6)
        let trainer = try Trainer(model: resumed, config: second, train: train, dev: dev,
                                  store: CheckpointStore(directory: directory))
        #expect(trainer.position.step == 2)   // the resume point was accepted
        #expect(Self.sameFeedback(resumed, original))
        for (a, b) in zip(original.parameters, resumed.parameters) { #expect(a.value.isBitwiseEqual(to: b.value)) }
    }

    @Test func aConfigurationWithoutTheSeedReadsAsSeedOneAndDrawsTheOldMatrices() throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CheckpointStore(directory: directory)
        try store.saveBest(try FrameClassifierModel(config: Self.config(.dfa, seed: 9), seed: 1))
        // Remove `feedback.seed` from config.json, as a checkpoint written before the field existed has it.
        let file = store.bestFolder.appendingPathComponent(Checkpoint.configFile)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var model = try #require(json["model"] as? [String: Any])
        var feedback = try #require(model["feedback"] as? [String: Any])
        #expect(feedback.removeValue(forKey: "seed") != nil)
        model["feedback"] = feedback
        json["model"] = model
        try JSONSerialization.data(withJSONObject: json).write(to: file)

        let loaded = try #require(try CheckpointStore.loadModel(from: directory).model as? FrameClassifierModel)
        #expect(loaded.shape.feedback.seed == 1)
        // What such a model drew: the stack's generator seeded by the run's default seed 1 xor the constant.
        var rng = Xoshiro256StarStar(seed: 1)
        let old = try FeedForwardStack(ParameterRegistry(), name: "classifier", inputs: loaded.shape.splicedSize,
                                       hiddenSizes: [12, 12], outputs: Self.task.labelCount, activation: .tanh, rule: .dfa,
                                       feedback: FeedbackOptions(), feedbackSeed: 1 ^ 0xFEED_BAC4_0000_0001, rng: &rng)
        #expect(zip(loaded.stack.feedback, old.feedback).allSatisfy { $0.isBitwiseEqual(to: $1) })
    }
}
