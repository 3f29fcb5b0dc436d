import Models
import NeuralNet
import Randomness
import TensorCore

/// One training step of any model family, timed for `asr bench train` (never run by tests).
public enum TrainingStepBenchmark {
    /// 8 random utterances of 300 frames × 123 features with 40 labels each, drawn from `phones` phones.
    static func batch(phones: Int, count: Int = 8, frames: Int = 300, labels: Int = 40, seed: UInt64 = 2) -> [Example] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { n in
            Example(id: "bench\(n)", features: (0..<(frames * 123)).map { _ in rng.nextNormal() }, featureSize: 123,
                    labels: (0..<labels).map { _ in Int(rng.next() % UInt64(phones)) })
        }
    }

    /// Best wall time in milliseconds of one step of `model` on `batch` (loss, the family's backward,
    /// global-norm clipping to 2, Adam) on `threads` threads, after one warm-up step.
    static func milliseconds(_ model: any RecognitionModel, batch: [Example], threads: Int, repeats: Int) throws -> Double {
        ComputeThreads.configure(threads)
        var adam = try Adam(options: AdamOptions(epsilon: 1e-6))
        var rng = Xoshiro256StarStar(seed: 3)
        return Harness.measure(warmUp: 1, repeats: repeats) {
            model.registry.zeroGradients()
            let tape = Tape()
            let loss = model.loss(batch, on: tape, training: true, labelSmoothing: 0, rng: &rng)
            model.backward(loss, on: tape)
            GradientClipping.clipGlobalNorm(model.parameters, maxNorm: 2)
            adam.step(model.parameters, learningRate: 1e-4)
        }.bestWall * 1e3
    }

    /// One step of the hard emit/ingest alignment model of Lawson et al. (2018) in the paper's TIMIT
    /// configuration (`HardAlignmentConfig()`: p a 2 × 256 LSTM over the 123-dim frames, 61 phones; q 4
    /// bidirectional + 2 × 256 layers), `samples` trajectories per utterance, on the batch of `batch(phones: 61)`.
    public static func hardAlignment(estimator: HardAlignmentEstimator, samples: Int, threads: Int, repeats: Int) throws -> Double {
        var config = HardAlignmentConfig()
        config.estimator = estimator
        config.samples = samples
        return try milliseconds(HardAlignmentModel(config: config, seed: 1), batch: batch(phones: 61), threads: threads, repeats: repeats)
    }
}
