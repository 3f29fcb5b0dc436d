import Randomness
import TensorCore

/// The parameters of one additive energy, declared once under `prefix`:
///
///     e_j = scale · vᵀ tanh(Wq s + bq + Wk h_j) + r,   scale = g/‖v‖ and r when weight-normalised, else 1 and 0
///
/// `prefix.query.weight` Wq [D, S], `prefix.bias` bq [D], `prefix.key.weight` Wk [D, M], `prefix.v` v [D], and
/// for a weight-normalised energy (monotonic, eq. 16) `prefix.gain` g [1] and `prefix.offset` r [1].
public struct EnergyParameters {
    /// Wq [D, S].
    public let queryWeight: Parameter
    /// bq [D].
    public let bias: Parameter
    /// Wk [D, M].
    public let keyWeight: Parameter
    /// v [D].
    public let v: Parameter
    /// g [1]; nil for a plain energy (softmax attention, eq. 15).
    public let gain: Parameter?
    /// r [1]; nil for a plain energy.
    public let offset: Parameter?

    /// Registers the energy's parameters in the order above: matrices and v uniform on ±initScale, bq 0,
    /// g = `normalisation.gain`, r = `normalisation.offset`.
    init(_ registry: ParameterRegistry, prefix: String, dim: Int, query: Int, memory: Int, initScale: Float,
         normalisation: (gain: Float, offset: Float)?, rng: inout Xoshiro256StarStar) throws {
        queryWeight = try registry.make("\(prefix).query.weight", shape: [dim, query], initializer: .uniform(limit: initScale), rng: &rng)
        bias = try registry.make("\(prefix).bias", shape: [dim], initializer: .constant(0), rng: &rng)
        keyWeight = try registry.make("\(prefix).key.weight", shape: [dim, memory], initializer: .uniform(limit: initScale), rng: &rng)
        v = try registry.make("\(prefix).v", shape: [dim], initializer: .uniform(limit: initScale), rng: &rng)
        if let normalisation {
            gain = try registry.make("\(prefix).gain", shape: [1], initializer: .constant(normalisation.gain), rng: &rng)
            offset = try registry.make("\(prefix).offset", shape: [1], initializer: .constant(normalisation.offset), rng: &rng)
        } else {
            gain = nil
            offset = nil
        }
    }

    /// Every parameter, in registration order.
    public var all: [Parameter] { [queryWeight, bias, keyWeight, v] + [gain, offset].compactMap { $0 } }

    /// The energy's weights read through `pointer` (the tape's values while training, a snapshot's copies at test time).
    func weights(_ pointer: (Parameter) -> UnsafePointer<Float>) -> EnergyWeights {
        EnergyWeights(queryWeight: pointer(queryWeight), queryBias: pointer(bias), keyWeight: pointer(keyWeight),
                      v: pointer(v), gain: gain.map { pointer($0)[0] } ?? 1, offset: offset.map { pointer($0)[0] } ?? 0,
                      normalised: gain != nil)
    }

    /// Gradient buffers matching `weights`, reached through `pointer`.
    func gradients(_ pointer: (Parameter) -> UnsafeMutablePointer<Float>) -> EnergyGradients {
        EnergyGradients(queryWeight: pointer(queryWeight), queryBias: pointer(bias), keyWeight: pointer(keyWeight),
                        v: pointer(v), gain: gain.map(pointer), offset: offset.map(pointer))
    }
}
