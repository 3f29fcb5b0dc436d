import Randomness
import TensorCore

extension RandomNumberGenerator {
    /// `count` uniform draws from `range` (`uniform(_:)`, rounded to Float).
    public mutating func floats(_ count: Int, _ range: ClosedRange<Double>) -> [Float] {
        (0..<count).map { _ in Float(uniform(range)) }
    }
}

/// A parameter of `shape` with entries `nextNormal() · scale + shift` from `Xoshiro256StarStar(seed:)`.
public func randomParameter(_ name: String, _ shape: [Int], seed: UInt64, scale: Float = 1, shift: Float = 0) -> Parameter {
    var rng = Xoshiro256StarStar(seed: seed)
    return Parameter(name: name, value: Tensor(shape: shape) { _ in rng.nextNormal() * scale + shift })
}
