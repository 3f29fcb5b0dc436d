import Randomness
import TensorCore

/// Fully connected layer `y = x · Wᵀ + b`.
///
/// Parameters: `<name>.weight` `[outputs, inputs]`, `<name>.bias` `[outputs]` (PyTorch layout).
/// Input `[..., inputs]`, output `[..., outputs]`.
public struct Linear {
    /// `[outputs, inputs]`.
    public let weight: Parameter
    /// `[outputs]`, or nil for a layer without bias.
    public let bias: Parameter?

    /// Registers `<name>.weight` (uniform ±1/√inputs) and, if `bias`, `<name>.bias` (zeros).
    public init(_ registry: ParameterRegistry, name: String, inputs: Int, outputs: Int, bias: Bool = true,
                rng: inout Xoshiro256StarStar) throws(ParameterError) {
        let limit = 1 / Float(inputs).squareRoot()
        weight = try registry.make("\(name).weight", shape: [outputs, inputs], initializer: .uniform(limit: limit), rng: &rng)
        self.bias = bias ? try registry.make("\(name).bias", shape: [outputs], initializer: .constant(0), rng: &rng) : nil
    }

    /// `x` `[..., inputs]` → `[..., outputs]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        tape.linear(x, weight: tape.parameter(weight), bias: bias.map { tape.parameter($0) })
    }
}
