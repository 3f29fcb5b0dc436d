import Randomness
import Testing
import NeuralNet
import TensorCore
@testable import Models
import Training

@Suite(.serialized) struct JointCTCAttentionTests {
    static let task = SyntheticTask(labelsPerUtterance: 4...9)

    static func config(ctcWeight: Float) -> AttentionModelConfig {
        AttentionModelConfig(encoder: EncoderConfig(inputSize: task.featureSize, layers: 3, hiddenSize: 32, subsampleAfter: [0]),
                             decoder: DecoderConfig(labelCount: task.labelCount, hiddenSize: 32, embeddingSize: 8),
                             attention: AttentionConfig(kind: .monotonic, dim: 24), ctcWeight: ctcWeight)
    }

    /// A monotonic-attention model trained briefly with a CTC head (λ 0.3).
    nonisolated(unsafe) static let trained: AttentionModel = {
        try! ComputeThreads.withCount(1) {
            let model = try AttentionModel(config: config(ctcWeight: 0.3), seed: 7, initScale: 0.2)
            let train = Dataset(examples: task.examples(count: 300, seed: 31), featureSize: task.featureSize)
            try Trainer(model: model, config: TrainingConfig(epochs: 8, learningRate: 1e-2, seed: 2, patience: 0),
                        train: train, dev: Dataset(examples: [], featureSize: task.featureSize)).run()
            return model
        }
    }()

    /// p(l) of every labelling l over `phones` phones that fits `frames` frames of logits [frames, phones + 1].
    static func labellingProbabilities(_ logits: [Double], frames: Int, phones: Int) -> [([Int], Double)] {
        CTCModelTests.labellings(frames: frames, phones: phones).map { labels in
            (labels, LibM.exp(-CTC.negativeLogLikelihood(logits: logits, frames: frames, classes: phones + 1, labels: labels,
                                                         blank: phones, gradient: false).loss))
        }
    }

    @Test func prefixScoresAreSumsOverTheLabellingsTheyStartAtEveryHorizon() {
        var rng = Xoshiro256StarStar(seed: 3)
        let (frames, phones) = (6, 2)
        let V = phones + 1
        let logits = (0..<(frames * V)).map { _ in Double(rng.nextNormal()) }
        var y = CTCPosteriors(classes: V, blank: phones)
        y.append(CTC.logSoftmax(logits, frames: frames, classes: V).map(Float.init))
        // Reference over the float-rounded posteriors the scorer reads (renormalised by the reference's
        // log-softmax, hence agreement to float rounding, 1e-6, not to float64's).
        let rounded = y.values
        for horizon in 0..<frames {
            let truncated = Array(rounded[0..<((horizon + 1) * V)])
            let labellings = Self.labellingProbabilities(truncated, frames: horizon + 1, phones: phones)
            for h in [[], [0], [1, 1], [0, 1]] {
                var prefix = CTCPrefix()
                for label in h { prefix = prefix.appending(label) }
                let scores = prefix.extensionScores(through: horizon, y)
                for c in 0..<phones {
                    let expected = labellings.filter { $0.0.starts(with: h + [c]) }.reduce(0) { $0 + $1.1 }
                    #expect(abs(LibM.exp(scores[c]) - expected) < 1e-6, "ψ_\(horizon)(\(h + [c]))")
                }
                let exact = labellings.first { $0.0 == h }?.1 ?? 0
                #expect(abs(LibM.exp(prefix.endScore(through: horizon, y)) - exact) < 1e-6, "end score of \(h) at \(horizon)")
            }
        }
    }

