import Randomness
/// Finite-difference check of hand-written backward functions.
///
/// The checked function maps parameters to an output of any shape; the checker reduces it to the
/// scalar `L = Σ_i w_i · out_i` with fixed random weights `w` (so every output element matters),
/// computed in Float64. The analytic gradient comes from `Tape.backward(out, seed: w)`; the
/// numeric one, element by element, from the fourth-order central difference
/// `(8(L(θ+ε) - L(θ-ε)) - (L(θ+2ε) - L(θ-2ε))) / 12ε`, whose truncation error O(ε⁴) allows a
/// step large enough that Float32 rounding of the forward pass stays small.
///
/// ```swift
/// let x = Parameter(name: "x", value: Tensor(shape: [3, 4]) { _ in rng.nextNormal() })
/// let result = GradientCheck.run(parameters: [x]) { tape in tape.tanh(tape.parameter(x)) }
/// #expect(result.maxRelativeError < 1e-3)
/// ```
public enum GradientCheck {
    /// Outcome of one check.
    public struct Result: CustomStringConvertible, Sendable {
        /// `max_i |analytic_i - numeric_i| / max(max_j |numeric_j|, floor)` over all parameters.
        public let maxRelativeError: Double
        /// The parameter and element where the worst error occurred.
        public let worst: String
        /// Number of elements compared.
        public let checked: Int

        /// One line: the error and where it is worst.
        public var description: String { "max relative error \(maxRelativeError) at \(worst) over \(checked) elements" }
    }

    /// Compares analytic and numeric gradients of `function` with respect to every element of
    /// every parameter (each parameter's error is scaled by its own largest numeric gradient).
    ///
    /// - Parameters:
    ///   - epsilon: the finite-difference step (Float32 forward: 1e-3 to 1e-2 suits O(1) values).
    ///   - floor: lower bound of the scale, so all-zero gradients compare absolutely.
    ///   - seed: seeds the projection weights `w`.
    public static func run(parameters: [Parameter], epsilon: Float = 5e-3, floor: Double = 1e-3,
                           seed: UInt64 = 7, _ function: (Tape) -> Variable) -> Result {
        var rng = Xoshiro256StarStar(seed: seed)
        let probe = function(Tape(recording: false)).value
        let w = Tensor(shape: probe.shape) { _ in rng.nextUniform(-1, 1) }

        func projectedLoss() -> Double {
            let out = function(Tape(recording: false)).value
            return out.withUnsafeBufferPointer { o in
                w.withUnsafeBufferPointer { wp in
                    var s = 0.0
                    for i in 0..<o.count { s += Double(o[i]) * Double(wp[i]) }
                    return s
                }
            }
        }

        for p in parameters { p.zeroGradient() }
        let tape = Tape()
        let out = function(tape)
        tape.backward(out, seed: w)

        var worstError = 0.0
        var worst = "nothing"
        var checked = 0
        for p in parameters {
            let analytic = p.grad
            var numeric = [Double](repeating: 0, count: p.value.count)
            for i in 0..<p.value.count {
                let original = p.value.withUnsafeBufferPointer { $0[i] }
                func loss(at x: Float) -> Double {
                    p.value.withUnsafeMutableBufferPointer { $0[i] = x }
                    return projectedLoss()
                }
                let near = loss(at: original + epsilon) - loss(at: original - epsilon)
                let far = loss(at: original + 2 * epsilon) - loss(at: original - 2 * epsilon)
                p.value.withUnsafeMutableBufferPointer { $0[i] = original }
                numeric[i] = (8 * near - far) / (12 * Double(epsilon))
            }
            let scale = Swift.max(numeric.map(abs).max() ?? 0, floor)
            analytic.withUnsafeBufferPointer { a in
                for i in 0..<numeric.count {
                    let e = abs(Double(a[i]) - numeric[i]) / scale
                    if e >= worstError {
                        worstError = e
                        worst = "\(p.name)[\(i)] analytic \(a[i]) numeric \(numeric[i])"
                    }
                }
            }
            checked += numeric.count
            p.zeroGradient()
        }
        return Result(maxRelativeError: worstError, worst: worst, checked: checked)
    }
}
