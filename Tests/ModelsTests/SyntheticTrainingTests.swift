import Testing
import TensorCore
@testable import Models
import Training

/// A small monotonic model learns the synthetic aligned task from scratch.
@Suite(.serialized) struct SyntheticTrainingTests {
    static func smallModel(kind: AttentionKind = .monotonic, task: SyntheticTask) throws -> AttentionModel {
        let config = AttentionModelConfig(
            encoder: EncoderConfig(inputSize: task.featureSize, layers: 2, hiddenSize: 64, subsampleAfter: [0]),
            decoder: DecoderConfig(labelCount: task.labelCount, hiddenSize: 64, embeddingSize: 8),
            attention: AttentionConfig(kind: kind, dim: 32, initialOffset: -1, noiseStd: 1, runOff: .stayOnLast))
        return try AttentionModel(config: config, seed: 3, initScale: 0.2)
    }

    @Test func monotonicModelLearnsTheAlignedTask() throws {
        try ComputeThreads.withCount(1) {
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
            // Beam search: width 1 is greedy; wider beams score their output consistently and stay accurate.
            let snapshot = model.decoderSnapshot()
            let decoder = AttentionDecoder(encoder: model.encoder, snapshot: snapshot, search: DecodingConfig())
            let beam = Recognizer(model: model, config: DecodingConfig(beamWidth: 4, lengthNormalization: false))
            #expect(beam.errorRate(test.examples) < 0.05)
            for example in test.examples.prefix(5) {
                let memory = decoder.memory(features: example.features, frames: example.frames)
                #expect(snapshot.beamSearch(memory, config: DecodingConfig(beamWidth: 1)) == snapshot.greedy(memory))
                let search = DecodingConfig(beamWidth: 4, lengthNormalization: false)
                let best = snapshot.beamSearch(memory, config: search)
                #expect(best.logProbability >= snapshot.greedy(memory).logProbability - 1e-4)
                // The n-best list (length-normalised, so the search runs until every hypothesis has ended) starts
                // with the result, holds distinct strings ranked by log p / (labels + 1), and each log p is the
                // string's own score under teacher forcing.
                let normalised = DecodingConfig(beamWidth: 4, lengthNormalization: true)
                let list = snapshot.nbest(memory, config: normalised, count: 6)
                #expect(list.first == snapshot.beamSearch(memory, config: normalised) && list.count > 1)
                let rank = { (h: Hypothesis) in h.logProbability / Float(h.labels.count + 1) }
                #expect(zip(list, list.dropFirst()).allSatisfy { rank($0) >= rank($1) })
                #expect(Set(list.map(\.labels)).count == list.count)
                for hypothesis in list {
                    var state = snapshot.initialState(), label = task.labelCount + 1, score: Float = 0
                    for next in hypothesis.labels + [task.labelCount] {
                        var pending = snapshot.prepare(state, label: label)
                        let out = try #require(snapshot.attend(&pending, memory: memory))
                        score += out.logProbabilities[next]
                        state = out.state
                        label = next
                    }
                    #expect(abs(score - hypothesis.logProbability) < 1e-3)
                }
            }
            // The training-time expected alignment is near one-hot and moves forward.
            for example in test.examples.prefix(5) {
                let rows = model.attentionWeights(for: example)
                #expect(rows.count == example.labels.count + 1)
                let peaks = rows.dropLast().map { row in row.indices.max { row[$0] < row[$1] }! }
                #expect(peaks == peaks.sorted())
                #expect(rows.allSatisfy { $0.reduce(0, +) <= 1.0001 })
            }
        }
    }
}
