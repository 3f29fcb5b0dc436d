import Foundation
import NeuralNet
import Options
import Randomness
import Testing
import TensorCore
import Testing
@testable import Models
import Training

@Suite(.serialized) struct TrainerTests {
    static let task = SyntheticTask(labelCount: 5, featureSize: 6, labelsPerUtterance: 2...4, framesPerLabel: 3...5)

    static func model(_ kind: AttentionKind = .monotonic) throws -> AttentionModel {
        let config = AttentionModelConfig(
            encoder: EncoderConfig(inputSize: task.featureSize, layers: 2, hiddenSize: 12, subsampleAfter: [0], dropout: 0.2),
            decoder: DecoderConfig(labelCount: task.labelCount, hiddenSize: 12, embeddingSize: 4, dropout: 0.1),
            attention: AttentionConfig(kind: kind, dim: 10))
        return try AttentionModel(config: config, seed: 4, initScale: 0.2)
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("trainer-tests-\(UUID().uuidString)")
    }

    static let train = Dataset(examples: task.examples(count: 40, seed: 1), featureSize: task.featureSize)
    static let dev = Dataset(examples: task.examples(count: 6, seed: 2), featureSize: task.featureSize)
    static let config: TrainingConfig = {
        var c = TrainingConfig(epochs: 3, batchSize: 4, learningRate: 5e-3, labelSmoothing: 0.1, weightNoise: 0.01,
                               weightNoiseStart: 5, seed: 9, patience: 0)
        c.resumeEvery = 3
        return c
    }()

    @Test func resumingAfterAKillEqualsAnUninterruptedRun() throws {
        try ComputeThreads.withCount(1) {
            let straightDirectory = Self.temporaryDirectory(), resumedDirectory = Self.temporaryDirectory()
            defer {
                try? FileManager.default.removeItem(at: straightDirectory)
                try? FileManager.default.removeItem(at: resumedDirectory)
            }
            let straight = try Self.model()
            let straightResult = try Trainer(model: straight, config: Self.config, train: Self.train, dev: Self.dev,
                                             store: CheckpointStore(directory: straightDirectory)).run()

            // Killed after 13 updates: the last resume point is at update 12 (saved every 3).
            let first = try Self.model()
            try Trainer(model: first, config: Self.config, train: Self.train, dev: Self.dev,
                        store: CheckpointStore(directory: resumedDirectory)).run(stopAfterBatches: 13)
            let resumed = try Self.model()
            var events: [TrainingEvent] = []
            let resumedResult = try Trainer(model: resumed, config: Self.config, train: Self.train, dev: Self.dev,
                                            store: CheckpointStore(directory: resumedDirectory)).run { events.append($0) }
            if case .resumed(let epoch, let batch)? = events.first {
                #expect(epoch == 2 && batch == 2, "10 batches per epoch: update 12 is epoch 2, batch 2")
            } else {
                Issue.record("no resumed event")
            }
            for (a, b) in zip(straight.parameters, resumed.parameters) {
                #expect(a.value.isBitwiseEqual(to: b.value), "\(a.name) differs after resuming")
            }
            #expect(straightResult.history == resumedResult.history)
            #expect(straightResult.history.count == 3)
        }
    }

