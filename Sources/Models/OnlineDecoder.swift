import NeuralNet
import TensorCore

/// Why a model cannot be decoded online.
public enum OnlineDecodingError: Error, CustomStringConvertible, Equatable {
    /// A bidirectional encoder needs the whole input before its first state.
    case bidirectionalEncoder

    /// One line saying what is wrong.
    public var description: String {
        "online decoding needs a unidirectional encoder; this model's encoder is bidirectional (decode offline instead)"
    }
}

/// One phone emitted by online decoding.
public struct Emission: Sendable, Equatable {
    /// Phone id in 0..<labelCount.
    public var label: Int
    /// The encoder state attended when it was emitted (nil if nothing was attended).
    public var state: Int?
    /// The first input frame of that state: state × 2^(subsampled layers).
    public var frame: Int?
}

/// Streaming recognition with a unidirectional encoder: feature frames are pushed as they arrive, the
/// encoder runs on them carrying its LSTM states, and greedy decoding emits each phone as soon as its
/// hard monotonic (or MoChA) stop is found. The output equals offline greedy decoding of the whole
/// utterance (`Recognizer` with beam width 1). Softmax attention needs the whole input, so it emits
/// everything at `finish()`.
public final class OnlineDecoder {
    /// The model (read only).
    public let model: Seq2SeqModel
    private let decoder: DecoderSnapshot
    private let memory: AttentionMemory
    private let config: DecodingConfig
    private var layerStates: [LSTMState?]
    private var layerFrames: [Int]
    private var state: DecoderState
    private var label: Int
    private var pending: PendingStep?
    private var steps = 0
    private var inputFrames = 0
    /// Whether end of sequence was emitted (or the step limit reached at the end of input).
    public private(set) var isFinished = false
    /// Everything emitted so far.
    public private(set) var emissions: [Emission] = []

    /// A decoder over `model`, which must have a unidirectional encoder; `config.beamWidth` is ignored (greedy).
    public init(model: Seq2SeqModel, config: DecodingConfig = .init()) throws {
        guard !model.config.encoder.bidirectional else { throw OnlineDecodingError.bidirectionalEncoder }
        self.model = model
        self.config = config
        decoder = model.decoderSnapshot()
        memory = decoder.makeMemory()
        layerStates = Array(repeating: nil, count: model.config.encoder.layers)
        layerFrames = Array(repeating: 0, count: model.config.encoder.layers)
        state = decoder.initialState()
        label = model.config.decoder.startOfSequence
    }

    /// Input frames per encoder state.
    public var stride: Int { model.config.encoder.stride }

    /// Feeds feature frames [n, F] (row-major) and returns the phones newly emitted.
    public func push(_ features: [Float]) -> [Emission] {
        let F = model.config.encoder.inputSize
        precondition(features.count % F == 0, "\(features.count) values are not whole frames of \(F)")
        let n = features.count / F
        guard n > 0, !isFinished else { return [] }
        inputFrames += n
        memory.append(encodeChunk(features, frames: n))
        return advance()
    }

    /// Ends the input: the run-off rule applies to the last steps. Returns the phones newly emitted.
    public func finish() -> [Emission] {
        memory.complete()
        return advance()
    }

    /// The encoder over one chunk, carrying each layer's state and its subsampling phase.
    private func encodeChunk(_ features: [Float], frames n: Int) -> [Float] {
        let tape = Tape(recording: false)
        var h = tape.constant(Tensor(shape: [1, n, model.config.encoder.inputSize], scalars: features))
        for (k, directions) in model.encoderLayers.enumerated() {
            let (y, s) = directions[0].run(h, lengths: nil, initialState: layerStates[k], reverse: false, on: tape)
            layerStates[k] = s
            h = y
            if model.config.encoder.subsampleAfter.contains(k) {
                let count = h.shape[1], width = h.shape[2]
                let first = layerFrames[k] % 2 == 0 ? 0 : 1
                let kept = Array(Swift.stride(from: first, to: count, by: 2))
                let values = h.value.scalars
                var out = [Float]()
                out.reserveCapacity(kept.count * width)
                for t in kept { out += values[(t * width)..<((t + 1) * width)] }
                layerFrames[k] += count
                h = tape.constant(Tensor(shape: [1, kept.count, width], scalars: out))
            } else {
                layerFrames[k] += h.shape[1]
            }
            if h.shape[1] == 0 { return [] }
        }
        return h.value.scalars
    }

    /// Runs decoder steps while their attention can be decided with the states so far.
    private func advance() -> [Emission] {
        var emitted: [Emission] = []
        while !isFinished {
            let limit = config.maxSteps(states: memory.count)
            if steps >= limit {
                if memory.isComplete { isFinished = true }
                break
            }
            var step = pending ?? decoder.prepare(state, label: label)
            guard let out = decoder.attend(&step, memory: memory) else {
                pending = step
                break
            }
            pending = nil
            steps += 1
            let best = argmax(out.logProbabilities)
            if best == decoder.labelCount {
                isFinished = true
                break
            }
            let emission = Emission(label: best, state: out.frame, frame: out.frame.map { $0 * stride })
            emitted.append(emission)
            state = out.state
            label = best
        }
        emissions += emitted
        return emitted
    }
}
