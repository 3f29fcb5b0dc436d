import Foundation
import Randomness
import Testing
@testable import Models
import TestSupport

/// The literal definition, eq. 9, as a float64 triple loop (the oracle of the reference, §11.2).
/// Frames from `length` on are padding; `stayOnLast` forces p = 1 on the last valid frame.
func literalMonotonic(p: [[Double]], alpha0: [Double], length: Int, stayOnLast: Bool) -> [[Double]] {
    var previous = alpha0
    var rows: [[Double]] = []
    for row in p {
        var pe = row
        if stayOnLast { pe[length - 1] = 1 }
        var alpha = [Double](repeating: 0, count: row.count)
        for j in 0..<length {
            var sum = 0.0
            for k in 0...j {
                var product = 1.0
                for l in k..<j { product *= 1 - pe[l] }
                sum += previous[k] * product
            }
            alpha[j] = pe[j] * sum
        }
        rows.append(alpha)
        previous = alpha
    }
    return rows
}

/// Runs the float32 kernels over U steps and back-propagates L = Σ w ⊙ α:
/// returns α and the gradients wrt p [U][T] and α₀ [T].
func monotonicChain(p: [[Float]], alpha0: [Float], weights: [[Float]], length: Int, runOff: RunOffRule)
    -> (alpha: [[Float]], gradP: [[Float]], gradAlpha0: [Float])
{
    let time = alpha0.count
    var alphas: [[Float]] = []
    var qs: [[Float]] = []
    var previous = alpha0
    for row in p {
        var alpha = [Float](repeating: 0, count: time)
        var q = [Float](repeating: 0, count: time)
        MonotonicAlignment.forward(p: row, alphaPrevious: previous, time: time, length: length, runOff: runOff,
                                   alpha: &alpha, q: &q)
        alphas.append(alpha)
        qs.append(q)
        previous = alpha
    }
    var gradP = p.map { [Float](repeating: 0, count: $0.count) }
    var carried = [Float](repeating: 0, count: time)
    for i in stride(from: p.count - 1, through: 0, by: -1) {
        let gradAlpha = zip(weights[i], carried).map { $0 + $1 }
        var gradPrevious = [Float](repeating: 0, count: time)
        MonotonicAlignment.backward(p: p[i], q: qs[i], gradAlpha: gradAlpha, time: time, length: length,
                                    runOff: runOff, gradP: &gradP[i], gradAlphaPrevious: &gradPrevious)
        carried = gradPrevious
    }
    return (alphas, gradP, carried)
}

@Suite struct MonotonicAlignmentTests {
    let vectors = MonotonicVectors.shared

    @Test func expectedAlignmentMatchesEveryVector() {
        #expect(vectors.cases.count == 6)
        for c in vectors.cases {
            let alpha = MonotonicAlignment.expected(
                p: floats(c.p_choose), alphaInitial: c.alpha_prev.map { $0.map(Float.init) })
            #expect(maxAbsDifference(alpha, c.alpha_expected) < 1e-5, "case \(c.name)")
            if let sums = c.alpha_row_sums {
                for (row, sum) in zip(alpha, sums) {
                    #expect(abs(Double(row.reduce(0, +)) - sum) < 1e-5, "row sum in \(c.name)")
                }
            }
        }
    }

    @Test func stressVectorDisagreesWithTheClippedParallelForm() throws {
        let c = try #require(vectors.cases.first { $0.name == "stress_fire_before_head" })
        let alpha = MonotonicAlignment.expected(p: floats(c.p_choose))
        let wrong = try #require(c.alpha_parallel_safe_float32)
        #expect(maxAbsDifference(alpha, c.alpha_expected) < 1e-5)
        #expect(maxAbsDifference(alpha, wrong) > 0.1)
    }

    @Test(arguments: RunOffRule.allCases)
    func hardDecodingMatchesEveryVector(rule: RunOffRule) {
        for c in vectors.cases {
            let indices = rule == .zeros ? c.hard_indices : c.hard_indices_stay_last
            let rows = rule == .zeros ? c.hard_alignment : c.hard_alignment_stay_last
            guard let indices, let rows else { continue }
            let hard = MonotonicHead.alignment(p: floats(c.p_choose), runOff: rule)
            #expect(hard == indices.map { $0 < 0 ? nil : $0 }, "case \(c.name)")
            let oneHot: [[Float]] = hard.map { index in
                (0..<c.T).map { $0 == index ? 1 : 0 }
            }
            #expect(maxAbsDifference(oneHot, rows) == 0, "case \(c.name)")
        }
    }

    @Test func stayOnLastExpectationEqualsHardStayOnLastForBinaryVector() throws {
        let c = try #require(vectors.cases.first { $0.name == "binary_4x5" })
        let alpha = MonotonicAlignment.expected(p: floats(c.p_choose), runOff: .stayOnLast)
        #expect(maxAbsDifference(alpha, try #require(c.hard_alignment_stay_last)) == 0)
    }

