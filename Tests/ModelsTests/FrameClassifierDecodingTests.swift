import NeuralNet
import Randomness
import TensorCore
import Testing
@testable import Models

@Suite struct FrameClassifierDecodingTests {
    /// A classifier whose logits are its centre frame's features (one hidden relu layer set to the
    /// identity, the logit layer the identity), so each frame's phone is the index of its largest feature.
    static func model(context: Int, smoothing: Int = 0) throws -> FrameClassifierModel {
        let model = try FrameClassifierModel(config: FrameClassifierConfig(inputSize: 3, labelCount: 3, context: context, layers: 1,
                                                                           hiddenSize: 3, activation: .relu, smoothing: smoothing))
        let hidden = model.stack.hidden[0].weight, spliced = model.shape.splicedSize
        hidden.value.withUnsafeMutableBufferPointer { w in
            for i in 0..<w.count { w[i] = 0 }
            for k in 0..<3 { w[k * spliced + context * 3 + k] = 1 }
        }
        model.stack.output.weight.value.withUnsafeMutableBufferPointer { w in
            for i in 0..<9 { w[i] = i % 4 == 0 ? 1 : 0 }
        }
        return model
    }

    static func frames(_ labels: [Int]) -> [Float] { labels.flatMap { l in (0..<3).map { $0 == l ? Float(1) : 0 } } }

    @Test func runsCollapseIntoPhonesAtTheirFirstFrame() throws {
        let model = try Self.model(context: 2)
        let labels = [2, 2, 0, 0, 0, 1, 2, 2]
        let hypothesis = model.makeDecoder(search: DecodingConfig()).decode(features: Self.frames(labels), frames: labels.count)
        #expect(hypothesis.labels == [2, 0, 1, 2])
        #expect(hypothesis.frames == [0, 2, 5, 6])
        let example = Example(id: "e", features: Self.frames(labels), featureSize: 3, labels: [2, 0, 1, 2], frameLabels: [2, 2, 0, 0, 0, 1, 1, 1])
        #expect(model.frameAccuracy([example]) == 6.0 / 8.0)
        #expect(model.frameCounts([example, example]) == FrameCounts(correct: 12, frames: 16))
    }

    @Test func trainingFrameCountsTakeEachFramesLargestLogitAndSkipPadding() {
        // Two utterances of 3 and 1 frames padded to 3, two phones.
        let logits = Tensor(shape: [2, 3, 2], scalars: [1, 0, 0, 2, 3, -1, /**/ -1, 1, 9, 0, 9, 0])
        #expect(FrameClassifierModel.frameCounts(logits, targets: [[0, 1, 1], [1]]) == FrameCounts(correct: 3, frames: 4))
        #expect(FrameCounts(correct: 3, frames: 4).accuracy == 0.75)
        #expect(FrameCounts().accuracy == 0)
    }

    @Test func onlineDecodingWaitsForTheContextAndEqualsOffline() throws {
        let model = try Self.model(context: 2)
        let labels = [2, 2, 0, 0, 0, 1, 2, 2]
        let online = try model.makeOnlineDecoder(search: DecodingConfig())
        // Frame 2 (the first 0) needs frames up to 4: nothing new after 4 frames, the 0 after the 5th.
        #expect(online.push(Self.frames(Array(labels[0..<4]))).map(\.label) == [2])
        #expect(online.push(Self.frames([labels[4]])).map(\.frame) == [2])
        #expect(online.push(Self.frames(Array(labels[5...]))).map(\.frame) == [5])
        #expect(online.finish().map(\.frame) == [6])
        let offline = model.makeDecoder(search: DecodingConfig()).decode(features: Self.frames(labels), frames: labels.count)
        #expect(online.emissions.map(\.label) == offline.labels && online.emissions.map(\.frame) == offline.frames)
        #expect(online.isFinished)
    }

    @Test func smoothingRemovesAOneFrameRunAndDelaysOnlineDecisionsBySFrames() throws {
        let labels = [2, 2, 2, 0, 2, 2, 1, 1, 1, 1]
        let unsmoothed = try Self.model(context: 2).makeDecoder(search: DecodingConfig())
            .decode(features: Self.frames(labels), frames: labels.count)
        #expect(unsmoothed.labels == [2, 0, 2, 1])
        // Averaged over ±1 frame, frame 3 sees two 2s and one 0; frame 5 two 2s, frame 6 two 1s.
        let model = try Self.model(context: 2, smoothing: 1)
        let offline = model.makeDecoder(search: DecodingConfig()).decode(features: Self.frames(labels), frames: labels.count)
        #expect(offline.labels == [2, 1] && offline.frames == [0, 6])
        let online = try model.makeOnlineDecoder(search: DecodingConfig())
        // With 9 frames, frames up to 6 are scored (k = 2) and up to 5 decided (s = 1): frame 6 waits.
        #expect(online.push(Self.frames(Array(labels[0..<9]))).map(\.frame) == [0])
        #expect(online.push(Self.frames([labels[9]])).map(\.frame) == [6])
        #expect(online.finish().isEmpty)
        #expect(online.emissions.map(\.label) == offline.labels && online.emissions.map(\.frame) == offline.frames)
    }

    @Test func anLSTMClassifierDecodesOnlineInChunksExactlyAsOffline() throws {
        let config = FrameClassifierConfig(inputSize: 3, labelCount: 3, context: 1, layers: 2, hiddenSize: 5, layerType: .lstm,
                                           rule: .dfa, smoothing: 1)
        let model = try FrameClassifierModel(config: config, seed: 3, initScale: 0.8)
        var rng = Xoshiro256StarStar(seed: 9)
        let frames = 11
        let features = (0..<(frames * 3)).map { _ in rng.nextUniform(-1, 1) }
        let offline = model.makeDecoder(search: DecodingConfig()).decode(features: features, frames: frames)
        #expect(offline.labels.count > 1)   // the random weights do not give one phone throughout
        let online = try model.makeOnlineDecoder(search: DecodingConfig())
        for start in stride(from: 0, to: frames, by: 4) { _ = online.push(Array(features[(start * 3)..<(min(start + 4, frames) * 3)])) }
        _ = online.finish()
        #expect(online.emissions.map(\.label) == offline.labels && online.emissions.map(\.frame) == offline.frames)
    }

    @Test func badOptionsNameTheirField() {
        func message(_ config: FrameClassifierConfig) -> String? {
            do { try config.validate() } catch { return "\(error)" }
            return nil
        }
        #expect(message(FrameClassifierConfig(context: -1)) == "context = -1; allowed: 0...50")
        #expect(message(FrameClassifierConfig(layerType: .lstm, rule: .feedbackAlignment)) == nil)
        #expect(message(FrameClassifierConfig(layers: 0)) == "layers = 0; allowed: 1...16")
        #expect(message(FrameClassifierConfig(feedback: FeedbackOptions(scale: -2))) == "feedback.scale = -2.0; allowed: 0.0...100.0")
        #expect(message(FrameClassifierConfig(smoothing: 51)) == "smoothing = 51; allowed: 0...50")
        #expect(message(FrameClassifierConfig()) == nil)
    }
}
