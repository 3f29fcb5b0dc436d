import Testing
import TensorCore
import TestSupport

/// The custom op of `Tape`'s documentation, defined outside the module as a user would.
extension Tape {
    func square(_ x: Variable) -> Variable {
        var y = x.value
        y.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= p[i] } }
        let xv = x.value
        return record(inputs: [x], output: y) { ctx in
            guard ctx.needsGradient(0), let dy = ctx.outputGradient() else { return }
            ctx.withGradient(0) { dx in
                xv.withUnsafeBufferPointer { xp in
                    dy.withUnsafeBufferPointer { g in
                        for i in dx.indices { dx[i] += 2 * xp[i] * g[i] }
                    }
                }
            }
        }
    }

    /// A two-output custom op: `(x + y, x ⊙ y)`.
    func sumAndProduct(_ x: Variable, _ y: Variable) -> (Variable, Variable) {
        let (xv, yv) = (x.value, y.value)
        let outputs = record(inputs: [x, y], outputs: [add(constant(xv), constant(yv)).value,
                                                      multiply(constant(xv), constant(yv)).value]) { ctx in
            let t = Tape(recording: false)
            for (k, g) in [ctx.outputGradient(0), ctx.outputGradient(1)].enumerated() {
                guard let g else { continue }
                ctx.accumulate(0, k == 0 ? g : t.multiply(t.constant(g), t.constant(yv)).value)
                ctx.accumulate(1, k == 0 ? g : t.multiply(t.constant(g), t.constant(xv)).value)
            }
        }
        return (outputs[0], outputs[1])
    }
}

@Suite struct CustomOpTests {
    @Test func documentedSquareOpPassesTheGradientCheck() {
        let x = randomParameter("x", [3, 5], seed: 30)
        let result = GradientCheck.run(parameters: [x]) { tape in tape.square(tape.parameter(x)) }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test func multiOutputOpWithOneOutputUnused() {
        let x = randomParameter("x", [4], seed: 31), y = randomParameter("y", [4], seed: 32)
        let both = GradientCheck.run(parameters: [x, y]) { tape in
            let (s, p) = tape.sumAndProduct(tape.parameter(x), tape.parameter(y))
            return tape.concat([s, p], axis: 0)
        }
        #expect(both.maxRelativeError < 2e-3, "\(both)")
        let productOnly = GradientCheck.run(parameters: [x, y]) { tape in
            tape.sumAndProduct(tape.parameter(x), tape.parameter(y)).1
        }
        #expect(productOnly.maxRelativeError < 2e-3, "\(productOnly)")
    }
}
