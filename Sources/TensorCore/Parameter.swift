import Randomness
/// A trainable tensor with a stable name and its accumulated gradient.
///
/// `grad` has the shape of `value` and accumulates over every `Tape.backward` until
/// `zeroGradient()` (so several mini-batches can be summed before one optimizer step).
public final class Parameter {
    /// Stable dotted name, e.g. `encoder.lstm0.weightIH`; checkpoints map by it.
    public let name: String
    /// Current value.
    public var value: Tensor
    /// Sum of the gradients of every backward pass since the last `zeroGradient()`.
    public var grad: Tensor

    /// A parameter named `name` holding `value`, with a zero gradient.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        grad = Tensor.zeros(value.shape)
    }

    /// Shape of `value`.
    public var shape: [Int] { value.shape }

    /// Sets `grad` to zero.
    public func zeroGradient() {
        grad.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
    }
}

/// How a new parameter's elements are drawn.
public enum Initializer: Sendable, Equatable {
    /// Every element equal to the value.
    case constant(Float)
    /// Uniform on `[-limit, limit]`.
    case uniform(limit: Float)
    /// Normal with mean 0 and the standard deviation.
    case normal(standardDeviation: Float)
    /// Glorot/Xavier uniform: limit `sqrt(6 / (fanIn + fanOut))`, fans from the last two axes.
    case glorotUniform
}

/// Errors of parameter registration.
public enum ParameterError: Error, CustomStringConvertible, Equatable {
    /// Two parameters were given the same name.
    case duplicateName(String)

    /// One-line explanation.
    public var description: String {
        switch self {
        case .duplicateName(let name): "parameter name '\(name)' is registered twice"
        }
    }
}

/// The flat, ordered collection of a model's parameters, by stable name.
///
/// Layers register their parameters here when they are built (`registry.make(...)`); optimizers,
/// gradient clipping and checkpoints walk `parameters` in registration order.
public final class ParameterRegistry {
    /// Parameters in registration order.
    public private(set) var parameters: [Parameter] = []
    private var byName: [String: Parameter] = [:]

    /// An empty registry.
    public init() {}

    /// Adds `parameter`; names must be unique.
    public func register(_ parameter: Parameter) throws(ParameterError) {
        guard byName[parameter.name] == nil else { throw .duplicateName(parameter.name) }
        byName[parameter.name] = parameter
        parameters.append(parameter)
    }

    /// Creates, initialises with `rng` and registers a parameter of `shape`.
    public func make(_ name: String, shape: [Int], initializer: Initializer,
                     rng: inout Xoshiro256StarStar) throws(ParameterError) -> Parameter {
        let value: Tensor
        switch initializer {
        case .constant(let c):
            value = Tensor(shape: shape, repeating: c)
        case .uniform(let limit):
            value = Tensor(shape: shape) { _ in rng.nextUniform(-limit, limit) }
        case .normal(let sd):
            value = Tensor(shape: shape) { _ in rng.nextNormal() * sd }
        case .glorotUniform:
            let fanOut = shape.count >= 2 ? shape[shape.count - 2] : shape.first ?? 1
            let fanIn = shape.last ?? 1
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            value = Tensor(shape: shape) { _ in rng.nextUniform(-limit, limit) }
        }
        let p = Parameter(name: name, value: value)
        try register(p)
        return p
    }

    /// The parameter called `name`, if any.
    public subscript(name: String) -> Parameter? { byName[name] }

    /// Total number of scalars over all parameters.
    public var scalarCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Zeroes every gradient.
    public func zeroGradients() { parameters.forEach { $0.zeroGradient() } }

    /// Redraws every matrix (every 2-D parameter), in registration order, uniform on ±limit(p): the
    /// models' "all matrices uniform on ±initScale" initialisation. Vectors (biases), and matrices whose
    /// limit is nil (kept as registered, with no draw), are left as they are.
    public func drawMatrices(rng: inout Xoshiro256StarStar, limit: (Parameter) -> Float?) {
        for p in parameters where p.shape.count == 2 {
            guard let bound = limit(p) else { continue }
            p.value.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] = rng.nextUniform(-bound, bound) }
            }
        }
    }
}
