import Testing
import TensorCore
@testable import Seq2Seq

/// A small monotonic model learns the synthetic aligned task from scratch.
@Suite(.serialized) struct SyntheticTrainingTests {
    static func smallModel(kind: AttentionKind = .monotonic, task: SyntheticTask) throws -> Seq2SeqModel {
        let config = ModelConfig(
            encoder: EncoderConfig(inputSize: task.featureSize, layers: 2, hiddenSize: 64, subsampleAfter: [0]),
            decoder: DecoderConfig(labelCount: task.labelCount, hiddenSize: 64, embeddingSize: 8),
            attention: AttentionConfig(kind: kind, dim: 32, initialOffset: -1, noiseStd: 1, runOff: .stayOnLast))
        return try Seq2SeqModel(config: config, seed: 3, initScale: 0.2)
    }

    @Test func monotonicModelLearnsTheAlignedTask() throws {
        ComputeThreads.configure(1)
        let task = SyntheticTask()
        let train = Dataset(examples: task.examples(count: 600, seed: 10), featureSize: task.featureSize)
        let test = Dataset(examples: task.examples(count: 40, seed: 20), featureSize: task.featureSize)
        let model = try Self.smallModel(task: task)
        let config = TrainingConfig(epochs: 60, batchSize: 8, learningRate: 1e-2, clipNorm: 2, seed: 5, patience: 0)
        let trainer = try Trainer(model: model, config: config, train: train, dev: test)
        let result = try trainer.run()
        let recognizer = Recognizer(model: model)
        let error = recognizer.errorRate(test.examples)
        #expect(error < 0.05, "test error \(error), dev history \(result.history.map(\.devErrorRate))")
        // The hard alignment is monotonic and every label is emitted on an encoder state.
        for hypothesis in recognizer.decode(Array(test.examples.prefix(10))) {
            let frames = hypothesis.frames.compactMap { $0 }
            #expect(frames.count == hypothesis.labels.count)
            #expect(frames == frames.sorted())
        }
    }
}
