import NeuralNet
import TensorCore

/// The weights of a frame classifier frozen for decoding, and the per-frame classification that
/// offline and online decoding share (so they agree exactly).
struct FrameInference: Sendable {
    /// (weight [out, in], bias [out]) of each layer, the logit layer last.
    let layers: [(Tensor, Tensor)]
    let activation: Activation
    let inputSize: Int
    let context: Int

    /// log softmax of the logits of frame t of `features` [frames, F].
    func logProbabilities(_ features: [Float], frames: Int, at t: Int, window: inout [Float]) -> [Float] {
        spliceFrame(features, frames: frames, size: inputSize, at: t, context: context, into: &window)
        let tape = Tape(recording: false)
        var h = tape.constant(Tensor(shape: [1, window.count], scalars: window))
        for (l, (weight, bias)) in layers.enumerated() {
            h = tape.linear(h, weight: tape.constant(weight), bias: tape.constant(bias))
            if l + 1 < layers.count { h = activation(h, on: tape) }
        }
        return tape.logSoftmax(h).value.scalars
    }
}

/// Collapses a frame-label sequence into emissions: a phone at the first frame of each run.
struct RunCollapse {
    private var previous: Int?

    /// The emission that frame t with `label` starts, if it starts a run.
    mutating func push(_ label: Int, frame t: Int) -> Emission? {
        defer { previous = label }
        return label == previous ? nil : Emission(label: label, state: t, frame: t)
    }
}

/// Whole-utterance decoding: the most probable phone of every frame, runs collapsed. The beam width is
/// ignored (frames are classified independently, so the framewise best path is the best path).
struct FrameClassifierDecoder: UtteranceDecoder {
    let inference: FrameInference

    func decode(features: [Float], frames: Int) -> Hypothesis {
        var collapse = RunCollapse()
        var window: [Float] = []
        var hypothesis = Hypothesis(labels: [], frames: [], logProbability: 0)
        for t in 0..<frames {
            let scores = inference.logProbabilities(features, frames: frames, at: t, window: &window)
            let best = argmax(scores)
            hypothesis.logProbability += scores[best]
            if let emission = collapse.push(best, frame: t) {
                hypothesis.labels.append(emission.label)
                hypothesis.frames.append(emission.frame)
            }
        }
        return hypothesis
    }
}

/// Online decoding: frame t is classified as soon as frame t + k has arrived (k = the splice context),
/// the rest when the input ends; the result equals `FrameClassifierDecoder`'s.
final class FrameClassifierOnlineDecoder: OnlineDecoding {
    let inference: FrameInference
    private var features: [Float] = []
    private var next = 0
    private var collapse = RunCollapse()
    private var window: [Float] = []
    private(set) var emissions: [Emission] = []
    private(set) var isFinished = false

    init(inference: FrameInference) { self.inference = inference }

    var stride: Int { 1 }

    private var received: Int { features.count / inference.inputSize }

    /// Classifies frames up to (excluding) `end` of the `received` so far.
    private func classify(upTo end: Int) -> [Emission] {
        var new: [Emission] = []
        while next < end {
            let scores = inference.logProbabilities(features, frames: received, at: next, window: &window)
            if let emission = collapse.push(argmax(scores), frame: next) { new.append(emission) }
            next += 1
        }
        emissions += new
        return new
    }

    func push(_ frames: [Float]) -> [Emission] {
        guard !isFinished else { return [] }
        features += frames.prefix(frames.count - frames.count % inference.inputSize)
        return classify(upTo: received - inference.context)
    }

    func finish() -> [Emission] {
        guard !isFinished else { return [] }
        isFinished = true
        return classify(upTo: received)
    }
}
