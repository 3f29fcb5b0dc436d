import Randomness
import Testing
import NeuralNet
import TensorCore
@testable import Models
import Training

@Suite(.serialized) struct CTCModelTests {
    static let task = SyntheticTask(labelsPerUtterance: 3...7, framesPerLabel: 4...8)

    /// A CTC model trained briefly on the synthetic task, so its spikes are not near ties.
    nonisolated(unsafe) static let trained: CTCModel = {
        try! ComputeThreads.withCount(1) {
            let config = CTCModelConfig(encoder: EncoderConfig(inputSize: task.featureSize, layers: 2, hiddenSize: 32,
                                                               subsampleAfter: [0]), labelCount: task.labelCount)
            let model = try CTCModel(config: config, seed: 5, initScale: 0.2)
            let train = Dataset(examples: task.examples(count: 200, seed: 41), featureSize: task.featureSize)
            try Trainer(model: model, config: TrainingConfig(epochs: 6, learningRate: 1e-2, seed: 3, patience: 0),
                        train: train, dev: Dataset(examples: [], featureSize: task.featureSize)).run()
            return model
        }
    }()

    /// Every labelling over `classes − 1` phones that fits `frames`, by depth-first enumeration.
    static func labellings(frames: Int, phones: Int) -> [[Int]] {
        var all: [[Int]] = []
        func visit(_ prefix: [Int]) {
            guard CTC.requiredFrames(prefix) <= frames else { return }
            all.append(prefix)
            for k in 0..<phones { visit(prefix + [k]) }
        }
        visit([])
        return all
    }

    @Test func prefixBeamSearchWithALargeBeamFindsTheMostLikelyLabelling() {
        var rng = Xoshiro256StarStar(seed: 21)
        let (frames, phones) = (6, 2)
        let classes = phones + 1, blank = phones
        let candidates = Self.labellings(frames: frames, phones: phones)
        var beamDiffersFromGreedy = 0
        for _ in 0..<40 {
            let logits = (0..<(frames * classes)).map { _ in Double(rng.nextNormal()) }
            let lp = CTC.logSoftmax(logits, frames: frames, classes: classes).map(Float.init)
            let scores = candidates.map {
                -CTC.negativeLogLikelihood(logits: lp.map(Double.init), frames: frames, classes: classes, labels: $0,
                                           blank: blank, gradient: false).loss
            }
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            let beam = CTCPrefixBeamSearch.decode(lp, classes: classes, blank: blank, beamWidth: 256)
            #expect(beam.labels == candidates[best], "beam \(beam.labels) vs exhaustive \(candidates[best])")
            #expect(abs(Double(beam.logProbability) - scores[best]) < 1e-4)
            #expect(beam.frames.count == beam.labels.count)
            // Its n-best list: the most probable labellings of the exhaustive ranking, in order, with their probabilities.
            let ranked = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(5)
            let list = CTCPrefixBeamSearch.nbest(lp, classes: classes, blank: blank, beamWidth: 256, count: 5)
            #expect(list.map(\.labels) == ranked.map { candidates[$0] })
            #expect(zip(list, ranked).allSatisfy { abs(Double($0.logProbability) - scores[$1]) < 1e-4 })
            if CTCBestPath.decode(lp, classes: classes, blank: blank).labels != beam.labels { beamDiffersFromGreedy += 1 }
        }
        // The cases are not all ones that greedy decoding already gets right.
        #expect(beamDiffersFromGreedy > 0)
    }

    @Test func bestPathMergesRepeatsDropsBlanksAndEmitsOnTheSpike() {
        // Frames' best classes: ∅ 1 1 ∅ 1 0 0 ∅ (blank 2) → labels 1 1 0 on states 1, 4, 5.
        let best = [2, 1, 1, 2, 1, 0, 0, 2]
        let lp = best.flatMap { b in (0..<3).map { $0 == b ? Float(-0.1) : Float(-3) } }
        let h = CTCBestPath.decode(lp, classes: 3, blank: 2)
        #expect(h.labels == [1, 1, 0] && h.frames == [1, 4, 5])
        #expect(abs(h.logProbability - 8 * -0.1) < 1e-6)
    }

    @Test func streamingGreedyDecodingEqualsOfflineOnEveryChunking() throws {
        let model = Self.trained
        let offline = Recognizer(model: model)
        var rng = SplitMix64(seed: 9)
        var emitted = 0, errors = 0, labels = 0
        for example in Self.task.examples(count: 10, seed: 77) {
            let expected = offline.decode(features: example.features, frames: example.frames)
            let online = try model.makeOnlineDecoder(search: DecodingConfig())
            var start = 0
            var emissions: [Emission] = []
            while start < example.frames {
                let n = min(Int.random(in: 1...7, using: &rng), example.frames - start)
                emissions += online.push(Array(example.features[(start * Self.task.featureSize)..<((start + n) * Self.task.featureSize)]))
                start += n
            }
            emissions += online.finish()
            #expect(emissions.map(\.label) == expected.labels)
            #expect(emissions.map(\.state) == expected.frames)
            #expect(emissions.allSatisfy { $0.frame == $0.state.map { $0 * model.frameStride } })
            emitted += emissions.count
            errors += editDistance(expected.labels, example.labels)
            labels += example.labels.count
        }
        #expect(emitted > 0)
        // Trained briefly, it recognises the toy task (so the comparison is between real decisions).
        #expect(Double(errors) / Double(labels) < 0.35, "PER \(Double(errors) / Double(labels))")
    }

    @Test func beamDecodingIsAtLeastAsProbableAsGreedyAndItsFramesAreStates() {
        let model = Self.trained
        let greedy = Recognizer(model: model)
        let beam = Recognizer(model: model, config: DecodingConfig(beamWidth: 8))
        for example in Self.task.examples(count: 6, seed: 78) {
            let g = greedy.decode(features: example.features, frames: example.frames)
            let b = beam.decode(features: example.features, frames: example.frames)
            let states = model.encoderStates(frames: example.frames)
            #expect(b.frames.allSatisfy { ($0 ?? -1) >= 0 && $0! < states })
            // The beam's labelling has total probability at least the greedy path's probability.
            #expect(b.logProbability >= g.logProbability - 1e-4)
        }
    }

    @Test func trainingRefusesAnUtteranceWhoseLabelsCannotFitItsEncoderStates() throws {
        let config = CTCModelConfig(encoder: EncoderConfig(inputSize: 2, layers: 1, hiddenSize: 4, subsampleAfter: [0]),
                                    labelCount: 3)
        let model = try CTCModel(config: config)
        let fits = Example(id: "fits", features: [Float](repeating: 0, count: 2 * 6), featureSize: 2, labels: [0, 1, 2])
        let tooShort = Example(id: "TRAIN/DR1/FCJF0/SI1027", features: [Float](repeating: 0, count: 2 * 5), featureSize: 2,
                               labels: [0, 1, 1])
        do {
            _ = try Trainer(model: model, config: TrainingConfig(epochs: 1), train: Dataset(examples: [fits, tooShort], featureSize: 2),
                            dev: Dataset(examples: [], featureSize: 2))
            Issue.record("training accepted an impossible CTC target")
        } catch {
            #expect("\(error)" == "utterance TRAIN/DR1/FCJF0/SI1027: 3 labels need at least 4 frames for CTC (one per label, "
                        + "a blank between repeats) but the input gives 3 (after subsampling)")
        }
    }
}
