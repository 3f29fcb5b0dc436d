import Randomness
import Testing
import TensorCore
import Training
@testable import Models

/// Each estimator learns, from scratch, a toy task with a known monotonic alignment (`SyntheticTask`:
/// every label held for a few frames): greedy decoding of held-out utterances gets the labels right,
/// mostly while reading the input rather than at its end.
@Suite(.serialized) struct HardAlignmentToyTaskTests {
    static let task = SyntheticTask(labelCount: 4, featureSize: 5, labelsPerUtterance: 5...8, framesPerLabel: 2...4, noise: 0.3)

    static func config(_ estimator: HardAlignmentEstimator, _ baseline: HardAlignmentBaseline) -> HardAlignmentConfig {
        HardAlignmentConfig(inputSize: task.featureSize, labelCount: task.labelCount, layers: 1, hiddenSize: 24, embeddingSize: 6,
                            estimator: estimator, baseline: baseline, samples: 4,
                            inference: InferenceNetworkConfig(inputLayers: 1, inputHiddenSize: 12, targetHiddenSize: 12,
                                                              embeddingSize: 6, decisionLayers: 1, decisionHiddenSize: 16))
    }

    /// Dev PER bounds: REINFORCE reaches 1.2%, VIMCO 9.2%, NVIL (whose p only imitates q's samples; the
    /// paper's weakest estimator too) 16%. Utterances of 5 to 8 labels, so that deferring every phone to
    /// the end of input (and remembering them) is not an easy way out.
    @Test(arguments: [(HardAlignmentEstimator.reinforce, HardAlignmentBaseline.temporalLoo, 0.15), (.nvil, .temporalLoo, 0.3),
                      (.vimco, .temporalLoo, 0.15)])
    func learnsAMonotonicAlignmentFromScratch(estimator: HardAlignmentEstimator, baseline: HardAlignmentBaseline, bound: Double) throws {
        let model = try HardAlignmentModel(config: Self.config(estimator, baseline), seed: 3, initScale: 0.3)
        let train = Dataset(examples: Self.task.examples(count: 96, seed: 1), featureSize: Self.task.featureSize)
        let dev = Dataset(examples: Self.task.examples(count: 24, seed: 2), featureSize: Self.task.featureSize)
        let config = TrainingConfig(epochs: 60, batchSize: 8, learningRate: 1e-2, seed: 2, patience: 0)
        let trainer = try Trainer(model: model, config: config,
                                  train: train, dev: dev)
        let result = try trainer.run()
        let error = Recognizer(model: model).errorRate(dev.examples)
        #expect(error < bound, "\(estimator)+\(baseline): dev PER \(error), history \(result.history.map(\.devErrorRate))")
        #expect(result.history.last!.trainLoss < result.history.first!.trainLoss / 2)
        // Online: most phones are emitted while their frames are read, not deferred to the end of input.
        let hypotheses = Recognizer(model: model).decode(dev.examples)
        let emitted = hypotheses.flatMap(\.frames).count
        let beforeEnd = zip(hypotheses, dev.examples).reduce(0) { n, pair in
            n + pair.0.frames.filter { $0! < model.encoderStates(frames: pair.1.frames) }.count
        }
        #expect(Double(beforeEnd) > 0.6 * Double(emitted), "\(beforeEnd) of \(emitted) phones emitted before the end of input")
    }
}
