import NeuralNet
import Randomness
import TensorCore

/// The test-time pieces of a `SubsamplingModel`: the emission weights and the output network, read
/// one encoder state at a time.
struct SubsamplingInference: @unchecked Sendable {
    /// w [M] of the emission logit.
    let emissionWeight: [Float]
    /// b of the emission logit.
    let emissionBias: Float
    /// The output LSTM (nil: feed-forward output).
    let outputCell: LSTMWeights?
    /// The softmax layer.
    let softmax: Linear
    /// Phones; output id `labelCount` is end of sequence.
    let labelCount: Int
    /// Width M of an encoder state.
    let stateSize: Int

    /// The emission logit z_t = w·h_t + b of state `t` of `states` [T', M].
    func emissionLogit(_ states: [Float], at t: Int) -> Float {
        var z = emissionBias
        for k in 0..<stateSize { z += emissionWeight[k] * states[t * stateSize + k] }
        return z
    }

    /// e_t = σ(z_t).
    func emissionProbability(_ states: [Float], at t: Int) -> Float { 1 / (1 + SIMDMath.exp(-emissionLogit(states, at: t))) }

    /// One output step on input ŷ [M] (an emitted state, or zeros for the end-of-sequence step) from
    /// `state`: log-softmax over phones and end of sequence, and the output LSTM's next state.
    func outputStep(_ input: [Float], state: LSTMState?) -> (logProbabilities: [Float], state: LSTMState?) {
        let tape = Tape(recording: false)
        var features = tape.constant(Tensor(shape: [1, 1, stateSize], scalars: input))
        var next: LSTMState?
        if let outputCell {
            let (output, after) = outputCell.run(features, lengths: nil, initialState: state, reverse: false, on: tape)
            features = output
            next = after
        }
        let logProbabilities = tape.logSoftmax(tape.reshape(softmax(features, on: tape), [1, labelCount + 1]))
        return (logProbabilities.value.scalars, next)
    }
}

/// log σ(z) and log(1 − σ(z)), without overflow for large |z|.
func logSigmoids(_ z: Float) -> (emit: Float, skip: Float) {
    // softplus(x) = max(x, 0) + ln(1 + e^−|x|)
    let tail = Float(LibM.log(1 + Double(SIMDMath.exp(-abs(z)))))
    return (-(max(-z, 0) + tail), -(max(z, 0) + tail))
}

/// Greedy hard subsampling, state by state: a state is emitted when e_t > 0.5 and gives the most
/// likely phone (end of sequence excluded: the emissions decide the length) at once. Feeding the states
/// of an utterance in any number of pieces gives the same phones.
struct GreedySubsampling {
    let inference: SubsamplingInference
    private var state: LSTMState?
    private var consumed = 0
    /// Σ log p of the decisions and phones so far.
    private(set) var logProbability: Float = 0

    init(inference: SubsamplingInference) { self.inference = inference }

    /// The phones emitted on the next `count` states [count, M]; states are numbered from the first one fed.
    mutating func consume(states: [Float], count: Int) -> [Emission] {
        var emitted: [Emission] = []
        let M = inference.stateSize
        for t in 0..<count {
            let z = inference.emissionLogit(states, at: t)
            let (emit, skip) = logSigmoids(z)
            if z > 0 {
                let (logProbabilities, next) = inference.outputStep(Array(states[(t * M)..<((t + 1) * M)]), state: state)
                state = next
                let label = argmax(Array(logProbabilities.prefix(inference.labelCount)))
                logProbability += emit + logProbabilities[label]
                emitted.append(Emission(label: label, state: consumed + t, frame: nil))
            } else {
                logProbability += skip
            }
        }
        consumed += count
        return emitted
    }

    /// log p of end of sequence after the phones so far (the output step on a zero vector).
    func endOfSequence() -> Float {
        inference.outputStep([Float](repeating: 0, count: inference.stateSize), state: state).logProbabilities[inference.labelCount]
    }
}

