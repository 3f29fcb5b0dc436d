import Randomness
import TensorCore

/// Gaussian weight noise (Graves 2011): before a forward pass every weight gets `θ + n`,
/// `n ~ N(0, σ²)`; after the backward pass the noise is removed, so the optimizer updates the
/// clean weights with gradients taken at the noisy ones.
///
/// ```swift
/// let noise = WeightNoise.apply(to: registry.parameters, standardDeviation: 0.075, rng: &rng)
/// ... forward, backward ...
/// noise.remove()
/// optimizer.step(registry.parameters, learningRate: lr)
/// ```
public struct WeightNoise {
    private let parameters: [Parameter]
    private let noise: [Tensor]

    /// Adds fresh noise with standard deviation `standardDeviation` to every parameter.
    public static func apply(to parameters: [Parameter], standardDeviation: Float,
                             rng: inout Xoshiro256StarStar) -> WeightNoise {
        var noise: [Tensor] = []
        for p in parameters {
            let n = Tensor(shape: p.shape) { _ in rng.nextNormal() * standardDeviation }
            n.withUnsafeBufferPointer { src in
                p.value.withUnsafeMutableBufferPointer { w in for i in 0..<w.count { w[i] += src[i] } }
            }
            noise.append(n)
        }
        return WeightNoise(parameters: parameters, noise: noise)
    }

    /// Subtracts the noise again.
    public func remove() {
        for (p, n) in zip(parameters, noise) {
            n.withUnsafeBufferPointer { src in
                p.value.withUnsafeMutableBufferPointer { w in for i in 0..<w.count { w[i] -= src[i] } }
            }
        }
    }
}
