import Foundation
import NeuralNet
import Randomness
import TensorCore
import Testing

/// One update of each training rule on a tiny tanh network (3 → 4 → 3 → 2, two examples) against the
/// formulas of the DFA reference (§1, §5.1, §6) evaluated independently in Float64.
@Suite struct TrainingRuleTests {
    static let sizes = [3, 4, 3, 2]
    static let x: [[Double]] = [[0.5, -1.0, 0.25], [-0.3, 0.8, 1.2]]
    static let y = [0, 1]

    /// A stack with fixed weights (drawn from seed 11, larger than the default init) for `rule`.
    static func stack(_ rule: TrainingRule) throws -> (FeedForwardStack, ParameterRegistry) {
        var rng = Xoshiro256StarStar(seed: 7)
        let registry = ParameterRegistry()
        let stack = try FeedForwardStack(registry, name: "net", inputs: 3, hiddenSizes: [4, 3], outputs: 2, activation: .tanh,
                                         rule: rule, feedback: FeedbackOptions(), feedbackSeed: 5, rng: &rng)
        var draw = Xoshiro256StarStar(seed: 11)
        for p in registry.parameters {
            p.value = Tensor(shape: p.shape) { _ in draw.nextUniform(-0.9, 0.9) }
        }
        return (stack, registry)
    }

    /// The stack's gradients of every parameter after one backward pass under `rule`.
    static func gradients(_ stack: FeedForwardStack, _ registry: ParameterRegistry, rule: TrainingRule? = nil) -> [[Double]] {
        registry.zeroGradients()
        let tape = Tape()
        let input = tape.constant(Tensor(shape: [2, 1, 3], scalars: x.flatMap { $0.map(Float.init) }))
        let targets = y.map { [$0] }
        let pass = stack.forward(input, on: tape, rule: rule, targets: targets)
        let loss = tape.crossEntropy(pass.logits, targets: targets)
        stack.backward(loss, of: pass, on: tape)
        return registry.parameters.map { $0.grad.scalars.map(Double.init) }
    }

    // MARK: the Float64 reference

