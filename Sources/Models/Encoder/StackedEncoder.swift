import NeuralNet
import Randomness
import TensorCore

/// The shared acoustic encoder: stacked (bi)LSTM layers over feature frames x [B, T, F], keeping
/// frames 0, 2, 4, … after the layers in `config.subsampleAfter`, giving states [B, T', M].
///
/// Parameters: `encoder.lstm<k>.{weightIH [4H, in], weightHH [4H, H], bias [4H]}` and
/// `encoder.lstm<k>.reverse.*` when bidirectional.
public struct StackedEncoder {
    /// The encoder's shape.
    public let config: EncoderConfig
    /// Layer k's weights: forward, then reverse when bidirectional.
    let layers: [[LSTMWeights]]

    /// The time reduction after the chosen layers: keep frames 0, 2, 4, ….
    static let subsampling = FrameSubsamplingOptions(factor: 2, mode: .drop)

    /// Registers the layers' parameters in order under `name` (`<name>.lstm<k>…`; forget-gate biases 1).
    init(_ registry: ParameterRegistry, name: String = "encoder", config: EncoderConfig, rng: inout Xoshiro256StarStar) throws {
        self.config = config
        var layers: [[LSTMWeights]] = []
        for k in 0..<config.layers {
            let inputs = k == 0 ? config.inputSize : config.outputSize
            var directions = [try LSTMWeights(registry, name: "\(name).lstm\(k)", inputs: inputs, hidden: config.hiddenSize,
                                              forgetBias: 1, rng: &rng)]
            if config.bidirectional {
                directions.append(try LSTMWeights(registry, name: "\(name).lstm\(k).reverse", inputs: inputs,
                                                  hidden: config.hiddenSize, forgetBias: 1, rng: &rng))
            }
            layers.append(directions)
        }
        self.layers = layers
    }

    /// States [B, T', M] of x [B, T, F] with `lengths`, and their lengths (dropout between layers while `training`).
    /// `gate(k, h)`, when given, replaces layer k's output as it goes on (after subsampling and the next
    /// layer's dropout; the top layer's: the states).
    func callAsFunction(_ x: Variable, lengths: [Int], on tape: Tape, training: Bool, rng: inout Xoshiro256StarStar,
                        gate: ((_ layer: Int, _ h: Variable) -> Variable)? = nil)
        -> (states: Variable, lengths: [Int])
    {
        var h = x
        var lens = lengths
        for (k, directions) in layers.enumerated() {
            if k > 0 && training && config.dropout > 0 {
                h = tape.dropout(h, rate: config.dropout, rng: &rng)
            }
            if k > 0, let gate { h = gate(k - 1, h) }
            let outputs = directions.enumerated().map { d, w in
                w.run(h, lengths: lens, initialState: nil, reverse: d == 1, on: tape).output
            }
            h = outputs.count == 1 ? outputs[0] : tape.concat(outputs, axis: 2)
            if config.subsampleAfter.contains(k) {
                h = tape.subsampleFrames(h, options: Self.subsampling)
                lens = lens.map(Self.subsampling.outputLength)
            }
        }
        if let gate { h = gate(layers.count - 1, h) }
        return (h, lens)
    }

    /// Frames per encoder state of layer k's output after its own subsampling: 2^(subsampling steps after layer k).
    func stateStride(afterLayer k: Int) -> Int { 1 << config.subsampleAfter.filter { $0 > k }.count }

    /// States [T', M] (row-major) of one utterance's features [frames, F], no dropout.
    public func encode(features: [Float], frames: Int) -> [Float] {
        let tape = Tape(recording: false)
        var unused = Xoshiro256StarStar(seed: 0)
        let x = Tensor(shape: [1, frames, config.inputSize], scalars: features)
        return self(tape.constant(x), lengths: [frames], on: tape, training: false, rng: &unused).states.value.scalars
    }

    /// The padded feature tensor [B, T, F] of `batch` and its lengths.
    func features(_ batch: [Example]) -> (Tensor, [Int]) { Self.paddedFeatures(batch, inputSize: config.inputSize) }

