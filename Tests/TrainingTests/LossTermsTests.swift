import Randomness
import TensorCore
import Models
import Testing

/// `RecognitionModel.lossTerms` is the divisor of each family's mean loss: the batch's loss times its
/// terms is the sum of its utterances' losses times theirs, which is what weights the shards of a global
/// batch in data-parallel training.
@Suite struct LossTermsTests {
    static let task = SyntheticTask(labelCount: 4, featureSize: 5, labelsPerUtterance: 1...4, framesPerLabel: 3...5)

    /// The deterministic families (the hard-alignment family's loss samples trajectories).
    @Test(arguments: [ModelKind.ctc, .attention, .subsampling, .frameClassifier])
    func batchLossTimesTermsIsTheSumOverUtterances(kind: ModelKind) throws {
        let config = ModelFamilyTrainingTests.smallConfig(kind).fitted(inputSize: Self.task.featureSize,
                                                                       labelCount: Self.task.labelCount)
        let model = try config.makeModel(seed: 5, initScale: 0.2)
        let batch = Self.task.examples(count: 5, seed: 9)
        func sum(_ examples: [Example]) -> Double {
            var rng = Xoshiro256StarStar(seed: 1)
            let loss = model.loss(examples, on: Tape(), training: false, labelSmoothing: 0, rng: &rng)
            return Double(loss.value.scalar) * Double(model.lossTerms(examples))
        }
        let whole = sum(batch)
        let parts = batch.reduce(0.0) { $0 + sum([$1]) }
        #expect(abs(whole - parts) <= 1e-5 * abs(whole), "\(kind): batch \(whole), utterances \(parts)")
        // Uneven shards: their terms differ, so averaging shard means without these weights would be wrong.
        #expect(model.lossTerms(Array(batch.prefix(2))) != model.lossTerms(Array(batch.suffix(3))))
    }
}
