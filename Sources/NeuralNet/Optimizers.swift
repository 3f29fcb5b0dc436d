import Options
import Randomness
import TensorCore

/// What an optimizer keeps between steps, for checkpoints: tensors by name and a step count.
public struct OptimizerState: Equatable, Sendable {
    /// Steps taken so far.
    public var step: Int
    /// Per-parameter moments, named `<kind>.<parameter name>` (e.g. `m.encoder.lstm0.bias`).
    public var tensors: [String: Tensor]

    /// A state from its parts.
    public init(step: Int, tensors: [String: Tensor]) {
        self.step = step
        self.tensors = tensors
    }

    /// Checks that every tensor belongs to one of `parameters` (by the name after its kind
    /// prefix) and has its shape; `file` names the source in the error.
    public func check(against parameters: [Parameter], file: String) throws(CheckpointError) {
        let shapes = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.shape) })
        for name in tensors.keys.sorted() {
            guard let dot = name.firstIndex(of: "."), let shape = shapes[String(name[name.index(after: dot)...])] else {
                throw .unexpectedTensor(name: name, file: file)
            }
            if tensors[name]!.shape != shape {
                throw .shapeMismatch(name: name, file: file, expected: shape, found: tensors[name]!.shape)
            }
        }
    }
}

/// A first-order optimizer updating parameters from their accumulated `grad`.
public protocol Optimizer {
    /// One update of every parameter with learning rate `learningRate` (from a schedule).
    mutating func step(_ parameters: [Parameter], learningRate: Float)
    /// Everything needed to resume.
    var state: OptimizerState { get }
    /// Restores a state saved from an optimizer of the same kind over the same parameters
    /// (check it first with `OptimizerState.check(against:file:)`).
    mutating func restore(_ state: OptimizerState) throws(CheckpointError)
}

/// Options of Adam and AdamW.
public struct AdamOptions: Codable, Sendable, Equatable {
    /// β1, decay of the first moment (default 0.9).
    public var beta1: Float = 0.9
    /// β2, decay of the second moment (default 0.999).
    public var beta2: Float = 0.999
    /// ε added to `√v̂` (default 1e-8).
    public var epsilon: Float = 1e-8
    /// Weight decay λ (default 0): added to the gradient as `λθ` (L2), or, when `decoupled`,
    /// applied as `θ ← θ(1 - lr·λ)` before the Adam step (AdamW).
    public var weightDecay: Float = 0
    /// AdamW's decoupled weight decay instead of L2 (default false).
    public var decoupled: Bool = false

    /// Options with the documented defaults unless given.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
                decoupled: Bool = false) {
        (self.beta1, self.beta2, self.epsilon, self.weightDecay, self.decoupled) = (beta1, beta2, epsilon, weightDecay, decoupled)
    }

    /// Checks every field's range.
    public func validate() throws(OptionError) {
        try require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "[0, 1)")
        try require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "[0, 1)")
        try require(epsilon > 0, "epsilon", epsilon, "> 0")
        try require(weightDecay >= 0, "weightDecay", weightDecay, "≥ 0")
    }
}

/// Adam (Kingma & Ba) and AdamW (Loshchilov & Hutter), PyTorch's update rules:
/// `g = ∇ + λθ` (L2 only), `m ← β1 m + (1-β1) g`, `v ← β2 v + (1-β2) g²`,
/// `θ ← θ - lr · (m / (1-β1ᵗ)) / (√(v / (1-β2ᵗ)) + ε)`.
public struct Adam: Optimizer {
    /// The options.
    public let options: AdamOptions
    private var m: [String: Tensor] = [:]
    private var v: [String: Tensor] = [:]
    private var t = 0

    /// Adam with `options` (validated).
    public init(options: AdamOptions = .init()) throws(OptionError) {
        try options.validate()
        self.options = options
    }

