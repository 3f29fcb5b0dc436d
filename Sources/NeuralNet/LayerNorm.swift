import Randomness
import TensorCore

/// Layer normalisation over the last axis: `y = γ ⊙ (x - μ) / √(σ² + ε) + β`, with μ and σ² the
/// mean and (biased) variance of each row.
///
/// Parameters `<name>.gain` `[features]` (ones) and `<name>.bias` `[features]` (zeros).
/// Input and output `[..., features]`.
public struct LayerNorm {
    /// γ `[features]`.
    public let gain: Parameter
    /// β `[features]`.
    public let bias: Parameter
    /// ε added to the variance.
    public let epsilon: Float

    /// Registers `<name>.gain` and `<name>.bias`.
    public init(_ registry: ParameterRegistry, name: String, features: Int, epsilon: Float = 1e-5,
                rng: inout Xoshiro256StarStar) throws(ParameterError) {
        gain = try registry.make("\(name).gain", shape: [features], initializer: .constant(1), rng: &rng)
        bias = try registry.make("\(name).bias", shape: [features], initializer: .constant(0), rng: &rng)
        self.epsilon = epsilon
    }

    /// `x` `[..., features]` → same shape.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        tape.layerNorm(x, gain: tape.parameter(gain), bias: tape.parameter(bias), epsilon: epsilon)
    }
}

extension Tape {
    /// Fused layer normalisation over the last axis (see `LayerNorm`), with the backward
    /// `dx = (1/σ)(dx̂ - mean(dx̂) - x̂·mean(dx̂ ⊙ x̂))`, `dx̂ = dy ⊙ γ`, `dγ = Σ dy ⊙ x̂`, `dβ = Σ dy`.
    public func layerNorm(_ x: Variable, gain: Variable, bias: Variable, epsilon: Float = 1e-5) -> Variable {
        let n = x.shape.last!
        precondition(gain.shape == [n] && bias.shape == [n], "layerNorm of \(x.shape) with gain \(gain.shape)")
        let rows = x.value.count / n
        var xhat = x.value
        var inverseStd = [Float](repeating: 0, count: rows)
        xhat.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows {
                let row = p.baseAddress! + r * n
                var mean = 0.0, sq = 0.0
                for j in 0..<n { mean += Double(row[j]) }
                mean /= Double(n)
                for j in 0..<n { let d = Double(row[j]) - mean; sq += d * d }
                let inv = Float(1 / (sq / Double(n) + Double(epsilon)).squareRoot())
                inverseStd[r] = inv
                for j in 0..<n { row[j] = (row[j] - Float(mean)) * inv }
            }
        }
        var y = xhat
        gain.value.withUnsafeBufferPointer { g in
            bias.value.withUnsafeBufferPointer { b in
                y.withUnsafeMutableBufferPointer { p in
                    for r in 0..<rows { for j in 0..<n { p[r * n + j] = p[r * n + j] * g[j] + b[j] } }
                }
            }
        }
        let gv = gain.value
        return record(inputs: [x, gain, bias], output: y) { ctx in
            guard let dy = ctx.outputGradient() else { return }
            dy.withUnsafeBufferPointer { d in
                xhat.withUnsafeBufferPointer { xh in
                    if ctx.needsGradient(0) {
                        gv.withUnsafeBufferPointer { g in
                            ctx.withGradient(0) { dx in
                                for r in 0..<rows {
                                    var m1: Float = 0, m2: Float = 0
                                    for j in 0..<n {
                                        let dxh = d[r * n + j] * g[j]
                                        m1 += dxh
                                        m2 += dxh * xh[r * n + j]
                                    }
                                    m1 /= Float(n)
                                    m2 /= Float(n)
                                    for j in 0..<n {
                                        let dxh = d[r * n + j] * g[j]
                                        dx[r * n + j] += inverseStd[r] * (dxh - m1 - xh[r * n + j] * m2)
                                    }
                                }
                            }
                        }
                    }
                    ctx.withGradient(1) { dg in
                        for r in 0..<rows { for j in 0..<n { dg[j] += d[r * n + j] * xh[r * n + j] } }
                    }
                    ctx.withGradient(2) { db in
                        Kernels.addColumnSums(d.baseAddress!, rows: rows, columns: n, into: db.baseAddress!)
                    }
                }
            }
        }
    }
}
