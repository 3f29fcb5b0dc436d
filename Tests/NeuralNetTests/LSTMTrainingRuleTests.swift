import Foundation
import NeuralNet
import Randomness
import TensorCore
import Testing

/// One update of DFA and LAFS on a tiny LSTM stack (2 → LSTM 3 → LSTM 3 → 2 phones, two padded sequences)
/// against an independent Float64 computation. Each LSTM layer's rule gradient is the gradient of the
/// surrogate S_l(θ_l) = Σ_{b,t} ⟨δh_{l,b,t}, h_{l,b,t}(θ_l)⟩ with δh fixed (B_l e_t under DFA, B_l e_{l,t} under
/// LAFS) and the layer's input held at its forward value; through-time credit lets h_t depend on θ_l through
/// every earlier frame, instantaneous credit only through frame t's own cell (h_{t−1}, c_{t−1} held at their
/// forward values). The surrogate is differentiated by central differences in Float64.
@Suite struct LSTMTrainingRuleTests {
    static let (inputs, hidden, phones) = (2, 3, 2)
    static let lengths = [3, 2]
    static let x: [[[Double]]] = [[[0.5, -1.0], [0.25, 0.7], [-0.6, 0.1]], [[-0.3, 0.8], [1.2, -0.4], [0, 0]]]
    static let y = [[0, 1, 1], [1, 0]]
    static var frames: Int { lengths.reduce(0, +) }

    static func stack(_ rule: TrainingRule, _ credit: RecurrentCredit) throws -> (FeedForwardStack, ParameterRegistry) {
        var rng = Xoshiro256StarStar(seed: 7)
        let registry = ParameterRegistry()
        let stack = try FeedForwardStack(registry, name: "net", inputs: inputs, hiddenSizes: [hidden, hidden], outputs: phones,
                                         activation: .tanh, recurrent: credit, rule: rule,
                                         feedback: FeedbackOptions(scale: 0.8), feedbackSeed: 5, rng: &rng)
        var draw = Xoshiro256StarStar(seed: 11)
        for p in registry.parameters { p.value = Tensor(shape: p.shape) { _ in draw.nextUniform(-0.9, 0.9) } }
        return (stack, registry)
    }

    static func gradients(_ stack: FeedForwardStack, _ registry: ParameterRegistry) -> [String: [Double]] {
        registry.zeroGradients()
        let tape = Tape()
        let input = tape.constant(Tensor(shape: [2, 3, inputs], scalars: x.flatMap { $0.flatMap { $0.map(Float.init) } }))
        let pass = stack.forward(input, on: tape, targets: y, lengths: lengths)
        stack.backward(tape.crossEntropy(pass.logits, targets: y), of: pass, on: tape)
        return Dictionary(uniqueKeysWithValues: registry.parameters.map { ($0.name, $0.grad.scalars.map(Double.init)) })
    }

    // MARK: the Float64 reference

    struct Cell {
        var wIH: [Double], wHH: [Double], bias: [Double]
        let inputs: Int, hidden: Int

        static func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }

        /// One step (gates i, f, g, o): (h_t, c_t).
        func step(_ x: [Double], _ h: [Double], _ c: [Double]) -> ([Double], [Double]) {
            var hNew = [Double](repeating: 0, count: hidden), cNew = hNew
            for j in 0..<hidden {
                var z = [0.0, 0, 0, 0]
                for gate in 0..<4 {
                    let row = gate * hidden + j
                    z[gate] = bias[row]
                    for k in 0..<inputs { z[gate] += wIH[row * inputs + k] * x[k] }
                    for k in 0..<hidden { z[gate] += wHH[row * hidden + k] * h[k] }
                }
                let (i, f, g, o) = (Self.sigmoid(z[0]), Self.sigmoid(z[1]), Foundation.tanh(z[2]), Self.sigmoid(z[3]))
                cNew[j] = f * c[j] + i * g
                hNew[j] = o * Foundation.tanh(cNew[j])
            }
            return (hNew, cNew)
        }

