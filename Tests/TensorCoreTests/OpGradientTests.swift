import Testing
import TensorCore
import TestSupport

/// Finite-difference checks of every tape op's backward.
@Suite struct OpGradientTests {
    let tolerance = 2e-3

    func check(_ parameters: [Parameter], _ f: (Tape, [Variable]) -> Variable,
               sourceLocation: SourceLocation = #_sourceLocation) {
        let result = GradientCheck.run(parameters: parameters) { tape in f(tape, parameters.map { tape.parameter($0) }) }
        #expect(result.maxRelativeError < tolerance, "\(result)", sourceLocation: sourceLocation)
        #expect(result.checked == parameters.reduce(0) { $0 + $1.value.count }, sourceLocation: sourceLocation)
    }

    @Test(arguments: [([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [2, 1, 4]), ([2, 3, 4], [2, 3, 1]), ([3, 1], [1, 5]), ([4], [])])
    func broadcastingArithmetic(_ sa: [Int], _ sb: [Int]) {
        let a = randomParameter("a", sa, seed: 1), b = randomParameter("b", sb, seed: 2, scale: 0.3, shift: 1.5)
        check([a, b]) { t, v in t.add(v[0], v[1]) }
        check([a, b]) { t, v in t.subtract(v[0], v[1]) }
        check([a, b]) { t, v in t.multiply(v[0], v[1]) }
        check([a, b]) { t, v in t.divide(v[0], v[1]) }
    }

    @Test func activations() {
        let x = randomParameter("x", [3, 37], seed: 3)
        check([x]) { t, v in t.sigmoid(v[0]) }
        check([x]) { t, v in t.tanh(v[0]) }
        check([x]) { t, v in t.exp(t.scale(v[0], by: 0.5)) }
        // ReLU's kink: keep every input at least 0.05 from 0 (the finite difference step is 2e-3).
        let awayFromZero = Parameter(name: "r", value: Tensor(shape: x.shape) { i in
            let v = x.value.scalars[i]
            return v + (v < 0 ? -0.05 : 0.05)
        })
        check([awayFromZero]) { t, v in t.relu(v[0]) }
        let positive = randomParameter("p", [2, 19], seed: 4, scale: 0.2, shift: 2)
        check([positive]) { t, v in t.log(v[0]) }
    }

    @Test func reductions() {
        let x = randomParameter("x", [2, 3, 5], seed: 5)
        check([x]) { t, v in t.sum(v[0]) }
        check([x]) { t, v in t.mean(v[0]) }
        for axis in 0..<3 { check([x]) { t, v in t.sum(v[0], axis: axis) } }
    }

    @Test func softmaxAndLogSoftmaxWithAndWithoutMask() {
        let x = randomParameter("x", [4, 21], seed: 6)
        check([x]) { t, v in t.softmax(v[0]) }
        check([x]) { t, v in t.logSoftmax(v[0]) }
        let mask = Tensor(shape: [4, 21]) { i in i % 21 < 15 - (i / 21) * 3 ? 1 : 0 }
        check([x]) { t, v in t.softmax(v[0], mask: mask) }
        // Masked log-probabilities are -inf: compare the kept ones only.
        check([x]) { t, v in t.multiply(t.exp(t.logSoftmax(v[0], mask: mask)), t.constant(mask)) }
    }

    @Test func softmaxRowsSumToOneAndMaskedEntriesAreZero() {
        let tape = Tape(recording: false)
        let x = tape.constant(Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -5, 0, 5]))
        let y = tape.softmax(x, mask: Tensor(shape: [2, 3], scalars: [1, 1, 1, 1, 0, 1])).value
        #expect(abs(y[0, 0] + y[0, 1] + y[0, 2] - 1) < 1e-6)
        #expect(y[1, 1] == 0)
        #expect(abs(Double(y[1, 2]) - 1 / (1 + 1.0 / 22026.465794806718 / 1)) < 1e-6)
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matmul(ta: Bool, tb: Bool) {
        let a = randomParameter("a", ta ? [4, 3] : [3, 4], seed: 7), b = randomParameter("b", tb ? [5, 4] : [4, 5], seed: 8)
        check([a, b]) { t, v in t.matmul(v[0], v[1], transposeA: ta, transposeB: tb) }
        let a3 = randomParameter("a3", [2, 3, 4], seed: 9), b3 = randomParameter("b3", ta ? [2, 4, 3] : [2, 3, 4], seed: 10)
        let c3 = randomParameter("c3", tb ? [2, 5, 4] : [2, 4, 5], seed: 11)
        check([ta ? b3 : a3, c3]) { t, v in t.batchedMatmul(v[0], v[1], transposeA: ta, transposeB: tb) }
    }

    @Test func matmulFoldsLeadingAxesAndLinear() {
        let x = randomParameter("x", [2, 3, 4], seed: 12), w = randomParameter("w", [4, 6], seed: 13)
        check([x, w]) { t, v in t.matmul(v[0], v[1]) }
        let weight = randomParameter("weight", [5, 4], seed: 14), bias = randomParameter("bias", [5], seed: 15)
        check([x, weight, bias]) { t, v in t.linear(v[0], weight: v[1], bias: v[2]) }
        check([x, weight]) { t, v in t.linear(v[0], weight: v[1], bias: nil) }
    }

    @Test func shapeOps() {
        let a = randomParameter("a", [2, 3, 4], seed: 16), b = randomParameter("b", [2, 2, 4], seed: 17)
        check([a, b]) { t, v in t.concat([v[0], v[1]], axis: 1) }
        let c = randomParameter("c", [2, 3, 1], seed: 18)
        check([a, c]) { t, v in t.concat([v[0], v[1]], axis: 2) }
        check([a]) { t, v in t.slice(v[0], axis: 2, 1..<3) }
        check([a]) { t, v in
            let parts = t.split(v[0], axis: 1, sizes: [1, 2])
            return t.concat([t.scale(parts[1], by: 2), parts[0]], axis: 1)
        }
        let s = randomParameter("s", [3, 4], seed: 19), r = randomParameter("r", [3, 4], seed: 22)
        for axis in 0..<3 { check([s, r]) { t, v in t.stack([v[0], v[1]], axis: axis) } }
        check([a]) { t, v in t.reshape(v[0], [4, -1]) }
        let table = randomParameter("table", [5, 3], seed: 20)
        check([table]) { t, v in t.gather(v[0], rows: [4, 0, 4, 2]) }
    }

    @Test func checkerRejectsAWrongBackward() {
        let x = randomParameter("x", [3, 4], seed: 21)
        let result = GradientCheck.run(parameters: [x]) { tape in
            let v = tape.parameter(x)
            var y = v.value
            y.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= p[i] } }
            return tape.record(inputs: [v], output: y) { ctx in
                // Deliberately wrong: dy/dx = x instead of 2x.
                ctx.accumulate(0, BroadcastHelper.product(ctx.outputGradient()!, v.value))
            }
        }
        #expect(result.maxRelativeError > 0.2, "\(result)")
    }
}

enum BroadcastHelper {
    static func product(_ a: Tensor, _ b: Tensor) -> Tensor {
        let t = Tape(recording: false)
        return t.multiply(t.constant(a), t.constant(b)).value
    }
}
