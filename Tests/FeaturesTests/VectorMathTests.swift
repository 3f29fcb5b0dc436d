import Foundation
import Randomness
import Testing
@testable import Features

/// The vector logarithm against double-precision `log` over the range fbank produces.
@Suite struct VectorMathTests {
    @Test func logIsAccurateFromFloatEpsilonToHugeEnergies() {
        var random = SplitMix64(seed: 42)
        var worst = 0.0
        for _ in 0..<2000 {
            // Log-uniform over [FLT_EPSILON, 1e20], plus exact powers of two and the √½ boundary.
            let xs = (0..<16).map { _ in Float(exp(random.nextOpenUnit() * (46.05 + 15.94) - 15.94)) }
            let v = VectorMath.log(SIMD16(xs))
            for (i, x) in xs.enumerated() { worst = max(worst, abs(Double(v[i]) - log(Double(x)))) }
        }
        let special: [Float] = [Float.ulpOfOne, 0.5, 1, 2, 0.70710677, 0.70710683, 1024, 1e-3, 3.0e38, 1.1754944e-38, 7, 9, 10, 11, 12, 13]
        let v = VectorMath.log(SIMD16(special))
        for (i, x) in special.enumerated() { worst = max(worst, abs(Double(v[i]) - log(Double(x)))) }
        #expect(worst < 1e-5, "max |error| \(worst)")
    }
}