    typealias Matrix = [[Double]]
    static func matrix(_ p: Parameter) -> Matrix {
        let (rows, columns) = (p.shape[0], p.shape[1])
        return (0..<rows).map { r in (0..<columns).map { c in Double(p.value.scalars[r * columns + c]) } }
    }
    static func matrix(_ t: Tensor) -> Matrix {
        (0..<t.shape[0]).map { r in (0..<t.shape[1]).map { c in Double(t.scalars[r * t.shape[1] + c]) } }
    }
    static func times(_ m: Matrix, _ v: [Double]) -> [Double] { m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }
    static func transposed(_ m: Matrix) -> Matrix { (0..<m[0].count).map { c in m.map { $0[c] } } }
    static func softmax(_ v: [Double]) -> [Double] {
        let top = v.max()!
        let e = v.map { Foundation.exp($0 - top) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
    /// e = (softmax(a) − onehot(y)) / N, N = 2 labelled frames.
    static func error(_ logits: [Double], _ label: Int) -> [Double] {
        softmax(logits).enumerated().map { ($1 - ($0 == label ? 1 : 0)) / 2 }
    }

    /// Gradients (or rule proxies) of W1, b1, W2, b2, W3, b3 summed over the two examples, and the loss.
    static func reference(_ rule: TrainingRule, weights w: [Matrix], biases b: [[Double]], feedback: [Matrix]) -> [[Double]] {
        var sums = w.indices.flatMap { l in [Array(repeating: 0.0, count: w[l].count * w[l][0].count), Array(repeating: 0.0, count: b[l].count)] }
        for (n, x0) in x.enumerated() {
            var h = [x0], a: [[Double]] = []
            for l in 0..<3 {
                a.append(zip(times(w[l], h[l]), b[l]).map { $0 + $1 })
                if l < 2 { h.append(a[l].map { Foundation.tanh($0) }) }
            }
            let e = error(a[2], y[n])
            var delta = Array(repeating: [Double](), count: 3)
            delta[2] = e
            for l in [1, 0] {
                let derivative = h[l + 1].map { 1 - $0 * $0 }
                let signal: [Double]
                switch rule {
                case .backprop: signal = times(transposed(w[l + 1]), delta[l + 1])
                case .feedbackAlignment: signal = times(feedback[l], delta[l + 1])
                case .dfa: signal = times(feedback[l], e)
                case .lafs: signal = times(feedback[l], error(times(transposed(feedback[l]), h[l + 1]), y[n]))
                }
                delta[l] = zip(signal, derivative).map { $0 * $1 }
            }
            for l in 0..<3 {
                for (i, d) in delta[l].enumerated() {
                    for (j, input) in h[l].enumerated() { sums[2 * l][i * h[l].count + j] += d * input }
                    sums[2 * l + 1][i] += d
                }
            }
        }
        return sums
    }

    static func referenceFor(_ rule: TrainingRule, _ stack: FeedForwardStack) -> [[Double]] {
        let layers = stack.hidden + [stack.output]
        return reference(rule, weights: layers.map { matrix($0.weight) }, biases: layers.map { $0.bias!.value.scalars.map(Double.init) },
                         feedback: stack.feedback.map { matrix($0) })
    }

    @Test(arguments: TrainingRule.allCases)
    func oneUpdateEqualsTheFloat64Formulas(rule: TrainingRule) throws {
        let (stack, registry) = try Self.stack(rule)
        let got = Self.gradients(stack, registry)
        let want = Self.referenceFor(rule, stack)
        for (index, (g, r)) in zip(got, want).enumerated() {
            let worst = zip(g, r).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-5, "\(rule): \(registry.parameters[index].name) differs by \(worst)")
        }
        // The output layer always gets its true gradient; the hidden layers' proxies differ from it
        // for every rule but backprop.
        let backprop = Self.referenceFor(.backprop, stack)
        #expect(zip(got[4], backprop[4]).allSatisfy { abs($0 - $1) < 1e-5 })
        let hiddenGap = zip(got[0], backprop[0]).map { abs($0 - $1) }.max()!
        #expect(rule == .backprop ? hiddenGap < 1e-5 : hiddenGap > 1e-3, "\(rule): gap \(hiddenGap) to backprop in layer 1")
        // One SGD step W ← W − η G moves every weight by −η times the proxy.
        let before = registry.parameters.map { $0.value.scalars }
        var sgd = try SGD()
        sgd.step(registry.parameters, learningRate: 0.1)
        for (p, (old, r)) in zip(registry.parameters, zip(before, want)) {
            let moved = zip(p.value.scalars, old).map { Double($0 - $1) }
            #expect(zip(moved, r).allSatisfy { abs($0 + 0.1 * $1) < 1e-6 }, "\(rule): step of \(p.name)")
        }
    }

    @Test func theBackpropRuleEqualsFiniteDifferencesOfTheLoss() throws {
        // The Float64 reference loss, differentiated by central differences, against the stack's
        // backprop gradients (a stack drawn for DFA, run with the backprop rule).
        let (stack, registry) = try Self.stack(.dfa)
        let got = Self.gradients(stack, registry, rule: .backprop)
        let layers = stack.hidden + [stack.output]
        var w = layers.map { Self.matrix($0.weight) }
        var b = layers.map { $0.bias!.value.scalars.map(Double.init) }
        func loss() -> Double {
            var total = 0.0
            for (n, x0) in Self.x.enumerated() {
                var h = x0
                for l in 0..<3 {
                    let a = zip(Self.times(w[l], h), b[l]).map { $0 + $1 }
                    h = l < 2 ? a.map { Foundation.tanh($0) } : a
                }
                total -= Foundation.log(Self.softmax(h)[Self.y[n]])
            }
            return total / 2
        }
        let step = 1e-6
        for l in 0..<3 {
            for i in w[l].indices {
                for j in w[l][i].indices {
                    let keep = w[l][i][j]
                    w[l][i][j] = keep + step
                    let up = loss()
                    w[l][i][j] = keep - step
                    let down = loss()
                    w[l][i][j] = keep
                    let numeric = (up - down) / (2 * step)
                    #expect(abs(got[2 * l][i * w[l][i].count + j] - numeric) < 1e-5, "W\(l + 1)[\(i), \(j)]")
                }
            }
            for i in b[l].indices {
                let keep = b[l][i]
                b[l][i] = keep + step
                let up = loss()
                b[l][i] = keep - step
                let down = loss()
                b[l][i] = keep
                #expect(abs(got[2 * l + 1][i] - (up - down) / (2 * step)) < 1e-5, "b\(l + 1)[\(i)]")
            }
        }
    }

    @Test func feedbackMatricesFollowTheSeedTheRuleAndTheOptions() throws {
        func draw(_ rule: TrainingRule, seed: UInt64, _ options: FeedbackOptions = .init()) throws -> [Tensor] {
            var rng = Xoshiro256StarStar(seed: 1)
            return try FeedForwardStack(ParameterRegistry(), name: "n", inputs: 3, hiddenSizes: [16, 9], outputs: 2,
                                        activation: .tanh, rule: rule, feedback: options, feedbackSeed: seed, rng: &rng).feedback
        }
        let dfa = try draw(.dfa, seed: 3)
        #expect(dfa.map(\.shape) == [[16, 2], [9, 2]])
        #expect(try draw(.feedbackAlignment, seed: 3).map(\.shape) == [[16, 9], [9, 2]])
        #expect(try draw(.backprop, seed: 3).isEmpty)
        #expect(zip(dfa, try draw(.dfa, seed: 3)).allSatisfy { $0.isBitwiseEqual(to: $1) })
        #expect(!dfa[0].isBitwiseEqual(to: try draw(.dfa, seed: 4)[0]))
        // Auto scale: uniform on ±1/√n_l.
        #expect(dfa[0].scalars.allSatisfy { abs($0) <= 0.25 } && dfa[1].scalars.allSatisfy { abs($0) <= 1 / 3 })
        #expect(dfa[0].scalars.map { abs($0) }.max()! > 0.15)
        let fixed = try draw(.lafs, seed: 3, FeedbackOptions(distribution: .uniform, scale: 0.01))
        #expect(fixed.allSatisfy { $0.scalars.allSatisfy { abs($0) <= 0.01 } })
        #expect(throws: (any Error).self) { try FeedbackOptions(scale: -1).validate() }
    }
}
