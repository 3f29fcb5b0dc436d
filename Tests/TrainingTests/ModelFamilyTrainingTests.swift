import Foundation
import Testing
import TensorCore
import Models
import Training

/// Every model family through the generic path only: built from its `ModelConfig`, trained by the
/// `Trainer`, saved and loaded back by kind, decoded offline and online through the protocol.
@Suite(.serialized) struct ModelFamilyTrainingTests {
    static let task = SyntheticTask(labelCount: 4, featureSize: 5, labelsPerUtterance: 2...3, framesPerLabel: 3...5)

    /// A small configuration of each family (a new family must add its case here to be tested).
    static func smallConfig(_ kind: ModelKind) -> ModelConfig {
        switch kind {
        case .attention:
            ModelConfig(AttentionModelConfig(encoder: EncoderConfig(layers: 1, hiddenSize: 10, subsampleAfter: [0]),
                                             decoder: DecoderConfig(hiddenSize: 10, embeddingSize: 4),
                                             attention: AttentionConfig(kind: .monotonic, dim: 8)))
        case .ctc:
            ModelConfig(CTCModelConfig(encoder: EncoderConfig(layers: 1, hiddenSize: 10, subsampleAfter: [0])))
        case .subsampling:
            ModelConfig(SubsamplingModelConfig(encoder: EncoderConfig(layers: 1, hiddenSize: 10, subsampleAfter: [0]),
                                               output: SubsamplingOutputConfig(hiddenSize: 8)))
        case .hardAlignment:
            ModelConfig(HardAlignmentConfig(encoder: EncoderConfig(layers: 1, hiddenSize: 10, subsampleAfter: [0]), layers: 1,
                                            hiddenSize: 10, embeddingSize: 4, estimator: .vimco, baseline: .temporalLoo, samples: 3,
                                            inference: InferenceNetworkConfig(inputLayers: 1, inputHiddenSize: 6, targetHiddenSize: 6,
                                                                              embeddingSize: 4, decisionLayers: 1, decisionHiddenSize: 6)))
        case .frameClassifier:
            ModelConfig(FrameClassifierConfig(context: 1, layers: 2, hiddenSize: 12, rule: .dfa, angleEvery: 2))
        }
    }

    @Test(arguments: ModelKind.allCases)
    func trainsSavesLoadsAndDecodesThroughTheProtocol(kind: ModelKind) throws {
        try ComputeThreads.withCount(1) {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("family-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = Self.smallConfig(kind).fitted(inputSize: Self.task.featureSize, labelCount: Self.task.labelCount)
            let model = try config.makeModel(seed: 3, initScale: 0.2)
            #expect(model.config == config && model.config.kind == kind)
            let train = Dataset(examples: Self.task.examples(count: 24, seed: 1), featureSize: Self.task.featureSize)
            let dev = Dataset(examples: Self.task.examples(count: 4, seed: 2), featureSize: Self.task.featureSize)
            let result = try Trainer(model: model, config: TrainingConfig(epochs: 3, batchSize: 4, learningRate: 1e-2, seed: 2),
                                     train: train, dev: dev, store: CheckpointStore(directory: directory)).run()
            #expect(result.history.count == 3)
            #expect(result.history.last!.trainLoss < result.history.first!.trainLoss)

            let (loaded, info) = try CheckpointStore.loadModel(from: directory)
            #expect(info.model == config && type(of: loaded) == type(of: model))
            let best = Recognizer(model: loaded).decode(dev.examples)
            #expect(best.count == dev.examples.count)

            // Online decoding of a model that can stream equals offline greedy decoding.
            guard let online = try? loaded.makeOnlineDecoder(search: DecodingConfig()) else { return }
            let example = dev.examples[0]
            let frames = example.features.count / Self.task.featureSize
            var emitted: [Emission] = []
            for start in stride(from: 0, to: frames, by: 3) {
                let end = min(start + 3, frames)
                emitted += online.push(Array(example.features[(start * Self.task.featureSize)..<(end * Self.task.featureSize)]))
            }
            emitted += online.finish()
            #expect(emitted.map(\.label) == best[0].labels)
            #expect(emitted.map(\.state) == best[0].frames)
        }
    }

    @Test func aCheckpointWithoutAKindLoadsAsAnAttentionModel() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("family-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = Self.smallConfig(.attention).fitted(inputSize: Self.task.featureSize, labelCount: Self.task.labelCount)
        let model = try config.makeModel(seed: 5, initScale: 0.2)
        let store = try CheckpointStore(directory: directory)
        try store.saveBest(model, epoch: 1)
        // The configuration as checkpoints wrote it before families had names: no "kind".
        let file = store.bestFolder.appendingPathComponent("config.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var fields = try #require(json["model"] as? [String: Any])
        #expect(fields.removeValue(forKey: "kind") as? String == "attention")
        json["model"] = fields
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let (loaded, info) = try CheckpointStore.loadModel(from: directory)
        #expect(info.model == config)
        #expect(loaded is AttentionModel)
        for (a, b) in zip(model.parameters, loaded.parameters) { #expect(a.value.isBitwiseEqual(to: b.value)) }

        // An unknown family is an error naming the file.
        fields["kind"] = "transformer"
        json["model"] = fields
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        do {
            _ = try CheckpointStore.loadModel(from: directory)
            Issue.record("an unknown family loaded")
        } catch {
            #expect("\(error)".contains("config.json") && "\(error)".contains("model.kind: unknown model family 'transformer'"), "\(error)")
        }
    }

    @Test func twoIdenticalRunsWriteIdenticalResumePoints() throws {
        try ComputeThreads.withCount(1) {
            let train = Dataset(examples: Self.task.examples(count: 8, seed: 4), featureSize: Self.task.featureSize)
            var files: [Data] = []
            for _ in 0..<2 {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("family-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: directory) }
                let config = Self.smallConfig(.attention).fitted(inputSize: Self.task.featureSize, labelCount: Self.task.labelCount)
                let store = try CheckpointStore(directory: directory)
                try Trainer(model: try config.makeModel(seed: 6, initScale: 0.2), config: TrainingConfig(epochs: 1, batchSize: 4, seed: 3),
                            train: train, dev: train, store: store).run()
                files.append(try Data(contentsOf: store.lastFolder.appendingPathComponent("optimizer.safetensors")))
            }
            #expect(files[0] == files[1])
        }
    }
}