    @Test func aCTCWeightOfZeroAddsNoHeadAndChangesNoDrawOrLoss() throws {
        let plain = try AttentionModel(config: Self.config(ctcWeight: 0), seed: 4, initScale: 0.2)
        let joint = try AttentionModel(config: Self.config(ctcWeight: 0.4), seed: 4, initScale: 0.2)
        #expect(plain.ctc == nil && !plain.parameters.contains { $0.name.hasPrefix("ctc.") })
        #expect(joint.parameters.map(\.name).suffix(2) == ["ctc.output.weight", "ctc.output.bias"])
        for (a, b) in zip(plain.parameters, joint.parameters) { #expect(a.value.isBitwiseEqual(to: b.value)) }

        // The joint loss is λ·CTC + (1 − λ)·attention, the attention part being the plain model's loss.
        let batch = Self.task.examples(count: 3, seed: 8)
        var rng = Xoshiro256StarStar(seed: 1)
        let attention = plain.loss(batch, on: Tape(recording: false), training: false, labelSmoothing: 0, rng: &rng).value.scalar
        let tape = Tape(recording: false)
        let (x, lengths) = joint.encoder.features(batch)
        let (states, stateLengths) = joint.encoder(tape.constant(x), lengths: lengths, on: tape, training: false, rng: &rng)
        let ctc = joint.ctc!.loss(states: states, lengths: stateLengths, batch: batch, on: tape).value.scalar
        let total = joint.loss(batch, on: Tape(recording: false), training: false, labelSmoothing: 0, rng: &rng).value.scalar
        #expect(abs(total - (0.4 * ctc + 0.6 * attention)) < 1e-5 * abs(total))

        // Joint decoding asked of a model without a CTC head decodes by attention alone.
        for example in batch {
            let a = Recognizer(model: plain).decode(features: example.features, frames: example.frames)
            let b = Recognizer(model: plain, config: DecodingConfig(ctcWeight: 0.5)).decode(features: example.features,
                                                                                           frames: example.frames)
            #expect(a == b)
        }
    }

    @Test func streamingJointDecodingEqualsOfflineJointDecoding() throws {
        let model = Self.trained
        let search = DecodingConfig(ctcWeight: 0.5)
        let offline = Recognizer(model: model, config: search)
        var rng = SplitMix64(seed: 12)
        var emitted = 0, emittedBeforeEnd = 0, differsFromAttention = 0
        for example in Self.task.examples(count: 12, seed: 55) {
            let expected = offline.decode(features: example.features, frames: example.frames)
            let plain = Recognizer(model: model).decode(features: example.features, frames: example.frames)
            if expected.labels != plain.labels {
                differsFromAttention += 1
            }
            let online = try model.makeOnlineDecoder(search: search)
            var start = 0
            var emissions: [Emission] = []
            while start < example.frames {
                let n = min(Int.random(in: 1...9, using: &rng), example.frames - start)
                emissions += online.push(Array(example.features[(start * Self.task.featureSize)..<((start + n) * Self.task.featureSize)]))
                start += n
            }
            emittedBeforeEnd += emissions.count
            emissions += online.finish()
            #expect(emissions.map(\.label) == expected.labels)
            #expect(emissions.map(\.state) == expected.frames)
            emitted += emissions.count
        }
        #expect(emitted > 0)
        // It streams: phones come out before the input ends (those after the attention runs off the last
        // state come at the end); and the CTC prefix scores change decisions.
        #expect(emittedBeforeEnd > 0)
        #expect(differsFromAttention > 0)
    }

    @Test func jointBeamSearchRanksByTheJointScore() {
        let model = Self.trained
        for example in Self.task.examples(count: 4, seed: 56) {
            let greedy = Recognizer(model: model, config: DecodingConfig(lengthNormalization: false, ctcWeight: 0.5))
                .decode(features: example.features, frames: example.frames)
            let beam = Recognizer(model: model, config: DecodingConfig(beamWidth: 6, lengthNormalization: false, ctcWeight: 0.5))
                .decode(features: example.features, frames: example.frames)
            // Greedy's path is in the beam's search space, so the beam's joint score is at least as high.
            #expect(beam.logProbability >= greedy.logProbability - 1e-4)
            #expect(beam.logProbability.isFinite)
        }
    }
}
