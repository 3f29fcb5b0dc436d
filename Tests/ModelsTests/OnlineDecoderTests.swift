import Randomness
import Testing
import TensorCore
@testable import Models
import Training

/// Online decoding over chunks of frames equals offline greedy decoding.
@Suite(.serialized) struct OnlineDecoderTests {
    static let task = SyntheticTask(labelsPerUtterance: 4...9)

    /// A briefly trained model, so that its decisions are not near ties.
    static func trainedModel(_ kind: AttentionKind, runOff: RunOffRule) throws -> AttentionModel {
        return try ComputeThreads.withCount(1) {
            let config = AttentionModelConfig(
                encoder: EncoderConfig(inputSize: task.featureSize, layers: 3, hiddenSize: 32,
                                       subsampleAfter: runOff == .stayOnLast ? [0, 1] : [0]),
                decoder: DecoderConfig(labelCount: task.labelCount, hiddenSize: 32, embeddingSize: 8),
                attention: AttentionConfig(kind: kind, dim: 24, runOff: runOff, chunkWidth: 3))
            let model = try AttentionModel(config: config, seed: 7, initScale: 0.2)
            let train = Dataset(examples: task.examples(count: 300, seed: 31), featureSize: task.featureSize)
            let trainer = try Trainer(model: model, config: TrainingConfig(epochs: 8, learningRate: 1e-2, seed: 2, patience: 0),
                                      train: train, dev: Dataset(examples: [], featureSize: task.featureSize))
            try trainer.run()
            return model
        }
    }

    /// Greedy (width 1) and beam search (`AttentionOnlineBeamDecoder`, with and without length normalisation).
    @Test(arguments: [(AttentionKind.monotonic, RunOffRule.zeros, 1, true), (.monotonic, .stayOnLast, 1, true),
                      (.mocha, .zeros, 1, true), (.softmax, .zeros, 1, true), (.monotonic, .zeros, 3, true),
                      (.monotonic, .stayOnLast, 4, false), (.mocha, .zeros, 3, true), (.softmax, .zeros, 3, true)])
    func onlineEqualsOffline(kind: AttentionKind, runOff: RunOffRule, width: Int, normalized: Bool) throws {
        let model = try Self.trainedModel(kind, runOff: runOff)
        let search = DecodingConfig(beamWidth: width, lengthNormalization: normalized)
        let offline = Recognizer(model: model, config: search)
        var rng = SplitMix64(seed: 77)
        var emittedBeforeEnd = 0, emittedTotal = 0
        for example in Self.task.examples(count: 12, seed: 55) {
            let expected = offline.decode(features: example.features, frames: example.frames)
            let online = try model.makeOnlineDecoder(search: search)
            #expect(width == 1 ? online is AttentionOnlineDecoder : online is AttentionOnlineBeamDecoder)
            var start = 0
            var emissions: [Emission] = []
            while start < example.frames {
                let n = min(Int.random(in: 1...9, using: &rng), example.frames - start)
                let chunk = Array(example.features[(start * Self.task.featureSize)..<((start + n) * Self.task.featureSize)])
                emissions += online.push(chunk)
                start += n
            }
            emittedBeforeEnd += emissions.count
            emissions += online.finish()
            emittedTotal += emissions.count
            #expect(online.isFinished)
            #expect(emissions.map(\.label) == expected.labels, "\(kind) \(runOff) \(example.id)")
            #expect(emissions.map(\.state) == expected.frames, "\(kind) \(runOff) \(example.id)")
            #expect(emissions == online.emissions)
        }
        #expect(emittedTotal > 12, "the comparison must cover real output")
        if kind == .softmax {
            #expect(emittedBeforeEnd == 0)
        } else if width == 1 {
            // A beam step waits until every hypothesis has found its stop, which for one that runs off
            // can be the end of the input: only greedy decoding is sure to emit early.
            #expect(emittedBeforeEnd > 0, "monotonic attention emits while the input arrives")
        }
    }

    @Test func decodingManyUtterancesOnTwoThreadsEqualsOneThread() throws {
        let model = try Self.trainedModel(.monotonic, runOff: .zeros)
        let examples = Self.task.examples(count: 9, seed: 56)
        let one = ComputeThreads.withCount(1) { Recognizer(model: model).decode(examples) }
        let two = ComputeThreads.withCount(2) { Recognizer(model: model).decode(examples) }
        #expect(one == two)
        #expect(one.map { $0.labels.count }.reduce(0, +) > 9)
    }

    @Test func bidirectionalModelsCannotStream() throws {
        let config = AttentionModelConfig(encoder: EncoderConfig(inputSize: 4, layers: 1, hiddenSize: 4, bidirectional: true, subsampleAfter: []),
                                 decoder: DecoderConfig(labelCount: 3, hiddenSize: 4, embeddingSize: 2),
                                 attention: AttentionConfig(dim: 4))
        #expect(throws: OnlineDecodingError.bidirectionalEncoder) { try AttentionOnlineDecoder(model: try AttentionModel(config: config)) }
    }
}
