import Models
import NeuralNet
import Randomness
import TensorCore

/// The attention model's timings behind `asr bench train` and `asr bench decode` (never run by tests).
public enum AttentionModelBenchmark {
    /// The model sizes benchmarked: "paper" (3 × 512 encoder, 256 decoder, d = 512) and "small"
    /// (3 × 128 encoder, 128 decoder, d = 128), both on 123 features and 48 phones.
    public static func modelConfig(_ name: String, attention: AttentionKind) -> AttentionModelConfig {
        let paper = name == "paper"
        return AttentionModelConfig(
            encoder: EncoderConfig(inputSize: 123, layers: 3, hiddenSize: paper ? 512 : 128, subsampleAfter: [0, 1]),
            decoder: DecoderConfig(labelCount: 48, hiddenSize: paper ? 256 : 128, embeddingSize: 30),
            attention: AttentionConfig(kind: attention, dim: paper ? 512 : 128))
    }

    /// Best time in milliseconds of one training step (forward, backward, clipping, Adam) of
    /// `config` on a batch of 8 × 300 frames with 40 labels each, after one warm-up step.
    public static func trainingStep(config name: String, attention: AttentionKind, threads: Int, repeats: Int) throws -> Double {
        let model = try AttentionModel(config: modelConfig(name, attention: attention), seed: 1)
        return try TrainingStepBenchmark.milliseconds(model, batch: TrainingStepBenchmark.batch(phones: 48), threads: threads, repeats: repeats)
    }

    /// Best time in milliseconds of greedy decoding (decoder and attention, encoder excluded) over
    /// `frames` input frames: a memory of ⌈frames/4⌉ random encoder states of the paper model, and
    /// one output step per 8 input frames (end of sequence ignored), on one thread.
    public static func decoding(attention: AttentionKind, frames: Int, repeats: Int) throws -> Double {
        ComputeThreads.configure(1)
        let model = try AttentionModel(config: modelConfig("paper", attention: attention), seed: 1)
        let decoder = model.decoderSnapshot()
        let states = (frames + 3) / 4
        var rng = Xoshiro256StarStar(seed: 4)
        let h = (0..<(states * model.shape.encoder.outputSize)).map { _ in rng.nextUniform(-1, 1) }
        let steps = frames / 8
        return Harness.measure(warmUp: 1, repeats: repeats) {
            let memory = decoder.makeMemory()
            memory.append(h)
            memory.complete()
            var state = decoder.initialState()
            var label = model.shape.decoder.startOfSequence
            for _ in 0..<steps {
                guard let out = decoder.step(state, label: label, memory: memory) else { break }
                state = out.state
                label = argmax(Array(out.logProbabilities.prefix(decoder.labelCount)))
            }
        }.bestWall * 1e3
    }
}