    /// States [B, T', M] of a training or dev `batch` and their lengths (dropout between layers while `training`;
    /// `gate` as in `callAsFunction`).
    func states(of batch: [Example], on tape: Tape, training: Bool, rng: inout Xoshiro256StarStar,
                gate: ((_ layer: Int, _ h: Variable) -> Variable)? = nil)
        -> (states: Variable, lengths: [Int])
    {
        let (x, lengths) = features(batch)
        return self(tape.constant(x), lengths: lengths, on: tape, training: training, rng: &rng, gate: gate)
    }

    /// The padded feature tensor [B, T, F] (zeros after each utterance's end) of `batch` and its lengths.
    static func paddedFeatures(_ batch: [Example], inputSize F: Int) -> (Tensor, [Int]) {
        let T = batch.map(\.frames).max() ?? 0
        var x = Tensor.zeros([batch.count, T, F])
        x.withUnsafeMutableBufferPointer { p in
            for (b, e) in batch.enumerated() {
                precondition(e.features.count == e.frames * F, "utterance \(e.id): features are not [frames, \(F)]")
                (p.baseAddress! + b * T * F).update(from: e.features, count: e.features.count)
            }
        }
        return (x, batch.map(\.frames))
    }
}

/// A family whose input side is the shared `StackedEncoder`: its input size, frame stride and state count
/// are the encoder's.
public protocol StackedEncoderModel: RecognitionModel {
    /// The encoder.
    var encoder: StackedEncoder { get }
}

extension StackedEncoderModel {
    /// Features per input frame: the encoder's input size.
    public var inputSize: Int { encoder.config.inputSize }
    /// Input frames per encoder state: 2^(subsampled layers).
    public var frameStride: Int { encoder.config.stride }
    /// Encoder states of `frames` input frames.
    public func encoderStates(frames: Int) -> Int { encoder.config.outputFrames(frames) }
}

/// Why a model cannot be decoded online.
public enum OnlineDecodingError: Error, CustomStringConvertible, Equatable {
    /// A bidirectional encoder needs the whole input before its first state.
    case bidirectionalEncoder

    /// One line saying what is wrong.
    public var description: String {
        "online decoding needs a unidirectional encoder; this model's encoder is bidirectional (decode offline instead)"
    }
}

/// The encoder run chunk by chunk as frames arrive, carrying each layer's LSTM state and subsampling
/// phase: the states it returns, concatenated, equal `StackedEncoder.encode` of the whole input.
public struct OnlineEncoder {
    private let encoder: StackedEncoder
    private var layerStates: [LSTMState?]
    private var layerFrames: [Int]

    /// An online run of `encoder`, which must be unidirectional.
    public init(_ encoder: StackedEncoder) throws {
        guard !encoder.config.bidirectional else { throw OnlineDecodingError.bidirectionalEncoder }
        self.encoder = encoder
        layerStates = Array(repeating: nil, count: encoder.config.layers)
        layerFrames = Array(repeating: 0, count: encoder.config.layers)
    }

    /// The new states [n', M] (row-major) and n' from the next whole feature frames [n, F] (row-major).
    public mutating func push(_ features: [Float]) -> (states: [Float], count: Int) {
        let F = encoder.config.inputSize
        precondition(features.count % F == 0, "\(features.count) values are not whole frames of \(F)")
        guard features.count > 0 else { return ([], 0) }
        let states = push(features, frames: features.count / F)
        return (states, states.count / encoder.config.outputSize)
    }

    /// The new states [n', M] (row-major) from the next feature frames [n, F].
    public mutating func push(_ features: [Float], frames n: Int) -> [Float] {
        let tape = Tape(recording: false)
        var h = tape.constant(Tensor(shape: [1, n, encoder.config.inputSize], scalars: features))
        for (k, directions) in encoder.layers.enumerated() {
            let (y, s) = directions[0].run(h, lengths: nil, initialState: layerStates[k], reverse: false, on: tape)
            layerStates[k] = s
            h = y
            if encoder.config.subsampleAfter.contains(k) {
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
}
