import Foundation
import Models
import NeuralNet
import TensorCore
import Testing
import Training

/// The frame classifier trained by each rule on a synthetic framewise task, and resumed under DFA.
@Suite(.serialized) struct FrameClassifierTrainingTests {
    static let task = SyntheticTask(labelCount: 6, featureSize: 8, labelsPerUtterance: 3...6, framesPerLabel: 3...6, noise: 0.8)
    static let train = Dataset(examples: task.examples(count: 60, seed: 1), featureSize: task.featureSize)
    static let test = Dataset(examples: task.examples(count: 20, seed: 2), featureSize: task.featureSize)

    static func model(_ rule: TrainingRule, angleEvery: Int = 3) throws -> FrameClassifierModel {
        let config = FrameClassifierConfig(inputSize: task.featureSize, labelCount: task.labelCount, context: 1, layers: 2,
                                           hiddenSize: 64, rule: rule, angleEvery: angleEvery)
        return try FrameClassifierModel(config: config, seed: 4, initScale: 0.1)
    }

    /// Test frame accuracy after training, and the training history.
    static func trained(_ rule: TrainingRule) throws -> (accuracy: Double, history: [EpochSummary]) {
        try ComputeThreads.withCount(1) {
            let model = try model(rule)
            let config = TrainingConfig(epochs: 15, batchSize: 6, learningRate: 3e-3, seed: 5, patience: 0)
            let result = try Trainer(model: model, config: config, train: train, dev: Dataset(examples: [], featureSize: task.featureSize))
                .run()
            return (model.frameAccuracy(test.examples), result.history)
        }
    }

    @Test func theDevFrameAccuracyIsLoggedEveryEpoch() throws {
        try ComputeThreads.withCount(1) {
            let model = try Self.model(.backprop)
            let config = TrainingConfig(epochs: 4, batchSize: 6, learningRate: 3e-3, seed: 5, patience: 0)
            let history = try Trainer(model: model, config: config, train: Self.train, dev: Self.test).run().history
            let dev = history.compactMap { $0.statistics?["dev frame accuracy"] }
            #expect(dev.count == 4 && dev.last! > dev.first!, "dev frame accuracy \(dev)")
            // The last epoch's figure is the trained model's frame accuracy on the dev split.
            #expect(dev.last! == model.frameCounts(Self.test.examples).accuracy)
        }
    }

    @Test func everyRuleLearnsToWithinFivePointsOfBackpropAndTheDFAAngleFalls() throws {
        let backprop = try Self.trained(.backprop)
        #expect(backprop.accuracy > 0.9, "backprop frame accuracy \(backprop.accuracy)")
        #expect(backprop.history.allSatisfy { $0.statistics?["angle layer1"] == nil }, "no angles under backprop")
        // The training batches' frame accuracy is logged every epoch and rises.
        let trainAccuracy = backprop.history.compactMap { $0.statistics?["train frame accuracy"] }
        #expect(trainAccuracy.count == backprop.history.count && trainAccuracy.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(trainAccuracy.last! > 0.9 && trainAccuracy.last! > trainAccuracy.first! + 0.2, "train frame accuracy \(trainAccuracy)")
        for rule in [TrainingRule.feedbackAlignment, .dfa, .lafs] {
            let run = try Self.trained(rule)
            #expect(run.accuracy > backprop.accuracy - 0.05, "\(rule): frame accuracy \(run.accuracy) against backprop's \(backprop.accuracy)")
            #expect(run.history.last!.trainLoss < run.history.first!.trainLoss / 2, "\(rule): loss \(run.history.map(\.trainLoss))")
            let angles = run.history.compactMap { $0.statistics?["angle layer1"] }
            #expect(angles.count == run.history.count, "\(rule): angle logged every epoch")
            #expect(run.history.last!.statistics?["angle layer2"] != nil)
            let readout = run.history.compactMap { $0.statistics?["readout angle layer1"] }
            if rule == .lafs {
                // Each layer's readout error stays within 90° of the output error (the LAFS reading of DFA).
                #expect(readout.count == run.history.count && readout.allSatisfy { $0 > 0 && $0 < 90 }, "LAFS readout angles \(readout)")
            } else {
                #expect(readout.isEmpty)
            }
            if rule == .dfa {
                // Near 90° at the start (random feedback), well below it once the forward weights align.
                for layer in ["angle layer1", "angle layer2"] {
                    let perEpoch = run.history.compactMap { $0.statistics?[layer] }
                    #expect(perEpoch.last! < 60 && perEpoch.last! < perEpoch.first! - 20, "DFA \(layer) per epoch: \(perEpoch)")
                }
            }
        }
    }