        /// (h_t, c_t) of every frame of `xs` from a zero state.
        func run(_ xs: [[Double]]) -> [([Double], [Double])] {
            var state = ([Double](repeating: 0, count: hidden), [Double](repeating: 0, count: hidden))
            return xs.map { xt in
                state = step(xt, state.0, state.1)
                return state
            }
        }
    }

    static func cell(_ registry: ParameterRegistry, _ layer: Int, inputs: Int) -> Cell {
        func values(_ name: String) -> [Double] {
            registry.parameters.first { $0.name == "net.layer\(layer).\(name)" }!.value.scalars.map(Double.init)
        }
        return Cell(wIH: values("weightIH"), wHH: values("weightHH"), bias: values("bias"), inputs: inputs, hidden: hidden)
    }

    static func matrix(_ t: Tensor) -> [[Double]] {
        (0..<t.shape[0]).map { r in (0..<t.shape[1]).map { c in Double(t.scalars[r * t.shape[1] + c]) } }
    }

    /// (softmax(a) − onehot(y)) / N.
    static func error(_ a: [Double], _ label: Int) -> [Double] {
        let top = a.max()!
        let e = a.map { Foundation.exp($0 - top) }, s = e.reduce(0, +)
        return e.enumerated().map { ($1 / s - ($0 == label ? 1 : 0)) / Double(frames) }
    }

    /// The surrogate Σ ⟨δh_t, h_t⟩ of `cell` over `xs` (one sequence), through time or one step from `held`.
    static func surrogate(_ cell: Cell, _ xs: [[Double]], _ dh: [[Double]], held: [([Double], [Double])]?) -> Double {
        let states: [[Double]]
        if let held {
            let zero = [Double](repeating: 0, count: hidden)
            states = xs.indices.map { t in cell.step(xs[t], t == 0 ? zero : held[t - 1].0, t == 0 ? zero : held[t - 1].1).0 }
        } else {
            states = cell.run(xs).map(\.0)
        }
        return zip(states, dh).reduce(0) { $0 + zip($1.0, $1.1).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// The expected gradients of both LSTM layers' parameters under `rule` and `credit`.
    static func reference(_ stack: FeedForwardStack, _ registry: ParameterRegistry, rule: TrainingRule,
                          credit: RecurrentCredit) -> [String: [Double]] {
        let cells = [cell(registry, 1, inputs: inputs), cell(registry, 2, inputs: hidden)]
        let output = matrix(stack.output.weight.value), outBias = stack.output.bias!.value.scalars.map(Double.init)
        let sequences = x.indices.map { Array(x[$0].prefix(lengths[$0])) }
        // Forward: each layer's (h, c) per frame, then the output errors.
        var layerInputs: [[[[Double]]]] = [sequences]   // [layer][b][t]
        var layerStates: [[[([Double], [Double])]]] = []
        for cell in cells {
            let states = layerInputs.last!.map { cell.run($0) }
            layerStates.append(states)
            layerInputs.append(states.map { $0.map(\.0) })
        }
        let top = layerInputs.last!
        let e = top.indices.map { b in top[b].indices.map { t in
            error(zip(output, outBias).map { row, bias in zip(row, top[b][t]).reduce(bias) { $0 + $1.0 * $1.1 } }, y[b][t])
        } }
        var expected: [String: [Double]] = [:]
        for (l, cell) in cells.enumerated() {
            let B = matrix(stack.feedback[l])   // [H, phones]
            let dh = layerInputs[l + 1].indices.map { b in layerInputs[l + 1][b].indices.map { t -> [Double] in
                let h = layerInputs[l + 1][b][t]
                let signal: [Double]
                if rule == .lafs {
                    signal = error((0..<phones).map { k in (0..<hidden).reduce(0) { $0 + h[$1] * B[$1][k] } }, y[b][t])
                } else {
                    signal = e[b][t]
                }
                return (0..<hidden).map { j in (0..<phones).reduce(0) { $0 + B[j][$1] * signal[$1] } }
            } }
            for name in ["weightIH", "weightHH", "bias"] {
                let count = name == "weightIH" ? cell.wIH.count : name == "weightHH" ? cell.wHH.count : cell.bias.count
                expected["net.layer\(l + 1).\(name)"] = (0..<count).map { index in
                    let eps = 1e-6
                    func value(_ shift: Double) -> Double {
                        var moved = cell
                        switch name {
                        case "weightIH": moved.wIH[index] += shift
                        case "weightHH": moved.wHH[index] += shift
                        default: moved.bias[index] += shift
                        }
                        return layerInputs[l].indices.reduce(0) { sum, b in
                            sum + surrogate(moved, layerInputs[l][b], dh[b],
                                            held: credit == .instantaneous ? layerStates[l][b] : nil)
                        }
                    }
                    return (value(eps) - value(-eps)) / (2 * eps)
                }
            }
        }
        return expected
    }

    @Test(arguments: [TrainingRule.dfa, .lafs], RecurrentCredit.allCases)
    func oneUpdateOfEachLSTMLayerEqualsTheFloat64Reference(rule: TrainingRule, credit: RecurrentCredit) throws {
        let (stack, registry) = try Self.stack(rule, credit)
        let got = Self.gradients(stack, registry)
        let expected = Self.reference(stack, registry, rule: rule, credit: credit)
        #expect(expected.count == 6)
        for (name, want) in expected {
            let have = try #require(got[name])
            let scale = max(want.map(abs).max()!, 1e-3)
            let worst = zip(have, want).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-4 * scale + 1e-6, "\(rule) \(credit) \(name): \(have) vs \(want)")
        }
    }

    @Test func instantaneousCreditDiffersFromThroughTimeAndBothFromBackprop() throws {
        let (dfaTime, r1) = try Self.stack(.dfa, .throughTime)
        let (dfaStep, r2) = try Self.stack(.dfa, .instantaneous)
        let (backprop, r3) = try Self.stack(.backprop, .instantaneous)   // backprop ignores the credit: full BPTT
        let (a, b, c) = (Self.gradients(dfaTime, r1), Self.gradients(dfaStep, r2), Self.gradients(backprop, r3))
        let name = "net.layer1.weightHH"
        #expect(zip(a[name]!, b[name]!).contains { abs($0 - $1) > 1e-4 })
        #expect(zip(a[name]!, c[name]!).contains { abs($0 - $1) > 1e-4 })
        // The output layer gets its true gradient under every rule.
        #expect(zip(a["net.output.weight"]!, c["net.output.weight"]!).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
