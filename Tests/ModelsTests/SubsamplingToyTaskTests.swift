import Testing
import Randomness
import TensorCore
@testable import Models
import Training

/// The kind of toy problem of Raffel & Lawson (2017): the model must keep, in order, the input elements
/// picked out by their content and drop the rest. Here every input is one of 10 symbols (a one-hot
/// vector); symbols 0–4 are kept and are the target labels, symbols 5–9 are dropped. Training sequences
/// have 8 to 24 inputs; the trained model is then tested on sequences of 100 to 500 inputs, the paper's
/// longest, as well.
@Suite(.serialized) struct SubsamplingToyTaskTests {
    static let symbols = 10, kept = 5

    static func examples(count: Int, seed: UInt64, lengths: ClosedRange<Int> = 8...24) -> [Example] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { n in
            let length = Int.random(in: lengths, using: &rng)
            let input = (0..<length).map { _ in Int.random(in: 0..<symbols, using: &rng) }
            var features = [Float](repeating: 0, count: length * symbols)
            for (t, symbol) in input.enumerated() { features[t * symbols + symbol] = 1 }
            return Example(id: "toy\(seed)_\(n)", features: features, featureSize: symbols, labels: input.filter { $0 < kept })
        }
    }

    static func model() throws -> SubsamplingModel {
        try SubsamplingModel(config: SubsamplingModelConfig(
            encoder: EncoderConfig(inputSize: symbols, layers: 1, hiddenSize: 32, subsampleAfter: []),
            emission: EmissionConfig(noiseStd: 1),
            output: SubsamplingOutputConfig(labelCount: kept, hiddenSize: 0)), seed: 7, initScale: 0.2)
    }

    @Test func learnsToKeepTheMarkedInputsFromScratch() throws {
        try ComputeThreads.withCount(2) {
            let train = Dataset(examples: Self.examples(count: 480, seed: 1), featureSize: Self.symbols)
            let test = Dataset(examples: Self.examples(count: 100, seed: 2), featureSize: Self.symbols)
            let model = try Self.model()
            let config = TrainingConfig(epochs: 12, batchSize: 16, learningRate: 1e-2, seed: 3, patience: 0)
            let result = try Trainer(model: model, config: config, train: train, dev: test).run()
            let hypotheses = Recognizer(model: model).decode(test.examples)
            let correct = zip(hypotheses, test.examples).filter { $0.labels == $1.labels }.count
            #expect(correct >= 98, "\(correct)% of test sequences exactly right; dev error by epoch \(result.history.map(\.devErrorRate))")
            // Sequences up to 500 inputs long, never seen in training.
            let long = Self.examples(count: 50, seed: 4, lengths: 100...500)
            let longCorrect = zip(Recognizer(model: model).decode(long), long).filter { $0.labels == $1.labels }.count
            #expect(longCorrect >= 49, "\(longCorrect) of 50 sequences of 100-500 inputs exactly right")
            // The emitted inputs are the kept ones: hard subsampling learned the content rule.
            for (hypothesis, example) in zip(hypotheses, test.examples).prefix(20) {
                let marked = (0..<example.frames).filter { t in
                    (0..<Self.kept).contains { example.features[t * Self.symbols + $0] == 1 }
                }
                #expect(hypothesis.frames.compactMap { $0 } == marked)
            }
            // The expected output length was logged per epoch and ends near the target length.
            let ratio = try #require(result.history.last?.statistics?["expected length / target"])
            #expect(abs(ratio - 1) < 0.1, "expected length / target \(ratio)")
            // A wider beam over emission patterns stays as accurate; width 1 is the greedy decoder.
            let beam = Recognizer(model: model, config: DecodingConfig(beamWidth: 4)).decode(Array(test.examples.prefix(20)))
            #expect(zip(beam, test.examples).filter { $0.labels == $1.labels }.count >= 19)
            #expect(Recognizer(model: model, config: DecodingConfig(beamWidth: 1)).decode(test.examples) == hypotheses)
            // Online decoding, fed a few frames at a time, equals offline greedy decoding phone for phone and time for time.
            for (hypothesis, example) in zip(hypotheses, test.examples).prefix(10) {
                let online = try model.makeOnlineDecoder(search: DecodingConfig())
                var emitted: [Emission] = []
                for start in stride(from: 0, to: example.frames, by: 5) {
                    let end = min(start + 5, example.frames)
                    emitted += online.push(Array(example.features[(start * Self.symbols)..<(end * Self.symbols)]))
                }
                emitted += online.finish()
                #expect(emitted.map(\.label) == hypothesis.labels)
                #expect(emitted.map(\.state) == hypothesis.frames)
                #expect(emitted.map(\.frame) == hypothesis.frames.map { $0.map { $0 * model.frameStride } })
            }
        }
    }
}
