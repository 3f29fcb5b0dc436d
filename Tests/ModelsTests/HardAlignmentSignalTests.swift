import Randomness
import Testing
@testable import Models

/// The learning signals of the hard-alignment estimators against direct evaluations of the paper's
/// equations (Lawson et al. 2018 eqs. 6 and 7; Mnih & Rezende 2016 for VIMCO), on random trajectories.
@Suite struct HardAlignmentSignalTests {
    /// k random valid trajectories over m positions and n tokens, with rewards on their emit steps.
    static func samples(k: Int, m: Int, n: Int, seed: UInt64) -> (paths: [DecisionPath], rewards: [[Double]]) {
        var rng = Xoshiro256StarStar(seed: seed)
        let paths = (0..<k).map { _ in
            var path = DecisionPath(positions: m, tokens: n)
            while !path.isComplete { path.append(path.forcedNext ?? (rng.nextUnit() < 0.4)) }
            return path
        }
        let rewards = paths.map { path in path.decisions.map { $0 ? -Double(rng.nextUnit()) * 3 : 0 } }
        return (paths, rewards)
    }

    @Test func validPathsAreCountedByTheBinomialAndEndInAnIngest() {
        for (m, n) in [(1, 0), (1, 3), (4, 2), (6, 5), (3, 0)] {
            let all = DecisionPath.all(positions: m, tokens: n)
            var expected = 1   // C(m + n − 1, n)
            for i in 0..<n { expected = expected * (m - 1 + n - i) / (i + 1) }
            #expect(all.count == expected, "m \(m), n \(n)")
            #expect(Set(all).count == all.count)
            #expect(all.allSatisfy { $0.decisions.filter { $0 }.count == n && $0.decisions.last == false && $0.isComplete })
        }
    }

    @Test func leaveOneOutSignalEqualsEquationSixAtEveryStep() {
        let (paths, rewards) = Self.samples(k: 5, m: 7, n: 4, seed: 3)
        let k = Double(paths.count)
        let signal = LearningSignals.leaveOneOut(totals: rewards.map { $0.reduce(0, +) })
        for i in paths.indices {
            for t in 0..<rewards[i].count {
                // c_t^(i) = 1/(k−1) Σ_{j≠i} R_t^(j) + 1/(k−1) Σ_{j≠i} Σ_{t'<t} (r_{t'}^(j) − r_{t'}^(i))
                var c = 0.0
                for j in paths.indices where j != i {
                    c += rewards[j][t...].reduce(0, +) / (k - 1)
                    for s in 0..<t { c += (rewards[j][s] - rewards[i][s]) / (k - 1) }
                }
                let direct = rewards[i][t...].reduce(0, +) - c
                #expect(abs(direct - signal[i]) < 1e-12, "sample \(i) step \(t)")
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func temporalLeaveOneOutSignalEqualsADirectEvaluationOfEquationSeven(seed: UInt64) {
        let (paths, rewards) = Self.samples(k: 4, m: 6, n: 4, seed: seed)
        let emitted = paths.map(\.emittedCounts)
        let signal = LearningSignals.temporalLeaveOneOut(rewards: rewards, emitted: emitted)
        for i in paths.indices {
            for t in 1...rewards[i].count {   // the paper's 1-based t
                var c = 0.0
                for j in paths.indices where j != i {
                    // e_{t−1}^(j) = min{ t' ≥ 0 : O^(j)(t') ≥ O^(i)(t − 1) }
                    let e = (0...rewards[j].count).first { emitted[j][$0] >= emitted[i][t - 1] }!
                    // Σ_{t' > e} r_{t'}^(j), with r 1-based
                    c += (e..<rewards[j].count).reduce(0) { $0 + rewards[j][$1] } / Double(paths.count - 1)
                }
                let R = rewards[i][(t - 1)...].reduce(0, +)
                #expect(abs(R - c - signal[i][t - 1]) < 1e-12, "sample \(i) t \(t)")
            }
            // At t = 1 the baseline is the other samples' mean full return.
            let others = paths.indices.filter { $0 != i }.map { rewards[$0].reduce(0, +) }
            #expect(abs(signal[i][0] - (rewards[i].reduce(0, +) - others.reduce(0, +) / Double(others.count))) < 1e-12)
        }
    }

    @Test func vimcoSignalsMatchTheGeometricMeanSwapOut() {
        let u = [-3.2, -1.1, -7.5, -2.0]
        let k = Double(u.count)
        let (bound, weights) = LearningSignals.multiSampleBound(logWeights: u)
        let direct = libmLog(u.map { libmExp($0) }.reduce(0, +) / k)
        #expect(abs(bound - direct) < 1e-12)
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
        let signal = LearningSignals.multiSampleLeaveOneOut(logWeights: u)
        for i in u.indices {
            let geometric = (u.reduce(0, +) - u[i]) / (k - 1)
            var swapped = u.map { libmExp($0) }
            swapped[i] = libmExp(geometric)
            #expect(abs(signal[i] - (bound - libmLog(swapped.reduce(0, +) / k))) < 1e-12)
        }
        // The temporal reading reduces to it at the first step.
        let (paths, rewards) = Self.samples(k: 4, m: 5, n: 3, seed: 9)
        let temporal = LearningSignals.multiSampleTemporalLeaveOneOut(rewards: rewards, emitted: paths.map(\.emittedCounts))
        let flat = LearningSignals.multiSampleLeaveOneOut(logWeights: rewards.map { $0.reduce(0, +) })
        for i in paths.indices { #expect(abs(temporal[i][0] - flat[i]) < 1e-12) }
    }
}

private func libmLog(_ x: Double) -> Double { LibM.log(x) }
private func libmExp(_ x: Double) -> Double { LibM.exp(x) }