    @Test func bestCheckpointLoadsAndDecodesTheSame() throws {
        try ComputeThreads.withCount(1) {
            let directory = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let model = try Self.model(.mocha)
            let store = try CheckpointStore(directory: directory)
            try store.saveBest(model, epoch: 3, devErrorRate: 0.25)
            let (loaded, info) = try CheckpointStore.loadModel(from: directory)
            #expect(info.epoch == 3 && info.devErrorRate == 0.25 && info.model == model.config)
            for (a, b) in zip(model.parameters, loaded.parameters) { #expect(a.value.isBitwiseEqual(to: b.value)) }
            let a = Recognizer(model: model).decode(Self.dev.examples)
            let b = Recognizer(model: loaded).decode(Self.dev.examples)
            #expect(a == b)

            // A truncated weights file is an error naming the file.
            let weights = store.bestFolder.appendingPathComponent("weights.safetensors")
            let data = try Data(contentsOf: weights)
            try data.prefix(data.count - 10).write(to: weights)
            #expect(throws: CheckpointError.self) { try CheckpointStore.loadModel(from: directory) }
        }
    }

    @Test(arguments: AttentionKind.allCases)
    func emptyInputDecodesToAtMostOneLabel(kind: AttentionKind) throws {
        let hypothesis = Recognizer(model: try Self.model(kind)).decode(features: [], frames: 0)
        #expect(hypothesis.labels.count <= 1)
        #expect(hypothesis.frames.allSatisfy { $0 == nil })
    }

    @Test func nonFiniteLossNamesTheBatch() throws {
        try ComputeThreads.withCount(1) {
            let model = try Self.model()
            model.registry["decoder.output.bias"]!.value = Tensor(shape: [Self.task.labelCount + 1], repeating: .nan)
            let trainer = try Trainer(model: model, config: Self.config, train: Self.train, dev: Self.dev)
            do {
                try trainer.run()
                Issue.record("training with NaN weights did not fail")
            } catch let error as TrainingError {
                guard case .nonFiniteLoss(_, _, let utterances, _) = error else { Issue.record("wrong error \(error)"); return }
                #expect(utterances.count == 4)
                for id in utterances { #expect(error.description.contains(id)) }
                #expect(Set(utterances).isSubset(of: Set(Self.train.examples.map(\.id))))
            }
        }
    }

    @Test func earlyStoppingAndTheAugmentationHook() throws {
        try ComputeThreads.withCount(1) {
            final class Counter: @unchecked Sendable { var calls = 0 }
            let counter = Counter()
            var config = Self.config
            config.epochs = 10
            config.patience = 1
            config.warmupEpochs = 0     // patience counts from the first epoch
            config.learningRate = 1e-8   // nothing improves after the first epoch
            let trainer = try Trainer(model: try Self.model(), config: config, train: Self.train, dev: Self.dev) { example, rng in
                counter.calls += 1
                example.features = example.features.map { $0 + 0.01 * rng.nextNormal() }
            }
            let result = try trainer.run()
            #expect(result.history.count == 2)
            #expect(result.stoppedEarly)
            #expect(result.bestEpoch == 1)
            #expect(counter.calls == 2 * Self.train.examples.count)
        }
    }

    @Test func aSpentTimeBudgetEndsTheEpochInProgressAndTraining() throws {
        try ComputeThreads.withCount(1) {
            var config = Self.config
            config.epochs = 5
            config.maxMinutes = 1e-9   // spent by the first update
            let directory = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let trainer = try Trainer(model: try Self.model(), config: config, train: Self.train, dev: Self.dev,
                                      store: CheckpointStore(directory: directory))
            var updates = 0
            let result = try trainer.run { if case .batch = $0 { updates += 1 } }
            #expect(updates == 1 && result.history.count == 1)
            #expect(result.stoppedEarly && result.budgetSpent && trainer.position.finished)
            #expect((trainer.position.elapsedSeconds ?? 0) > 0)
            // The best model of that short epoch was saved, and a resumed run does not train further.
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("best").path))
            let resumed = try Trainer(model: try Self.model(), config: config, train: Self.train, dev: Self.dev,
                                      store: CheckpointStore(directory: directory))
            #expect(try resumed.run().history.count == 1)
        }
    }

    @Test func optionsDecodeWithDefaultsForMissingFields() throws {
        let json = #"{"encoder": {"hiddenSize": 128}, "attention": {"kind": "mocha", "chunkWidth": 4}}"#
        // A configuration without `kind` (checkpoints written before families had names) is an attention model.
        let model = try OptionsJSON.decode(ModelConfig.self, from: Data(json.utf8))
        #expect(model == ModelConfig(AttentionModelConfig(encoder: EncoderConfig(hiddenSize: 128),
                                                         attention: AttentionConfig(kind: .mocha, chunkWidth: 4))))
        #expect(try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)) == model)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any]
        #expect(encoded?["kind"] as? String == "attention")
        #expect(encoded?["encoder"] != nil)
        #expect(try JSONDecoder().decode(ModelConfig.self, from: JSONEncoder().encode(model)) == model)
        let training = try OptionsJSON.decode(TrainingConfig.self, from: Data(#"{"epochs": 7}"#.utf8))
        #expect(training == TrainingConfig(epochs: 7))
        var full = TrainingConfig(learningRate: 3e-4, seed: 11)
        full.halveAfter = 2
        #expect(try OptionsJSON.decode(TrainingConfig.self, from: JSONEncoder().encode(full)) == full)
        #expect(try OptionsJSON.decode(DecodingConfig.self, from: Data("{}".utf8)) == DecodingConfig())
    }

    @Test func invalidOptionsNameTheField() {
        var config = TrainingConfig()
        config.batchSize = 0
        #expect(throws: OptionError("batchSize", value: 0, allowed: "1...4096")) { try config.validate() }
        var encoder = EncoderConfig()
        encoder.subsampleAfter = [3]
        do { try encoder.validate(); Issue.record("accepted a subsampling layer past the stack") } catch {
            #expect("\(error)".contains("encoder.subsampleAfter"))
        }
    }

    @Test func batchesCoverEveryExampleOnceAndGroupSimilarLengths() {
        var rng = Xoshiro256StarStar(seed: 1)
        let data = Dataset(examples: Self.task.examples(count: 37, seed: 3), featureSize: Self.task.featureSize)
        let batches = data.batches(batchSize: 8, rng: &rng)
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<37))
        #expect(batches.allSatisfy { $0.count <= 8 })
        // Sorted by length before cutting: the batches' length ranges do not interleave.
        let ranges = batches.map { b in (b.map { data.examples[$0].frames }.min()!, b.map { data.examples[$0].frames }.max()!) }
            .sorted { $0.0 < $1.0 }
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.1 <= b.0) }
    }

    @Test func editDistanceCountsEdits() {
        #expect(editDistance([1, 2, 3], [1, 2, 3]) == 0)
        #expect(editDistance([], [4, 5]) == 2)
        #expect(editDistance([1, 2, 3], []) == 3)
        #expect(editDistance([1, 2, 3, 4], [1, 3, 4, 5]) == 2)
        #expect(editDistance([7, 7], [7]) == 1)
    }
}
