import Testing
import Randomness
import TensorCore
import TestSupport
@testable import Models

/// The expected-subsampling table against brute-force enumeration of every emission pattern, finite
/// differences in float64, and the hard limit; the tape op against the float64 kernel.
struct ExpectedSubsamplingTests {
    /// Emission probabilities in (0.03, 0.97), seeded.
    static func emissions(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in 0.03 + 0.94 * rng.nextUnitDouble() }
    }

    /// P(y_m = s_n) by walking all 2^T emission patterns: pattern k emits input n when bit n is set.
    static func bruteForce(_ e: [Double], steps: Int) -> [[Double]] {
        let T = e.count
        var table = [[Double]](repeating: [Double](repeating: 0, count: T), count: steps)
        for pattern in 0..<(1 << T) {
            var probability = 1.0
            var emitted: [Int] = []
            for n in 0..<T {
                if pattern & (1 << n) != 0 {
                    probability *= e[n]
                    emitted.append(n)
                } else {
                    probability *= 1 - e[n]
                }
            }
            for (m, n) in emitted.enumerated() where m < steps { table[m][n] += probability }
        }
        return table
    }

    @Test(arguments: [1, 2, 5, 9, 12])
    func tableAndExpectedOutputEqualEveryEmissionPatternEnumerated(time: Int) {
        let e = Self.emissions(time, seed: UInt64(time))
        let steps = time + 1
        let table = ExpectedSubsampling.probabilities(e, steps: steps)
        let exact = Self.bruteForce(e, steps: steps)
        for m in 0..<steps {
            for n in 0..<time { #expect(abs(table[m][n] - exact[m][n]) < 1e-12, "P(y_\(m) = s_\(n))") }
        }
        // Each input is emitted with probability e_n, as some output or other; no output comes before its input.
        for n in 0..<time {
            #expect(abs((0..<steps).reduce(0) { $0 + table[$1][n] } - e[n]) < 1e-12)
            for m in (n + 1)..<steps { #expect(table[m][n] == 0) }
        }
        // E[y_m] = Σ_n P(y_m = s_n) s_n over random 3-dimensional inputs, to 1e-5 as the mechanism promises.
        var rng = SplitMix64(seed: 99)
        let s = (0..<time).map { _ in (0..<3).map { _ in rng.gaussian() } }
        for m in 0..<steps {
            for k in 0..<3 {
                let mine = (0..<time).reduce(0.0) { $0 + table[m][$1] * s[$1][k] }
                let enumerated = (0..<time).reduce(0.0) { $0 + exact[m][$1] * s[$1][k] }
                #expect(abs(mine - enumerated) < 1e-5)
            }
        }
    }

    @Test func gradientMatchesCentralDifferencesInFloat64() {
        let e = Self.emissions(9, seed: 4)
        var rng = SplitMix64(seed: 5)
        let weights = (0..<6).map { _ in (0..<9).map { _ in rng.gaussian() } }
        func loss(_ e: [Double]) -> Double {
            zip(ExpectedSubsampling.probabilities(e, steps: 6), weights).reduce(0) { total, rows in
                total + zip(rows.0, rows.1).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
        let gradient = ExpectedSubsampling.gradient(e, weights: weights)
        for (n, numeric) in numericalGradient(e, loss).enumerated() {
            #expect(abs(gradient[n] - numeric) < 1e-7 * max(1, abs(numeric)), "∂L/∂e_\(n): \(gradient[n]) vs \(numeric)")
        }
    }

    @Test func emissionsAtZeroOrOneGiveTheHardOutput() {
        var rng = SplitMix64(seed: 8)
        for _ in 0..<20 {
            let e: [Float] = (0..<10).map { _ in rng.nextUnitDouble() < 0.4 ? 1 : 0 }
            let kept = ExpectedSubsampling.hardSelection(e)
            let table = ExpectedSubsampling.probabilities(e, steps: 11)
            for m in 0..<11 {
                let expected: [Float] = (0..<10).map { n in m < kept.count && kept[m] == n ? 1 : 0 }
                #expect(table[m] == expected)
            }
        }
    }

    @Test func tapeOpMatchesTheFloat64KernelWithPaddingAndThreads() throws {
        let lengths = [7, 4, 0, 7]
        let time = 7, steps = 5
        var rng = SplitMix64(seed: 12)
        let rows = lengths.map { _ in (0..<time).map { _ in Float(0.05 + 0.9 * rng.nextUnitDouble()) } }
        let weights = (0..<(lengths.count * steps * time)).map { _ in Float(rng.gaussian()) }
        try ComputeThreads.withCount(2) {
            let tape = Tape()
            let e = tape.input(Tensor(shape: [lengths.count, time], scalars: rows.flatMap { $0 }))
            let table = tape.expectedSubsampling(e, lengths: lengths, steps: steps)
            let loss = tape.sum(tape.multiply(table, tape.constant(Tensor(shape: [lengths.count, steps, time], scalars: weights))))
            tape.backward(loss)
            let gradient = try #require(tape.gradient(of: e)).scalars
            for (b, length) in lengths.enumerated() {
                let valid = rows[b].prefix(length).map(Double.init)
                let exact = ExpectedSubsampling.probabilities(valid, steps: steps)
                let w = (0..<steps).map { m in (0..<length).map { n in Double(weights[(b * steps + m) * time + n]) } }
                let exactGradient = ExpectedSubsampling.gradient(valid, weights: w)
                for m in 0..<steps {
                    for n in 0..<time {
                        let value = table.value.scalars[(b * steps + m) * time + n]
                        #expect(abs(Double(value) - (n < length ? exact[m][n] : 0)) < 1e-6)
                    }
                }
                for n in 0..<time {
                    #expect(abs(Double(gradient[b * time + n]) - (n < length ? exactGradient[n] : 0)) < 1e-5)
                }
            }
        }
    }
}
