import Testing
import TensorCore

@Suite struct TapeTests {
    @Test func gradientsAccumulateOverBackwardPassesUntilZeroed() {
        let w = Parameter(name: "w", value: Tensor(shape: [2], scalars: [1, 2]))
        for _ in 0..<2 {
            let tape = Tape()
            let v = tape.parameter(w)
            tape.backward(tape.sum(tape.multiply(v, v)))   // d/dw Σ w² = 2w
        }
        #expect(w.grad.scalars == [4, 8])
        w.zeroGradient()
        #expect(w.grad.scalars == [0, 0])
    }

    @Test func reusedParameterSharesOneSlotAndSumsGradients() {
        let w = Parameter(name: "w", value: Tensor(shape: [1], scalars: [3]))
        let tape = Tape()
        var y = tape.parameter(w)
        for _ in 0..<3 { y = tape.multiply(y, tape.parameter(w)) }   // w⁴
        tape.backward(tape.sum(y))
        #expect(w.grad.scalars == [4 * 27])
    }

    @Test func inferenceModeRecordsNothing() {
        let w = Parameter(name: "w", value: Tensor(shape: [2], scalars: [1, 2]))
        let tape = Tape(recording: false)
        let y = tape.sigmoid(tape.parameter(w))
        #expect(!y.isTracked)
        #expect(abs(y.value[element: [0]] - 0.7310586) < 1e-6)
    }

    @Test func inputLeavesReportTheirGradient() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [3], scalars: [1, 2, 3]))
        let c = tape.constant(Tensor(shape: [3], scalars: [5, 6, 7]))
        tape.backward(tape.sum(tape.multiply(x, c)))
        #expect(tape.gradient(of: x)?.scalars == [5, 6, 7])
        #expect(tape.gradient(of: c) == nil)
    }
}
