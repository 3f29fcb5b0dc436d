import NeuralNet
import Testing
@testable import Models

@Suite struct FrameClassifierDecodingTests {
    /// A classifier whose logits are its centre frame's features (one hidden relu layer set to the
    /// identity, the logit layer the identity), so each frame's phone is the index of its largest feature.
    static func model(context: Int) throws -> FrameClassifierModel {
        let model = try FrameClassifierModel(config: FrameClassifierConfig(inputSize: 3, labelCount: 3, context: context, layers: 1,
                                                                           hiddenSize: 3, activation: .relu))
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

    @Test func badOptionsNameTheirField() {
        func message(_ config: FrameClassifierConfig) -> String? {
            do { try config.validate() } catch { return "\(error)" }
            return nil
        }
        #expect(message(FrameClassifierConfig(context: -1)) == "context = -1; allowed: 0...50")
        #expect(message(FrameClassifierConfig(layers: 0)) == "layers = 0; allowed: 1...16")
        #expect(message(FrameClassifierConfig(feedback: FeedbackOptions(scale: -2))) == "feedback.scale = -2.0; allowed: 0.0...100.0")
        #expect(message(FrameClassifierConfig()) == nil)
    }
}