    @Test func anLSTMClassifierLearnsUnderFADFAAndLAFSWithEitherCredit() throws {
        func trained(_ rule: TrainingRule, _ credit: RecurrentCredit) throws -> (accuracy: Double, history: [EpochSummary]) {
            try ComputeThreads.withCount(1) {
                let config = FrameClassifierConfig(inputSize: Self.task.featureSize, labelCount: Self.task.labelCount, context: 1,
                                                   layers: 2, hiddenSize: 32, layerType: .lstm, credit: credit, rule: rule,
                                                   angleEvery: 3)
                let model = try FrameClassifierModel(config: config, seed: 4, initScale: 0.1)
                let training = TrainingConfig(epochs: 12, batchSize: 6, learningRate: 1e-2, seed: 5, patience: 0)
                let result = try Trainer(model: model, config: training, train: Self.train,
                                         dev: Dataset(examples: [], featureSize: Self.task.featureSize)).run()
                return (model.frameAccuracy(Self.test.examples), result.history)
            }
        }
        let backprop = try trained(.backprop, .throughTime)
        #expect(backprop.accuracy > 0.85, "LSTM backprop frame accuracy \(backprop.accuracy)")
        for (rule, credit) in [(TrainingRule.dfa, RecurrentCredit.throughTime), (.dfa, .instantaneous), (.lafs, .throughTime),
                              (.feedbackAlignment, .throughTime)] {
            let run = try trained(rule, credit)
            #expect(run.accuracy > backprop.accuracy - 0.1, "LSTM \(rule) \(credit): \(run.accuracy) against backprop's \(backprop.accuracy)")
            let angles = run.history.compactMap { $0.statistics?["angle layer1"] }
            #expect(angles.count == run.history.count && angles.allSatisfy { $0 > 0 && $0 < 180 })
        }
    }

    @Test func aKilledDFARunResumesBitIdentically() throws {
        try ComputeThreads.withCount(1) {
            let straightDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString)")
            let resumedDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString)")
            defer {
                try? FileManager.default.removeItem(at: straightDirectory)
                try? FileManager.default.removeItem(at: resumedDirectory)
            }
            var config = TrainingConfig(epochs: 2, batchSize: 6, learningRate: 3e-3, seed: 5, patience: 0)
            config.resumeEvery = 4
            let dev = Dataset(examples: Array(Self.test.examples.prefix(4)), featureSize: Self.task.featureSize)
            let straight = try Self.model(.dfa)
            let straightResult = try Trainer(model: straight, config: config, train: Self.train, dev: dev,
                                             store: CheckpointStore(directory: straightDirectory)).run()
            // Killed after 14 updates (the last resume point is at 12), resumed by a model built afresh.
            try Trainer(model: try Self.model(.dfa), config: config, train: Self.train, dev: dev,
                        store: CheckpointStore(directory: resumedDirectory)).run(stopAfterBatches: 14)
            let resumed = try Self.model(.dfa)
            let resumedResult = try Trainer(model: resumed, config: config, train: Self.train, dev: dev,
                                            store: CheckpointStore(directory: resumedDirectory)).run()
            for (a, b) in zip(straight.stack.feedback, resumed.stack.feedback) { #expect(a.isBitwiseEqual(to: b)) }
            for (a, b) in zip(straight.parameters, resumed.parameters) {
                #expect(a.value.isBitwiseEqual(to: b.value), "\(a.name) differs after resuming")
            }
            // The figures of the interrupted epoch cover only its batches after the resume; the rest agrees.
            #expect(straightResult.history.map(\.trainLoss) == resumedResult.history.map(\.trainLoss))
            #expect(straightResult.history.map(\.devErrorRate) == resumedResult.history.map(\.devErrorRate))
            #expect(straightResult.history.first!.statistics == resumedResult.history.first!.statistics)
        }
    }
}
