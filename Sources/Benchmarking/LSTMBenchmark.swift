import NeuralNet
import Randomness
import TensorCore

/// Forward-plus-backward timing of a stacked LSTM, for `asr bench lstm`.
public enum LSTMBenchmark {
    /// One measured shape.
    public struct Case: Sendable, Codable, Equatable {
        /// Display name, e.g. `encoder-3x512`.
        public let name: String
        /// The LSTM's configuration.
        public let config: LSTMConfig
        /// Sequences per batch.
        public let batch: Int
        /// Frames per sequence.
        public let frames: Int

        /// A case from its parts.
        public init(name: String, config: LSTMConfig, batch: Int, frames: Int) {
            (self.name, self.config, self.batch, self.frames) = (name, config, batch, frames)
        }
    }

    /// The paper's encoder (3 layers of 512, 123 inputs, batch 8, 300 frames) and a small one (2 × 128).
    public static let standardCases: [Case] = [
        Case(name: "encoder-3x512", config: LSTMConfig(inputSize: 123, hiddenSize: 512, layers: 3), batch: 8, frames: 300),
        Case(name: "small-2x128", config: LSTMConfig(inputSize: 123, hiddenSize: 128, layers: 2), batch: 8, frames: 300),
    ]

    /// The timed training steps (one forward + backward pass over a `[batch, frames, inputSize]` input,
    /// `dL/dy` a fixed random `[batch, frames, outputSize]` tensor, no input gradient) of `repeats` runs
    /// after one warm-up, with `ComputeThreads.configure(threads)`; processor time over all threads.
    public static func measure(_ c: Case, threads: Int, repeats: Int) throws -> TimedRuns {
        ComputeThreads.configure(threads)
        var rng = Xoshiro256StarStar(seed: 1)
        let registry = ParameterRegistry()
        let lstm = try LSTM(registry, name: "bench", config: c.config, rng: &rng)
        let x = Tensor(shape: [c.batch, c.frames, c.config.inputSize]) { _ in rng.nextNormal() }
        let seed = Tensor(shape: [c.batch, c.frames, c.config.outputSize]) { _ in rng.nextUniform(-1, 1) }
        return Harness.measure(warmUp: 1, repeats: repeats) {
            let tape = Tape()
            let y = lstm(tape.constant(x), on: tape).output
            tape.backward(y, seed: seed)
        }
    }
}
