import Randomness
import Testing
import TensorCore
@testable import Models

/// End-to-end gradient of the model's loss through the tape (encoder, subsampling, decoder op,
/// output layer, cross-entropy) against finite differences.
@Suite struct ModelGradientTests {
    @Test(arguments: AttentionKind.allCases)
    func lossGradientMatchesFiniteDifferences(kind: AttentionKind) throws {
        let task = SyntheticTask(labelCount: 3, featureSize: 3, labelsPerUtterance: 2...3, framesPerLabel: 2...3)
        let config = AttentionModelConfig(
            encoder: EncoderConfig(inputSize: 3, layers: 2, hiddenSize: 4, bidirectional: kind == .softmax, subsampleAfter: [0]),
            decoder: DecoderConfig(labelCount: 3, hiddenSize: 4, embeddingSize: 2),
            attention: AttentionConfig(kind: kind, dim: 5, initialOffset: 0.5, runOff: kind == .mocha ? .zeros : .stayOnLast))
        let model = try AttentionModel(config: config, seed: 2, initScale: 0.5)
        let batch = task.examples(count: 2, seed: 8)
        let result = GradientCheck.run(parameters: model.parameters, epsilon: 4e-3) { tape in
            var rng = Xoshiro256StarStar(seed: 1)
            return model.loss(batch, on: tape, training: false, labelSmoothing: 0.1, rng: &rng)
        }
        #expect(result.maxRelativeError < 2e-2, "\(kind): \(result)")
    }

    /// The subsampling family: encoder, emission probabilities, the expected-subsampling table, the
    /// output LSTM and the length penalty.
    @Test(arguments: [0, 3])
    func subsamplingLossGradientMatchesFiniteDifferences(outputHiddenSize: Int) throws {
        let task = SyntheticTask(labelCount: 3, featureSize: 3, labelsPerUtterance: 2...3, framesPerLabel: 2...3)
        let config = SubsamplingModelConfig(
            encoder: EncoderConfig(inputSize: 3, layers: 2, hiddenSize: 4, subsampleAfter: [0]),
            emission: EmissionConfig(noiseStd: 0, initialBias: 0.3, lengthPenalty: 0.5),
            output: SubsamplingOutputConfig(labelCount: 3, hiddenSize: outputHiddenSize))
        let model = try SubsamplingModel(config: config, seed: 2, initScale: 0.5)
        let batch = task.examples(count: 2, seed: 8)
        let result = GradientCheck.run(parameters: model.parameters, epsilon: 4e-3) { tape in
            var rng = Xoshiro256StarStar(seed: 1)
            return model.loss(batch, on: tape, training: false, labelSmoothing: 0.1, rng: &rng)
        }
        #expect(result.maxRelativeError < 2e-2, "output LSTM \(outputHiddenSize): \(result)")
    }
}