/// Greedy (beam width 1) or beam decoding of whole utterances.
///
/// The beam searches the stochastic process itself: each state is emitted (log e_t, then one of the
/// `beamWidth` best phones of the output network) or skipped (log(1 − e_t)); after the last state every
/// hypothesis takes the end-of-sequence step on a zero vector, and the best by log p (divided by
/// labels + 1 with length normalisation) wins.
struct SubsamplingDecoder: UtteranceDecoder, @unchecked Sendable {
    let encoder: StackedEncoder
    let inference: SubsamplingInference
    let search: DecodingConfig

    func decode(features: [Float], frames: Int) -> Hypothesis {
        let count = encoder.config.outputFrames(frames)
        let states = frames > 0 ? encoder.encode(features: features, frames: frames) : []
        if search.beamWidth == 1 {
            var greedy = GreedySubsampling(inference: inference)
            let emitted = greedy.consume(states: states, count: count)
            return Hypothesis(labels: emitted.map(\.label), frames: emitted.map(\.state),
                              logProbability: greedy.logProbability + greedy.endOfSequence())
        }
        return beamSearch(states: states, count: count)
    }

    private struct Beam {
        var labels: [Int] = []
        var frames: [Int?] = []
        var logProbability: Float = 0
        var state: LSTMState?
    }

    private func beamSearch(states: [Float], count: Int) -> Hypothesis {
        let M = inference.stateSize, width = search.beamWidth
        var beams = [Beam()]
        for t in 0..<count {
            let (emit, skip) = logSigmoids(inference.emissionLogit(states, at: t))
            let input = Array(states[(t * M)..<((t + 1) * M)])
            var candidates: [Beam] = []
            for beam in beams {
                var skipped = beam
                skipped.logProbability += skip
                candidates.append(skipped)
                let (logProbabilities, next) = inference.outputStep(input, state: beam.state)
                let phones = Array(logProbabilities.prefix(inference.labelCount))
                for label in phones.indices.sorted(by: { phones[$0] > phones[$1] }).prefix(width) {
                    candidates.append(Beam(labels: beam.labels + [label], frames: beam.frames + [t],
                                           logProbability: beam.logProbability + emit + phones[label], state: next))
                }
            }
            beams = Array(candidates.sorted { $0.logProbability > $1.logProbability }.prefix(width))
        }
        let zero = [Float](repeating: 0, count: M)
        let finished = beams.map { beam -> (Beam, Float) in
            var done = beam
            done.logProbability += inference.outputStep(zero, state: beam.state).logProbabilities[inference.labelCount]
            let rank = search.lengthNormalization ? done.logProbability / Float(done.labels.count + 1) : done.logProbability
            return (done, rank)
        }
        let best = finished.max { $0.1 < $1.1 }!.0
        return Hypothesis(labels: best.labels, frames: best.frames, logProbability: best.logProbability)
    }
}

/// Streaming recognition with a subsampling model whose encoder is unidirectional: the encoder runs on
/// the frames as they arrive, and each state with e_t > 0.5 gives its phone at once, timed at that
/// state's first frame. The output equals offline greedy decoding of the whole utterance.
public final class SubsamplingOnlineDecoder: OnlineDecoding {
    /// The model (read only).
    public let model: SubsamplingModel
    private var encoder: OnlineEncoder
    private var greedy: GreedySubsampling
    public private(set) var isFinished = false
    public private(set) var emissions: [Emission] = []

    /// A decoder over `model`, which must have a unidirectional encoder.
    public init(model: SubsamplingModel) throws {
        encoder = try OnlineEncoder(model.encoder)
        self.model = model
        greedy = GreedySubsampling(inference: model.inference())
    }

    public var stride: Int { model.frameStride }

    public func push(_ features: [Float]) -> [Emission] {
        guard !features.isEmpty, !isFinished else { return [] }
        let (states, count) = encoder.push(features)
        let emitted = greedy.consume(states: states, count: count).map { emission in
            Emission(label: emission.label, state: emission.state, frame: emission.state.map { $0 * stride })
        }
        emissions += emitted
        return emitted
    }

    public func finish() -> [Emission] {
        isFinished = true
        return []
    }
}