    @Test func recurrenceEqualsLiteralDefinitionOnRandomInputs() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<200 {
            let time = Int.random(in: 1...24, using: &rng)
            let steps = Int.random(in: 1...8, using: &rng)
            let length = Int.random(in: 1...time, using: &rng)
            let p = (0..<steps).map { _ in rng.floats(time, 0...1) }
            // A non-delta start (Dirichlet-like, scaled to 0.5–1) on every other trial.
            var alpha0 = MonotonicAlignment.initial(time: time)
            if trial % 2 == 1 {
                let raw = rng.floats(time, 0.01...1)
                let scale = Float(rng.uniform(0.5...1)) / raw[..<length].reduce(0, +)
                alpha0 = raw.enumerated().map { $0.offset < length ? $0.element * scale : 0 }
            }
            for rule in RunOffRule.allCases {
                let reference = literalMonotonic(
                    p: p.map { $0.map(Double.init) }, alpha0: alpha0.map(Double.init), length: length,
                    stayOnLast: rule == .stayOnLast)
                let zeroWeights = p.map { [Float](repeating: 0, count: $0.count) }
                let alpha = monotonicChain(p: p, alpha0: alpha0, weights: zeroWeights, length: length, runOff: rule).alpha
                #expect(maxAbsDifference(alpha, reference) < 1e-5, "trial \(trial) \(rule)")
                for row in alpha {
                    #expect(row.allSatisfy { $0 >= 0 })
                    #expect(row.reduce(0, +) <= alpha0.reduce(0, +) + 1e-5)
                }
            }
        }
    }

    @Test(arguments: RunOffRule.allCases)
    func backwardMatchesFiniteDifferences(rule: RunOffRule) {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<20 {
            let time = Int.random(in: 2...12, using: &rng)
            let steps = Int.random(in: 2...5, using: &rng)
            let length = trial % 3 == 0 ? Int.random(in: 1...time, using: &rng) : time
            let p = (0..<steps).map { _ in rng.floats(time, 0.05...0.95) }
            let weights = (0..<steps).map { _ in rng.floats(time, -1...1) }
            let raw = rng.floats(time, 0.05...1)
            let total = raw.reduce(0, +)
            let alpha0 = raw.map { $0 / total }
            let (_, gradP, gradAlpha0) = monotonicChain(p: p, alpha0: alpha0, weights: weights, length: length, runOff: rule)

            let w64 = weights.map { $0.map(Double.init) }
            let a64 = alpha0.map(Double.init)
            func loss(_ flatP: [Double], _ start: [Double]) -> Double {
                let rows = (0..<steps).map { Array(flatP[($0 * time)..<(($0 + 1) * time)]) }
                let alpha = literalMonotonic(p: rows, alpha0: start, length: length, stayOnLast: rule == .stayOnLast)
                return zip(alpha, w64).reduce(0) { $0 + zip($1.0, $1.1).reduce(0) { $0 + $1.0 * $1.1 } }
            }
            let flatP = p.flatMap { $0.map(Double.init) }
            let numericP = numericalGradient(flatP) { loss($0, a64) }
            let numericAlpha0 = numericalGradient(a64) { loss(flatP, $0) }
            expectClose(gradP.flatMap { $0 }, numericP, "∂L/∂p trial \(trial)")
            expectClose(gradAlpha0, numericAlpha0, "∂L/∂α₀ trial \(trial)")
        }
    }

    @Test(arguments: RunOffRule.allCases)
    func hardDecodingEqualsExpectationForBinaryProbabilities(rule: RunOffRule) {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<300 {
            let time = Int.random(in: 1...20, using: &rng)
            let steps = Int.random(in: 1...10, using: &rng)
            // Away from 0.5 so that sharpening decides every frame.
            let soft = (0..<steps).map { _ in rng.floats(time, 0...1).map { $0 < 0.5 ? $0 * 0.9 : 0.1 + $0 * 0.9 } }
            let binary = soft.map { $0.map { $0 >= 0.5 ? Float(1) : 0 } }
            let expected = MonotonicAlignment.expected(p: binary, runOff: rule)
            let hard = MonotonicHead.alignment(p: soft, runOff: rule)
            let oneHot: [[Double]] = hard.map { index in (0..<time).map { $0 == index ? 1 : 0 } }
            #expect(maxAbsDifference(expected, oneHot) == 0)
            // Pushing the energies towards ±∞ (p = σ(κ·logit p)) makes the expectation approach it.
            let sharp = soft.map { row in
                row.map { p -> Float in
                    let logit = log(Double(max(p, 1e-6)) / Double(max(1 - p, 1e-6)))
                    return Float(1 / (1 + exp(-200 * logit)))
                }
            }
            let sharpExpected = MonotonicAlignment.expected(p: sharp, runOff: rule)
            #expect(maxAbsDifference(sharpExpected, oneHot) < 1e-5)
        }
    }
}
