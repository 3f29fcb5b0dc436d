import Options
import Randomness
import TensorCore

/// Options of a stacked, optionally bidirectional LSTM.
public struct LSTMConfig: Codable, Sendable, Equatable {
    /// Features per input frame (default 123: 40 fbank + energy, with deltas and delta-deltas).
    public var inputSize: Int = 123
    /// Hidden units per direction (default 512).
    public var hiddenSize: Int = 512
    /// Stacked layers (default 3).
    public var layers: Int = 3
    /// Whether each layer also runs right to left and concatenates (default false: online use).
    public var bidirectional: Bool = false
    /// Dropout rate between layers while training (default 0).
    public var dropout: Float = 0
    /// Initial forget-gate bias (default 1, so early training remembers).
    public var forgetBias: Float = 1

    /// A configuration; every argument has the documented default.
    public init(inputSize: Int = 123, hiddenSize: Int = 512, layers: Int = 3, bidirectional: Bool = false,
                dropout: Float = 0, forgetBias: Float = 1) {
        (self.inputSize, self.hiddenSize, self.layers) = (inputSize, hiddenSize, layers)
        (self.bidirectional, self.dropout, self.forgetBias) = (bidirectional, dropout, forgetBias)
    }

    /// Checks every field's range.
    public func validate() throws(OptionError) {
        try require(inputSize >= 1, "inputSize", inputSize, "≥ 1")
        try require(hiddenSize >= 1, "hiddenSize", hiddenSize, "≥ 1")
        try require(layers >= 1, "layers", layers, "≥ 1")
        try require(dropout >= 0 && dropout < 1, "dropout", dropout, "[0, 1)")
        try require(forgetBias.isFinite, "forgetBias", forgetBias, "finite")
    }

    /// Features per output frame: `hiddenSize`, doubled when bidirectional.
    public var outputSize: Int { bidirectional ? 2 * hiddenSize : hiddenSize }
}

/// The weights of one LSTM direction (also a single-step cell): `<name>.weightIH` `[4H, inputs]`,
/// `<name>.weightHH` `[4H, H]`, `<name>.bias` `[4H]`, gates ordered i, f, g, o.
///
/// Weights are uniform on ±1/√H (PyTorch's default); the bias is 0 except the forget gate's.
public struct LSTMWeights {
    /// `[4H, inputs]`.
    public let weightIH: Parameter
    /// `[4H, H]`.
    public let weightHH: Parameter
    /// `[4H]`: one bias (PyTorch's `bias_ih + bias_hh`).
    public let bias: Parameter
    /// Hidden units `H`.
    public var hiddenSize: Int { weightHH.shape[1] }

    /// Registers the three parameters under `name`.
    public init(_ registry: ParameterRegistry, name: String, inputs: Int, hidden: Int, forgetBias: Float,
                rng: inout Xoshiro256StarStar) throws(ParameterError) {
        let limit = 1 / Float(hidden).squareRoot()
        weightIH = try registry.make("\(name).weightIH", shape: [4 * hidden, inputs], initializer: .uniform(limit: limit), rng: &rng)
        weightHH = try registry.make("\(name).weightHH", shape: [4 * hidden, hidden], initializer: .uniform(limit: limit), rng: &rng)
        bias = try registry.make("\(name).bias", shape: [4 * hidden], initializer: .constant(0), rng: &rng)
        bias.value.withUnsafeMutableBufferPointer { b in
            for j in hidden..<(2 * hidden) { b[j] = forgetBias }
        }
    }

    /// Runs over `x` `[batch, time, inputs]`; see `Tape.lstm` (`inputFeedback` `[inputs, 4H]` replaces W_ihᵀ
    /// in the input's gradient).
    public func run(_ x: Variable, lengths: [Int]?, initialState: LSTMState?, reverse: Bool, on tape: Tape,
                    credit: RecurrentCredit = .throughTime, inputFeedback: Tensor? = nil) -> (output: Variable, state: LSTMState)
    {
        tape.lstm(x, weightIH: tape.parameter(weightIH), weightHH: tape.parameter(weightHH), bias: tape.parameter(bias),
                  initialState: initialState, lengths: lengths, reverse: reverse, credit: credit, inputFeedback: inputFeedback)
    }
}

/// A single LSTM step, for decoders that interleave other work (attention) between steps.
///
/// Parameters `<name>.weightIH` `[4H, inputs]`, `<name>.weightHH` `[4H, H]`, `<name>.bias` `[4H]`.
/// Input `[batch, inputs]` and state `[batch, H]` → new state `[batch, H]`.
public struct LSTMCell {
    /// The cell's weights.
    public let weights: LSTMWeights

