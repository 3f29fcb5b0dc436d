import Foundation
import Randomness
import Testing
import NeuralNet
import Options
import TensorCore
import TestSupport
import Testing

/// Update rules against hand-written Float64 recurrences over three steps with fixed gradients.
@Suite struct OptimizerTests {
    let start: [Double] = [0.5, -1.25, 2]
    let gradients: [[Double]] = [[0.1, -0.4, 1.5], [-0.2, 0.3, 0.5], [0.05, 0.05, -2]]

    func runSwift(_ optimizer: inout some Optimizer, lr: Float) -> [Float] {
        let p = Parameter(name: "w", value: Tensor(shape: [3], scalars: start.map(Float.init)))
        for g in gradients {
            p.grad = Tensor(shape: [3], scalars: g.map(Float.init))
            optimizer.step([p], learningRate: lr)
        }
        return p.value.scalars
    }

    @Test(arguments: [(Float(0), false), (0.1, false), (0.1, true)])
    func adamAndAdamW(weightDecay: Float, decoupled: Bool) throws {
        let (lr, b1, b2, eps, wd) = (0.01, 0.9, 0.999, 1e-8, Double(weightDecay))
        var w = start, m = [0.0, 0, 0], v = [0.0, 0, 0]
        for (t, g0) in gradients.enumerated() {
            for i in 0..<3 {
                var g = g0[i]
                if decoupled { w[i] *= 1 - lr * wd } else { g += wd * w[i] }
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                let mh = m[i] / (1 - pow(b1, Double(t + 1))), vh = v[i] / (1 - pow(b2, Double(t + 1)))
                w[i] -= lr * mh / (vh.squareRoot() + eps)
            }
        }
        var adam = try Adam(options: AdamOptions(weightDecay: weightDecay, decoupled: decoupled))
        let got = runSwift(&adam, lr: Float(lr))
        for i in 0..<3 { #expect(abs(Double(got[i]) - w[i]) < 1e-6, "element \(i): \(got[i]) vs \(w[i])") }
        #expect(adam.state.step == 3)
    }

    @Test(arguments: [(Float(0), Float(0)), (0.9, 0), (0.9, 0.01)])
    func sgdWithMomentum(momentum: Float, weightDecay: Float) throws {
        let (lr, mu, wd) = (0.1, Double(momentum), Double(weightDecay))
        var w = start, buffer = [0.0, 0, 0]
        for (t, g0) in gradients.enumerated() {
            for i in 0..<3 {
                let g = g0[i] + wd * w[i]
                buffer[i] = t == 0 || mu == 0 ? g : mu * buffer[i] + g
                w[i] -= lr * buffer[i]
            }
        }
        var sgd = try SGD(options: SGDOptions(momentum: momentum, weightDecay: weightDecay))
        let got = runSwift(&sgd, lr: Float(lr))
        for i in 0..<3 { #expect(abs(Double(got[i]) - w[i]) < 1e-6) }
    }

    @Test func resumingFromSavedStateContinuesIdentically() throws {
        var a = try Adam()
        let p = Parameter(name: "w", value: Tensor(shape: [3], scalars: start.map(Float.init)))
        p.grad = Tensor(shape: [3], scalars: [0.1, 0.2, 0.3])
        a.step([p], learningRate: 0.01)
        var b = try Adam()
        try b.restore(a.state)
        let q = Parameter(name: "w", value: p.value)
        q.grad = p.grad
        a.step([p], learningRate: 0.01)
        b.step([q], learningRate: 0.01)
        #expect(p.value.isBitwiseEqual(to: q.value))
    }

    @Test func savedStateIsCheckedAgainstTheParameters() throws {
        var adam = try Adam()
        let p = Parameter(name: "enc.w", value: .zeros([2, 3]))
        adam.step([p], learningRate: 0.1)
        try adam.state.check(against: [p], file: "opt")
        #expect(throws: CheckpointError.shapeMismatch(name: "m.enc.w", file: "opt", expected: [3], found: [2, 3])) {
            try adam.state.check(against: [Parameter(name: "enc.w", value: .zeros([3]))], file: "opt")
        }
        #expect(throws: CheckpointError.unexpectedTensor(name: "m.enc.w", file: "opt")) {
            try adam.state.check(against: [Parameter(name: "other", value: .zeros([2, 3]))], file: "opt")
        }
    }

