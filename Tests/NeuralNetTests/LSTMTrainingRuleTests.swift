import Foundation
import NeuralNet
import Randomness
import TensorCore
import TestSupport
import Testing

/// One update of FA, DFA and LAFS on a tiny LSTM stack (2 → LSTM 3 → LSTM 3 → 2 phones, two padded sequences)
/// against an independent Float64 computation. Each LSTM layer's rule gradient is the gradient of the
/// surrogate S_l(θ_l) = Σ_{b,t} ⟨δh_{l,b,t}, h_{l,b,t}(θ_l)⟩ with δh fixed (B_l e_t under DFA, B_l e_{l,t} under
/// LAFS; under FA B_2 e_t for the top layer and B_1 δz_{2,t} for the first, δz_{2,t} = ∂S_2/∂z_{2,t} the top
/// layer's gate errors at frame t, found by central differences of S_2 in an offset added to frame t's
/// gate pre-activations) and the layer's input held at its forward value; through-time credit lets h_t depend on θ_l through
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

    typealias Cell = Float64LSTMCell

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
    static func surrogate(_ cell: Cell, _ xs: [[Double]], _ dh: [[Double]], held: [([Double], [Double])]?,
                          offsets: [[Double]?]? = nil) -> Double {
        let states: [[Double]]
        if let held {
            let zero = [Double](repeating: 0, count: hidden)
            states = xs.indices.map { t in
                cell.step(xs[t], t == 0 ? zero : held[t - 1].0, t == 0 ? zero : held[t - 1].1, offset: offsets?[t]).0
            }
        } else {
            states = cell.run(xs, offsets: offsets).map(\.0)
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
        let eps = 1e-6
        var dhs: [[[[Double]]]] = [[], []]   // [layer][b][t]: δh_{l,b,t}
        for l in [1, 0] {
            let B = matrix(stack.feedback[l])   // [H, phones]; FA's first layer: [H, 4H]
            dhs[l] = layerInputs[l + 1].indices.map { b in layerInputs[l + 1][b].indices.map { t -> [Double] in
                let h = layerInputs[l + 1][b][t]
                let signal: [Double]
                if rule == .feedbackAlignment && l == 0 {
                    // The top layer's gate errors at frame t: ∂S_2/∂z_{2,t} by central differences.
                    signal = (0..<(4 * hidden)).map { row in
                        func value(_ shift: Double) -> Double {
                            var offsets = [[Double]?](repeating: nil, count: layerInputs[1][b].count)
                            offsets[t] = (0..<(4 * hidden)).map { $0 == row ? shift : 0 }
                            return surrogate(cells[1], layerInputs[1][b], dhs[1][b],
                                             held: credit == .instantaneous ? layerStates[1][b] : nil, offsets: offsets)
                        }
                        return (value(eps) - value(-eps)) / (2 * eps)
                    }
                } else if rule == .lafs {
                    signal = error((0..<phones).map { k in (0..<hidden).reduce(0) { $0 + h[$1] * B[$1][k] } }, y[b][t])
                } else {
                    signal = e[b][t]
                }
                return (0..<hidden).map { j in zip(B[j], signal).reduce(0) { $0 + $1.0 * $1.1 } }
            } }
        }
        var expected: [String: [Double]] = [:]
        for (l, cell) in cells.enumerated() {
            let dh = dhs[l]
            for name in ["weightIH", "weightHH", "bias"] {
                let count = name == "weightIH" ? cell.wIH.count : name == "weightHH" ? cell.wHH.count : cell.bias.count
                expected["net.layer\(l + 1).\(name)"] = (0..<count).map { index in
                    func value(_ shift: Double) -> Double {
                        let moved = cell.moved(name == "weightIH" ? 0 : name == "weightHH" ? 1 : 2, index, by: shift)
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

    @Test(arguments: [TrainingRule.feedbackAlignment, .dfa, .lafs], RecurrentCredit.allCases)
    func oneUpdateOfEachLSTMLayerEqualsTheFloat64Reference(rule: TrainingRule, credit: RecurrentCredit) throws {
        let (stack, registry) = try Self.stack(rule, credit)
        let got = Self.gradients(stack, registry)
        let expected = Self.reference(stack, registry, rule: rule, credit: credit)
        #expect(expected.count == 6)
        if rule == .feedbackAlignment { #expect(stack.feedback.map(\.shape) == [[3, 12], [3, 2]]) }
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