    /// Registers the cell's parameters under `name`.
    public init(_ registry: ParameterRegistry, name: String, inputs: Int, hidden: Int, forgetBias: Float = 1,
                rng: inout Xoshiro256StarStar) throws(ParameterError) {
        weights = try LSTMWeights(registry, name: name, inputs: inputs, hidden: hidden, forgetBias: forgetBias, rng: &rng)
    }

    /// A zero state `[batch, H]`.
    public func zeroState(batch: Int, on tape: Tape) -> LSTMState {
        let z = Tensor.zeros([batch, weights.hiddenSize])
        return LSTMState(h: tape.constant(z), c: tape.constant(z))
    }

    /// One step: `x` `[batch, inputs]`, `state` `[batch, H]` (zero if nil) → the new state.
    public func callAsFunction(_ x: Variable, state: LSTMState?, on tape: Tape) -> LSTMState {
        precondition(x.shape.count == 2, "LSTMCell input \(x.shape) is not [batch, inputs]")
        let x3 = tape.reshape(x, [x.shape[0], 1, x.shape[1]])
        return weights.run(x3, lengths: nil, initialState: state, reverse: false, on: tape).state
    }
}

/// Stacked (and optionally bidirectional) LSTM over padded batches.
///
/// Parameters per layer `k`: `<name>.lstm<k>.{weightIH, weightHH, bias}` and, when bidirectional,
/// `<name>.lstm<k>.reverse.{weightIH, weightHH, bias}`. Input `[batch, time, inputSize]`,
/// output `[batch, time, outputSize]` (zero at padded frames). The state list holds one
/// `LSTMState` per layer and direction (layer 0 forward, layer 0 reverse, layer 1 ...); passing
/// the returned state into the next call continues a stream chunk by chunk.
public struct LSTM {
    /// The configuration.
    public let config: LSTMConfig
    /// Weights per layer: `[forward]` or `[forward, reverse]`.
    public let weights: [[LSTMWeights]]

    /// Validates `config` and registers every layer's parameters under `name`.
    public init(_ registry: ParameterRegistry, name: String, config: LSTMConfig, rng: inout Xoshiro256StarStar) throws {
        try config.validate()
        self.config = config
        var layers: [[LSTMWeights]] = []
        for k in 0..<config.layers {
            let inputs = k == 0 ? config.inputSize : config.outputSize
            var directions = [try LSTMWeights(registry, name: "\(name).lstm\(k)", inputs: inputs, hidden: config.hiddenSize,
                                              forgetBias: config.forgetBias, rng: &rng)]
            if config.bidirectional {
                directions.append(try LSTMWeights(registry, name: "\(name).lstm\(k).reverse", inputs: inputs,
                                                  hidden: config.hiddenSize, forgetBias: config.forgetBias, rng: &rng))
            }
            layers.append(directions)
        }
        weights = layers
    }

    /// Runs all layers without dropout. `lengths[b]` ≤ time (nil: all full);
    /// `initialState` as returned by a previous call (nil: zeros).
    public func callAsFunction(_ x: Variable, lengths: [Int]? = nil, initialState: [LSTMState]? = nil,
                               on tape: Tape) -> (output: Variable, state: [LSTMState]) {
        var unused = Xoshiro256StarStar(seed: 0)
        return callAsFunction(x, lengths: lengths, initialState: initialState, on: tape, training: false, rng: &unused)
    }

    /// Runs all layers; while `training`, applies dropout (`config.dropout`, masks from `rng`)
    /// to the input of every layer after the first.
    public func callAsFunction(_ x: Variable, lengths: [Int]? = nil, initialState: [LSTMState]? = nil, on tape: Tape,
                               training: Bool, rng: inout Xoshiro256StarStar) -> (output: Variable, state: [LSTMState]) {
        precondition(x.shape.count == 3 && x.shape[2] == config.inputSize,
                     "LSTM input \(x.shape) is not [batch, time, \(config.inputSize)]")
        let perLayer = config.bidirectional ? 2 : 1
        if let s = initialState { precondition(s.count == config.layers * perLayer, "\(s.count) initial states for \(config.layers * perLayer) directions") }
        var h = x
        var states: [LSTMState] = []
        for (k, directions) in weights.enumerated() {
            if k > 0 && training && config.dropout > 0 {
                h = tape.dropout(h, rate: config.dropout, rng: &rng)
            }
            var outputs: [Variable] = []
            for (d, w) in directions.enumerated() {
                let initial = initialState?[k * perLayer + d]
                let (y, s) = w.run(h, lengths: lengths, initialState: initial, reverse: d == 1, on: tape)
                outputs.append(y)
                states.append(s)
            }
            h = outputs.count == 1 ? outputs[0] : tape.concat(outputs, axis: 2)
        }
        return (h, states)
    }
}