    @Test func globalNormClipping() {
        let a = Parameter(name: "a", value: .zeros([2])), b = Parameter(name: "b", value: .zeros([1]))
        a.grad = Tensor(shape: [2], scalars: [3, 0])
        b.grad = Tensor(shape: [1], scalars: [4])
        let norm = GradientClipping.clipGlobalNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        let clipped = (a.grad.scalars + b.grad.scalars).map(Double.init)
        #expect(abs(clipped.map { $0 * $0 }.reduce(0, +).squareRoot() - 1) < 1e-5)
        #expect(abs(clipped[0] / clipped[2] - 0.75) < 1e-6)
        // Below the limit nothing changes.
        #expect(GradientClipping.clipGlobalNorm([a, b], maxNorm: 10) < 1.0001)
        #expect(abs(Double(b.grad.scalars[0]) - 0.8) < 1e-5)
    }

    /// Parameters larger than one block (`ComputeThreads.blockSize`) are clipped and updated in
    /// blocks shared among the threads: the norm (summed block by block) and every updated value
    /// equal a Float64 reference, and are bit-identical on one and two threads.
    @Test func largeParametersClipAndStepInBlocksOnAnyThreadCount() throws {
        let count = 2 * ComputeThreads.blockSize + 1_234
        func run(threads: Int) throws -> (norm: Float, value: Tensor) {
            let p = randomParameter("p", [count], seed: 21)
            p.grad = randomParameter("g", [count], seed: 22).value
            return try ComputeThreads.withCount(threads) {
                let norm = GradientClipping.clipGlobalNorm([p], maxNorm: 10)
                var adam = try Adam(options: AdamOptions())
                adam.step([p], learningRate: 0.01)
                return (norm, p.value)
            }
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        #expect(one.norm == two.norm)
        #expect(one.value.isBitwiseEqual(to: two.value))
        let g = randomParameter("g", [count], seed: 22).value.scalars.map(Double.init)
        let reference = g.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(abs(Double(one.norm) - reference) / reference < 1e-6)
        // The first Adam step moves every weight by lr · ĝ / (|ĝ| + ε), ĝ the clipped gradient.
        let before = randomParameter("p", [count], seed: 21).value.scalars
        let scale = 10 / (reference + 1e-6)
        var worst = 0.0
        for (i, after) in one.value.scalars.enumerated() {
            let clipped = g[i] * scale
            let expected = Double(before[i]) - 0.01 * clipped / (abs(clipped) + 1e-8)
            worst = max(worst, abs(Double(after) - expected))
        }
        #expect(worst < 1e-6)
    }

    @Test func weightNoiseIsRemovedExactly() {
        let p = randomParameter("w", [100], seed: 3)
        let clean = p.value
        var rng = Xoshiro256StarStar(seed: 4)
        let noise = WeightNoise.apply(to: [p], standardDeviation: 0.1, rng: &rng)
        let noisy = p.value
        let deltas = zip(noisy.scalars, clean.scalars).map { Double($0 - $1) }
        let sd = (deltas.map { $0 * $0 }.reduce(0, +) / 100).squareRoot()
        #expect(sd > 0.07 && sd < 0.13)
        noise.remove()
        #expect(p.value.maxAbsDifference(clean) < 1e-6)
    }

    @Test func learningRateSchedules() throws {
        let constant = try LearningRateScheduler(schedule: .constant, base: 0.1)
        #expect(constant.rate(step: 1000, epoch: 9) == 0.1)
        let halving = try LearningRateScheduler(schedule: .stepHalving(every: 2), base: 0.8)
        #expect([0, 1, 2, 3, 4].map { halving.rate(step: 0, epoch: $0) } == [0.8, 0.8, 0.4, 0.4, 0.2])
        let warmup = try LearningRateScheduler(schedule: .warmup(steps: 4), base: 1)
        #expect([0, 1, 3, 10].map { warmup.rate(step: $0, epoch: 0) } == [0.25, 0.5, 1, 1])
        var plateau = try LearningRateScheduler(
            schedule: .reduceOnPlateau(factor: 0.5, patience: 1, threshold: 0.01, minimum: 0.3), base: 1)
        let reductions = [2.0, 1.5, 1.499, 1.498, 1.0, 1.2, 1.3, 1.4, 1.5].map { plateau.observe(validationLoss: Float($0)) }
        // 1.499 and 1.498 miss the 1% improvement: the second miss exceeds patience 1 and halves;
        // 1.2, 1.3 halve again (to the 0.3 floor); 1.4, 1.5 would halve but the floor holds.
        #expect(reductions == [false, false, false, true, false, false, true, false, false])
        #expect(plateau.rate(step: 0, epoch: 0) == 0.3)
        #expect(throws: OptionError.self) { try LearningRateScheduler(schedule: .warmup(steps: 0), base: 1) }
    }
}