    /// One Adam step over `parameters`.
    public mutating func step(_ parameters: [Parameter], learningRate lr: Float) {
        t += 1
        let (b1, b2, eps, wd) = (options.beta1, options.beta2, options.epsilon, options.weightDecay)
        let c1 = Float(1 - LibM.pow(Double(b1), Double(t))), c2 = Float(1 - LibM.pow(Double(b2), Double(t)))
        for p in parameters {
            var mp = m[p.name] ?? Tensor.zeros(p.shape)
            var vp = v[p.name] ?? Tensor.zeros(p.shape)
            precondition(mp.shape == p.shape && vp.shape == p.shape,
                         "Adam moments of \(p.name) have shape \(mp.shape), the parameter \(p.shape): check restored states with OptimizerState.check(against:file:)")
            m[p.name] = nil
            v[p.name] = nil
            let decoupled = options.decoupled
            p.grad.withUnsafeBufferPointer { g in
                mp.withUnsafeMutableBufferPointer { mb in
                    vp.withUnsafeMutableBufferPointer { vb in
                        p.value.withUnsafeMutableBufferPointer { w in
                            ComputeThreads.forEachBlock(of: w.count) { _, block in
                                for i in block {
                                    var gi = g[i]
                                    if decoupled { w[i] *= 1 - lr * wd } else { gi += wd * w[i] }
                                    mb[i] = b1 * mb[i] + (1 - b1) * gi
                                    vb[i] = b2 * vb[i] + (1 - b2) * gi * gi
                                    w[i] -= lr * (mb[i] / c1) / ((vb[i] / c2).squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
            m[p.name] = mp
            v[p.name] = vp
        }
    }

    /// Step count and moments `m.<name>`, `v.<name>`.
    public var state: OptimizerState {
        var tensors: [String: Tensor] = [:]
        for (k, x) in m { tensors["m.\(k)"] = x }
        for (k, x) in v { tensors["v.\(k)"] = x }
        return OptimizerState(step: t, tensors: tensors)
    }

    /// Restores moments and step count.
    public mutating func restore(_ state: OptimizerState) throws(CheckpointError) {
        var m: [String: Tensor] = [:], v: [String: Tensor] = [:]
        for (k, x) in state.tensors {
            if k.hasPrefix("m.") { m[String(k.dropFirst(2))] = x } else if k.hasPrefix("v.") { v[String(k.dropFirst(2))] = x } else {
                throw .unexpectedTensor(name: k, file: "optimizer state")
            }
        }
        self.m = m
        self.v = v
        t = state.step
    }
}

/// Options of stochastic gradient descent.
public struct SGDOptions: Codable, Sendable, Equatable {
    /// Momentum μ (default 0.9; 0 is plain SGD).
    public var momentum: Float = 0.9
    /// L2 weight decay λ added to the gradient as `λθ` (default 0).
    public var weightDecay: Float = 0

    /// Options with the documented defaults unless given.
    public init(momentum: Float = 0.9, weightDecay: Float = 0) {
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// Checks every field's range.
    public func validate() throws(OptionError) {
        try require(momentum >= 0 && momentum < 1, "momentum", momentum, "[0, 1)")
        try require(weightDecay >= 0, "weightDecay", weightDecay, "≥ 0")
    }
}

/// SGD with momentum, PyTorch's rule: `g = ∇ + λθ`, `b ← μ b + g` (`b = g` at the first step),
/// `θ ← θ - lr · b`.
public struct SGD: Optimizer {
    /// The options.
    public let options: SGDOptions
    private var buffers: [String: Tensor] = [:]
    private var t = 0

    /// SGD with `options` (validated).
    public init(options: SGDOptions = .init()) throws(OptionError) {
        try options.validate()
        self.options = options
    }

    /// One SGD step over `parameters`.
    public mutating func step(_ parameters: [Parameter], learningRate lr: Float) {
        t += 1
        let (mu, wd) = (options.momentum, options.weightDecay)
        for p in parameters {
            let first = buffers[p.name] == nil
            var b = buffers[p.name] ?? Tensor.zeros(p.shape)
            precondition(b.shape == p.shape,
                         "SGD momentum of \(p.name) has shape \(b.shape), the parameter \(p.shape): check restored states with OptimizerState.check(against:file:)")
            buffers[p.name] = nil
            p.grad.withUnsafeBufferPointer { g in
                b.withUnsafeMutableBufferPointer { bb in
                    p.value.withUnsafeMutableBufferPointer { w in
                        ComputeThreads.forEachBlock(of: w.count) { _, block in
                            for i in block {
                                let gi = g[i] + wd * w[i]
                                bb[i] = mu == 0 || first ? gi : mu * bb[i] + gi
                                w[i] -= lr * bb[i]
                            }
                        }
                    }
                }
            }
            buffers[p.name] = b
        }
    }

    /// Step count and momentum buffers `momentum.<name>`.
    public var state: OptimizerState {
        OptimizerState(step: t, tensors: Dictionary(uniqueKeysWithValues: buffers.map { ("momentum.\($0.key)", $0.value) }))
    }

    /// Restores buffers and step count.
    public mutating func restore(_ state: OptimizerState) throws(CheckpointError) {
        var b: [String: Tensor] = [:]
        for (k, x) in state.tensors {
            guard k.hasPrefix("momentum.") else { throw .unexpectedTensor(name: k, file: "optimizer state") }
            b[String(k.dropFirst("momentum.".count))] = x
        }
        buffers = b
        t = state.step
    }
}

/// Gradient clipping by the global norm over all parameters.
public enum GradientClipping {
    /// Scales every gradient by `maxNorm / (‖g‖ + 1e-6)` when the global norm
    /// `‖g‖ = √(Σ_p Σ_i g²)` exceeds `maxNorm`; returns `‖g‖` before clipping.
    ///
    /// The squares are summed in Float64 per block of `ComputeThreads.blockSize` elements (blocks
    /// shared among the threads), then block by block in order: the same norm on any thread count.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var sum = 0.0
        for p in parameters {
            p.grad.withUnsafeBufferPointer { g in
                var partial = [Double](repeating: 0, count: (g.count + ComputeThreads.blockSize - 1) / ComputeThreads.blockSize)
                partial.withUnsafeMutableBufferPointer { sums in
                    ComputeThreads.forEachBlock(of: g.count) { b, block in
                        var s = 0.0
                        for i in block { s += Double(g[i]) * Double(g[i]) }
                        sums[b] = s
                    }
                }
                for s in partial { sum += s }
            }
        }
        let norm = sum.squareRoot()
        let coefficient = Double(maxNorm) / (norm + 1e-6)
        if coefficient < 1 {
            let c = Float(coefficient)
            for p in parameters {
                p.grad.withUnsafeMutableBufferPointer { g in
                    ComputeThreads.forEachBlock(of: g.count) { _, block in for i in block { g[i] *= c } }
                }
            }
        }
        return Float(norm)
    }
}
