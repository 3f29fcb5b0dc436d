import Foundation
import Randomness
import Testing
import TensorCore
@testable import Models
@testable import Training

/// A model that learns late: its decoder emits nothing until it has had `learnsAfter` updates, then the
/// one phone every dev utterance holds; its loss is w² of one weight, so training has a parameter to move.
final class LateLearner: RecognitionModel {
    let registry = ParameterRegistry()
    let weight: Parameter
    let learnsAfter: Int
    nonisolated(unsafe) var updates = 0

    init(learnsAfter: Int) throws {
        self.learnsAfter = learnsAfter
        weight = Parameter(name: "w", value: Tensor(shape: [1], scalars: [1]))
        try registry.register(weight)
    }

    var config: ModelConfig { ModelConfig() }
    var inputSize: Int { 1 }
    var labelCount: Int { 1 }
    var frameStride: Int { 1 }
    func encoderStates(frames: Int) -> Int { frames }

    func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float, rng: inout Xoshiro256StarStar) -> Variable {
        if training { updates += 1 }
        let w = tape.parameter(weight)
        return tape.sum(tape.multiply(w, w))
    }

    struct Decoder: UtteranceDecoder {
        let learned: Bool
        func decode(features: [Float], frames: Int) -> Hypothesis {
            Hypothesis(labels: learned ? [0] : [], frames: learned ? [0] : [], logProbability: 0)
        }
    }

    func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder { Decoder(learned: updates >= learnsAfter) }
    func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding { throw CancellationError() }
    func alignment(of example: Example) -> AlignmentPicture? { nil }
}

/// Early stopping and learning-rate halving wait for learning to start (`warmupEpochs`), the empty dev
/// output is reported after the warm-up, and the learning-rate warm-up ramps linearly.
@Suite struct TrainingWarmupTests {
    static let examples = (0..<4).map { Example(id: "u\($0)", features: [0, 0], featureSize: 1, labels: [0]) }
    static let data = Dataset(examples: examples, featureSize: 1)

    /// Trains a model that starts learning in epoch 5 (4 updates per epoch) with patience 2.
    static func run(warmupEpochs: Int) throws -> (TrainingResult, [Int]) {
        var config = TrainingConfig(epochs: 8, batchSize: 1, learningRate: 1e-3, seed: 1, patience: 2)
        config.warmupEpochs = warmupEpochs
        config.halveAfter = 1
        var empty: [Int] = []
        let result = try Trainer(model: try LateLearner(learnsAfter: 17), config: config, train: data, dev: data).run { event in
            if case .emptyDevOutput(let epoch) = event { empty.append(epoch) }
        }
        return (result, empty)
    }

    @Test func patienceCountsFromTheFirstEpochWithoutAWarmUp() throws {
        let (result, empty) = try Self.run(warmupEpochs: 0)
        #expect(result.stoppedEarly && result.history.count == 3)
        #expect(result.bestErrorRate == 1)
        #expect(result.history.map(\.learningRate) == [1e-3, 1e-3, 5e-4])   // the rate used in each epoch
        #expect(empty == [1, 2, 3])
    }

    @Test func aWarmUpLetsTrainingRunUntilItLearns() throws {
        let (result, empty) = try Self.run(warmupEpochs: 3)
        // Epochs 1-4 output nothing; epoch 5 learns (best); patience 2 then stops after epoch 7.
        #expect(result.history.map(\.devErrorRate) == [1, 1, 1, 1, 0, 0, 0])
        #expect(result.bestEpoch == 5 && result.bestErrorRate == 0 && result.stoppedEarly)
        // The rate (as used in each epoch) is halved only after the warm-up: after epoch 4, one epoch past
        // it, and after epoch 6, one epoch past the best.
        #expect(result.history.map(\.learningRate) == [1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4])
        #expect(empty == [3, 4])
    }

    @Test func theLearningRateRisesLinearlyOverTheWarmUpUpdates() throws {
        var config = TrainingConfig()
        config.learningRateWarmup = 4
        let trainer = try Trainer(model: try LateLearner(learnsAfter: 0), config: config, train: Self.data, dev: Self.data)
        #expect((0..<6).map { trainer.warmupFactor(step: $0) } == [0.25, 0.5, 0.75, 1, 1, 1])
        #expect(throws: (any Error).self) {
            var bad = TrainingConfig()
            bad.warmupEpochs = -1
            try bad.validate()
        }
    }
}
