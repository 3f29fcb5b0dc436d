import Randomness
import TensorCore

extension Tape {
    /// Inverted dropout: each element is zeroed with probability `rate` and the rest scaled by
    /// `1/(1 - rate)`, so the expectation is unchanged; masks come from `rng`. Call it only while
    /// training. Backward multiplies by the same mask.
    public func dropout(_ x: Variable, rate: Float, rng: inout Xoshiro256StarStar) -> Variable {
        precondition(rate >= 0 && rate < 1, "dropout rate \(rate) outside [0, 1)")
        guard rate > 0 else { return x }
        let keep = 1 / (1 - rate)
        let mask = Tensor(shape: x.shape) { _ in rng.nextUnit() < rate ? 0 : keep }
        return multiply(x, constant(mask))
    }
}

/// Dropout as a layer (no parameters): `[any shape]` → same shape.
public struct Dropout: Sendable, Equatable {
    /// Probability of zeroing an element, in [0, 1).
    public let rate: Float

    /// A dropout layer with `rate`.
    public init(rate: Float) { self.rate = rate }

    /// `x` unchanged unless `training`; then `tape.dropout(x, rate:rng:)`.
    public func callAsFunction(_ x: Variable, on tape: Tape, training: Bool, rng: inout Xoshiro256StarStar) -> Variable {
        training ? tape.dropout(x, rate: rate, rng: &rng) : x
    }
}
