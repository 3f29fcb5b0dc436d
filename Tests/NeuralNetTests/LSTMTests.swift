import Foundation
import Randomness
import Testing
import NeuralNet
import Options
import TensorCore
import TestSupport
import Testing

@Suite struct LSTMTests {
    /// A small LSTM direction plus inputs, for gradient checks.
    func setup(batch: Int = 3, time: Int = 5, inputs: Int = 4, hidden: Int = 5, seed: UInt64 = 1, weightScale: Float = 0.5)
        -> (x: Parameter, weights: LSTMWeights, registry: ParameterRegistry)
    {
        var rng = Xoshiro256StarStar(seed: seed)
        let registry = ParameterRegistry()
        let w = try! LSTMWeights(registry, name: "l", inputs: inputs, hidden: hidden, forgetBias: 1, rng: &rng)
        // Larger weights than the default make the nonlinearities matter.
        for p in registry.parameters {
            p.value = Tensor(shape: p.shape) { _ in rng.nextNormal() * weightScale }
        }
        return (randomParameter("x", [batch, time, inputs], seed: seed + 10), w, registry)
    }

    @Test(arguments: [false, true])
    func maskedVariableLengthBatchGradients(reverse: Bool) {
        let (x, w, registry) = setup()
        let lengths = [5, 2, 3]
        let result = GradientCheck.run(parameters: [x] + registry.parameters) { tape in
            let (y, s) = w.run(tape.parameter(x), lengths: lengths, initialState: nil, reverse: reverse, on: tape)
            // Output sequence and both final states all feed the checked output.
            return tape.concat([tape.reshape(y, [3, 25]), s.h, s.c], axis: 1)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test func initialStateGradients() {
        let (x, w, registry) = setup(time: 3)
        let h0 = randomParameter("h0", [3, 5], seed: 30, scale: 0.5), c0 = randomParameter("c0", [3, 5], seed: 31)
        let result = GradientCheck.run(parameters: [x, h0, c0] + registry.parameters) { tape in
            let state = LSTMState(h: tape.parameter(h0), c: tape.parameter(c0))
            let (y, s) = w.run(tape.parameter(x), lengths: [3, 1, 2], initialState: state, reverse: false, on: tape)
            return tape.concat([tape.reshape(y, [3, 15]), s.c], axis: 1)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test func hiddenSizeNotAMultipleOfTheVectorWidthAndAboveIt() {
        let (x, w, registry) = setup(batch: 2, time: 3, inputs: 3, hidden: 19)
        let result = GradientCheck.run(parameters: [x] + registry.parameters) { tape in
            w.run(tape.parameter(x), lengths: [3, 2], initialState: nil, reverse: false, on: tape).output
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    /// With two threads each step is split by hidden units (`120 = 64 + 56`); outputs, final
    /// states and every gradient equal the one-thread run, masks, reverse and initial state included.
    @Test(arguments: [false, true])
    func twoThreadsSplitEveryStepByHiddenUnits(reverse: Bool) {
        let (x, w, registry) = setup(batch: 3, time: 6, inputs: 5, hidden: 120, weightScale: 0.1)
        let h0 = randomParameter("h0", [3, 120], seed: 40, scale: 0.5), c0 = randomParameter("c0", [3, 120], seed: 41)
        let parameters = [x, h0, c0] + registry.parameters
        let seed = randomParameter("seed", [3, 6 * 120 + 240], seed: 42).value
        func run(threads: Int) -> [Tensor] {
            parameters.forEach { $0.zeroGradient() }
            return ComputeThreads.withCount(threads) {
                let tape = Tape()
                let (y, s) = w.run(tape.parameter(x), lengths: [6, 2, 0], initialState: LSTMState(h: tape.parameter(h0), c: tape.parameter(c0)),
                                   reverse: reverse, on: tape)
                let out = tape.concat([tape.reshape(y, [3, 6 * 120]), s.h, s.c], axis: 1)
                tape.backward(out, seed: seed)
                return [out.value] + parameters.map(\.grad)
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        for (a, b) in zip(one, two) { #expect(a.maxAbsDifference(b) < 1e-5) }
        #expect(one[0].maxAbsDifference(Tensor.zeros(one[0].shape)) > 0.1)
    }

    /// A finite-difference check through the two-thread path (`B·4H·H = 2¹⁷` multiply-adds a step):
    /// input, initial state and bias, whose gradients are the per-step gate gradients themselves.
    @Test func twoThreadGradients() {
        let (x, w, _) = setup(batch: 2, time: 3, inputs: 2, hidden: 128, weightScale: 0.1)
        let h0 = randomParameter("h0", [2, 128], seed: 50, scale: 0.5), c0 = randomParameter("c0", [2, 128], seed: 51)
        let result = ComputeThreads.withCount(2) {
            GradientCheck.run(parameters: [x, h0, c0, w.bias]) { tape in
                let state = LSTMState(h: tape.parameter(h0), c: tape.parameter(c0))
                let (y, s) = w.run(tape.parameter(x), lengths: [3, 2], initialState: state, reverse: false, on: tape)
                return tape.concat([tape.reshape(y, [2, 3 * 128]), s.h, s.c], axis: 1)
            }
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test func stackedBidirectionalGradients() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        let registry = ParameterRegistry()
        let config = LSTMConfig(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true)
        let lstm = try LSTM(registry, name: "enc", config: config, rng: &rng)
        for p in registry.parameters { p.value = Tensor(shape: p.shape) { _ in rng.nextNormal() * 0.5 } }
        let x = randomParameter("x", [2, 4, 3], seed: 6)
        #expect(registry.parameters.map(\.name) == [
            "enc.lstm0.weightIH", "enc.lstm0.weightHH", "enc.lstm0.bias",
            "enc.lstm0.reverse.weightIH", "enc.lstm0.reverse.weightHH", "enc.lstm0.reverse.bias",
            "enc.lstm1.weightIH", "enc.lstm1.weightHH", "enc.lstm1.bias",
            "enc.lstm1.reverse.weightIH", "enc.lstm1.reverse.weightHH", "enc.lstm1.reverse.bias",
        ])
        #expect(registry["enc.lstm1.weightIH"]?.shape == [16, 8])
        // Layer 0's recurrent gradients are small (≈ 2e-4) after two layers, so Float32 rounding of
        // the forward pass (≈ 1e-5 in the numeric gradient) is relatively larger: a larger step
        // and a 5e-3 tolerance. A wiring error (direction, concat, stacking) gives errors of O(1).
        let result = GradientCheck.run(parameters: [x] + registry.parameters, epsilon: 2e-2) { tape in
            lstm(tape.parameter(x), lengths: [4, 2], on: tape).output
        }
        #expect(result.maxRelativeError < 5e-3, "\(result)")
    }

    /// Float64 reference LSTM step by step, per sequence, to compare the fused kernel against.
    func referenceOutput(x: Tensor, w: LSTMWeights, length: Int, b: Int, reverse: Bool) -> [[Double]] {
        let (T, I, H) = (x.shape[1], x.shape[2], w.hiddenSize)
        let wi = w.weightIH.value.scalars.map(Double.init), wh = w.weightHH.value.scalars.map(Double.init)
        let bias = w.bias.value.scalars.map(Double.init)
        var h = [Double](repeating: 0, count: H), c = h
        var out = [[Double]](repeating: [Double](repeating: 0, count: H), count: T)
        func sig(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        for step in 0..<length {
            let t = reverse ? length - 1 - step : step
            var z = bias
            for r in 0..<(4 * H) {
                for k in 0..<I { z[r] += wi[r * I + k] * Double(x[b, t, k]) }
                for k in 0..<H { z[r] += wh[r * H + k] * h[k] }
            }
            for j in 0..<H {
                let (i, f, g, o) = (sig(z[j]), sig(z[H + j]), tanh(z[2 * H + j]), sig(z[3 * H + j]))
                c[j] = f * c[j] + i * g
                h[j] = o * tanh(c[j])
            }
            out[t] = h
        }
        return out
    }

    @Test(arguments: [false, true])
    func forwardMatchesFloat64Reference(reverse: Bool) {
        let (x, w, _) = setup(batch: 3, time: 6, inputs: 4, hidden: 21)
        let lengths = [6, 3, 0]
        let y = w.run(Tape(recording: false).constant(x.value), lengths: lengths, initialState: nil, reverse: reverse,
                      on: Tape(recording: false)).output.value
        var worst = 0.0
        for b in 0..<3 {
            let ref = referenceOutput(x: x.value, w: w, length: lengths[b], b: b, reverse: reverse)
            for t in 0..<6 { for j in 0..<21 { worst = max(worst, abs(Double(y[b, t, j]) - ref[t][j])) } }
        }
        #expect(worst < 2e-6)
    }

    @Test func streamingInChunksEqualsOnePass() throws {
        var rng = Xoshiro256StarStar(seed: 8)
        let registry = ParameterRegistry()
        let lstm = try LSTM(registry, name: "enc", config: LSTMConfig(inputSize: 3, hiddenSize: 6, layers: 2), rng: &rng)
        let x = randomParameter("x", [2, 7, 3], seed: 9).value
        let tape = Tape(recording: false)
        let whole = lstm(tape.constant(x), on: tape).output.value
        let first = lstm(tape.constant(x.reshaped([2, 7, 3])).sliced(tape, 0..<4), on: tape)
        let second = lstm(tape.constant(x).sliced(tape, 4..<7), initialState: first.state, on: tape)
        let joined = tape.concat([first.output, second.output], axis: 1).value
        #expect(joined.maxAbsDifference(whole) < 1e-6)
    }

    @Test func cellStepMatchesTheSequenceOp() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        let registry = ParameterRegistry()
        let cell = try LSTMCell(registry, name: "dec.cell", inputs: 3, hidden: 5, rng: &rng)
        let x = randomParameter("x", [2, 4, 3], seed: 12)
        let tape = Tape(recording: false)
        var state = cell.zeroState(batch: 2, on: tape)
        var steps: [Variable] = []
        for t in 0..<4 {
            state = cell(tape.reshape(tape.slice(tape.constant(x.value), axis: 1, t..<(t + 1)), [2, 3]), state: state, on: tape)
            steps.append(state.h)
        }
        let sequence = cell.weights.run(tape.constant(x.value), lengths: nil, initialState: nil, reverse: false, on: tape).output
        #expect(tape.stack(steps, axis: 1).value.maxAbsDifference(sequence.value) < 1e-6)
        // And its gradients, through three steps.
        let result = GradientCheck.run(parameters: [x] + registry.parameters) { tape in
            var s: LSTMState? = nil
            for t in 0..<3 { s = cell(tape.reshape(tape.slice(tape.parameter(x), axis: 1, t..<(t + 1)), [2, 3]), state: s, on: tape) }
            return tape.concat([s!.h, s!.c], axis: 1)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test func sameSeedBuildsIdenticalModels() throws {
        func build(_ seed: UInt64) throws -> [Tensor] {
            var rng = Xoshiro256StarStar(seed: seed)
            let registry = ParameterRegistry()
            _ = try LSTM(registry, name: "enc", config: LSTMConfig(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true), rng: &rng)
            return registry.parameters.map(\.value)
        }
        let a = try build(5), b = try build(5), c = try build(6)
        #expect(zip(a, b).allSatisfy { $0.isBitwiseEqual(to: $1) })
        #expect(!zip(a, c).allSatisfy { $0.isBitwiseEqual(to: $1) })
    }

    @Test func invalidConfigurationNamesTheField() {
        #expect(throws: OptionError("hiddenSize", value: 0, allowed: "≥ 1")) {
            try LSTMConfig(hiddenSize: 0).validate()
        }
    }
}

extension Variable {
    /// Frames `range` of a `[batch, time, f]` variable.
    func sliced(_ tape: Tape, _ range: Range<Int>) -> Variable { tape.slice(self, axis: 1, range) }
}
