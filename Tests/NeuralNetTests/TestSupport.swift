import Randomness
import TensorCore

/// A parameter of `shape` with normal entries from `seed`, times `scale`, plus `shift`.
func randomParameter(_ name: String, _ shape: [Int], seed: UInt64, scale: Float = 1, shift: Float = 0) -> Parameter {
    var rng = Xoshiro256StarStar(seed: seed)
    return Parameter(name: name, value: Tensor(shape: shape) { _ in rng.nextNormal() * scale + shift })
}
