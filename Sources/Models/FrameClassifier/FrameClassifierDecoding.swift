import NeuralNet
import TensorCore

/// The weights of a frame classifier frozen for decoding, and the per-frame classification that
/// offline and online decoding share (so they agree exactly).
struct FrameInference: Sendable {
    /// (weight [out, in], bias [out]) of each feed-forward layer, the logit layer last.
    let layers: [(Tensor, Tensor)]
    /// (W_ih [4H, in], W_hh [4H, H], bias [4H]) of each LSTM layer (before `layers`); empty for none.
    let recurrent: [(Tensor, Tensor, Tensor)]
    let activation: Activation
    let inputSize: Int
    let context: Int
    /// Frames s on each side whose log-probabilities are averaged before the best phone is taken.
    let smoothing: Int

    /// The LSTM layers' (h, c) after the frames classified so far, each [1, H]; empty before the first.
    typealias State = [(h: Tensor, c: Tensor)]

    /// log softmax of the logits of frame t of `features` [frames, F]. With LSTM layers the frames of an
    /// utterance must come in order 0, 1, …, with `state` carried from one call to the next.
    func logProbabilities(_ features: [Float], frames: Int, at t: Int, window: inout [Float], state: inout State) -> [Float] {
        spliceFrame(features, frames: frames, size: inputSize, at: t, context: context, into: &window)
        let tape = Tape(recording: false)
        var h = tape.constant(Tensor(shape: [1, window.count], scalars: window))
        for (l, (weightIH, weightHH, bias)) in recurrent.enumerated() {
            let previous = l < state.count ? LSTMState(h: tape.constant(state[l].h), c: tape.constant(state[l].c)) : nil
            let (y, next) = tape.lstm(tape.reshape(h, [1, 1, h.shape[1]]), weightIH: tape.constant(weightIH),
                                      weightHH: tape.constant(weightHH), bias: tape.constant(bias), initialState: previous)
            h = tape.reshape(y, [1, y.shape[2]])
            if l < state.count { state[l] = (next.h.value, next.c.value) } else { state.append((next.h.value, next.c.value)) }
        }
        for (l, (weight, bias)) in layers.enumerated() {
            h = tape.linear(h, weight: tape.constant(weight), bias: tape.constant(bias))
            if l + 1 < layers.count { h = activation(h, on: tape) }
        }
        return tape.logSoftmax(h).value.scalars
    }
}

extension FrameInference {
    /// The best phone of frame t and its smoothed score: log-probabilities averaged over frames
    /// t−s..t+s of `scores` (the window cut at 0 and at `scores.count` − 1).
    func decide(_ scores: [[Float]], at t: Int) -> (label: Int, score: Float) {
        let window = max(t - smoothing, 0)...min(t + smoothing, scores.count - 1)
        var mean = scores[t].map { _ in Float(0) }
        for j in window { for v in mean.indices { mean[v] += scores[j][v] } }
        let best = argmax(mean)
        return (best, mean[best] / Float(window.count))
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
        var state = FrameInference.State()
        var hypothesis = Hypothesis(labels: [], frames: [], logProbability: 0)
        let scores = (0..<frames).map {
            inference.logProbabilities(features, frames: frames, at: $0, window: &window, state: &state)
        }
        for t in 0..<frames {
            let (best, score) = inference.decide(scores, at: t)
            hypothesis.logProbability += score
            if let emission = collapse.push(best, frame: t) {
                hypothesis.labels.append(emission.label)
                hypothesis.frames.append(emission.frame)
            }
        }
        return hypothesis
    }
}

/// Online decoding: frame t is scored as soon as frame t + k has arrived (k = the splice context) and
/// decided once frame t + s is scored (s = the smoothing), so the look-ahead is k + s frames; the rest
/// when the input ends. The result equals `FrameClassifierDecoder`'s.
final class FrameClassifierOnlineDecoder: OnlineDecoding {
    let inference: FrameInference
    private var features: [Float] = []
    private var scores: [[Float]] = []
    private var next = 0
    private var collapse = RunCollapse()
    private var window: [Float] = []
    private var state = FrameInference.State()
    private(set) var emissions: [Emission] = []
    private(set) var isFinished = false

    init(inference: FrameInference) { self.inference = inference }

    var stride: Int { 1 }

    private var received: Int { features.count / inference.inputSize }

    /// Scores frames up to (excluding) `scoredEnd` of the `received` so far, then decides those up to
    /// (excluding) `decidedEnd`.
    private func advance(scoredEnd: Int, decidedEnd: Int) -> [Emission] {
        while scores.count < scoredEnd {
            scores.append(inference.logProbabilities(features, frames: received, at: scores.count, window: &window, state: &state))
        }
        var new: [Emission] = []
        while next < decidedEnd {
            if let emission = collapse.push(inference.decide(scores, at: next).label, frame: next) { new.append(emission) }
            next += 1
        }
        emissions += new
        return new
    }

    func push(_ frames: [Float]) -> [Emission] {
        guard !isFinished else { return [] }
        features += frames.prefix(frames.count - frames.count % inference.inputSize)
        let scored = max(received - inference.context, 0)
        return advance(scoredEnd: scored, decidedEnd: scored - inference.smoothing)
    }

    func finish() -> [Emission] {
        guard !isFinished else { return [] }
        isFinished = true
        return advance(scoredEnd: received, decidedEnd: received)
    }
}
