import Foundation
import Testing
import TensorCore

@Suite struct SIMDMathTests {
    /// Inputs covering the clamped range, including a tail shorter than a vector.
    let inputs: [Float] = (0..<1003).map { Float($0) * 0.05 - 25 } + [-100, -88, 0, 1e-6, 88, 100]

    @Test func expMatchesLibmWithinTwoUlp() {
        var out = [Float](repeating: 0, count: inputs.count)
        SIMDMath.map(inputs, &out, inputs.count, SIMDMath.exp)
        for (x, y) in zip(inputs, out) where x > -87 && x < 88 {
            let reference = Foundation.exp(Double(x))
            #expect(abs(Double(y) - reference) <= 2.5 * Double(Float(reference).ulp), "exp(\(x)) = \(y), reference \(reference)")
        }
        #expect(out.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func sigmoidAndTanhMatchFloat64() {
        var s = [Float](repeating: 0, count: inputs.count), t = s
        SIMDMath.map(inputs, &s, inputs.count, SIMDMath.sigmoid)
        SIMDMath.map(inputs, &t, inputs.count, SIMDMath.tanh)
        var worstS = 0.0, worstT = 0.0
        for (i, x) in inputs.enumerated() {
            worstS = max(worstS, abs(Double(s[i]) - 1 / (1 + Foundation.exp(-Double(x)))))
            worstT = max(worstT, abs(Double(t[i]) - Foundation.tanh(Double(x))))
        }
        #expect(worstS < 3e-7)
        #expect(worstT < 5e-7)
    }
}
