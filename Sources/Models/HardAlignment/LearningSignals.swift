import Randomness

/// The learning signals of the score-function terms, from the k sampled trajectories of one utterance
/// (float64, outside the autodiff graph). Steps are 0-based here: step s is the paper's t = s + 1.
public enum LearningSignals {
    /// Returns R_s = Σ_{s' ≥ s} r_{s'} for s = 0..<T.
    public static func returns(_ rewards: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: rewards.count)
        var sum = 0.0
        for s in rewards.indices.reversed() {
            sum += rewards[s]
            result[s] = sum
        }
        return result
    }

    /// Leave-one-out signal (eq. 6, simplified): R₁⁽ⁱ⁾ − mean_{j≠i} R₁⁽ʲ⁾, the same for every step of sample i.
    public static func leaveOneOut(totals: [Double]) -> [Double] {
        let k = Double(totals.count)
        let sum = totals.reduce(0, +)
        return totals.map { $0 - (sum - $0) / (k - 1) }
    }

    /// Temporal leave-one-out baselines (eq. 7): c[i][s] = mean_{j≠i} Σ_{s' ≥ e_j} r⁽ʲ⁾_{s'}, where
    /// e_j = min{ s' : O⁽ʲ⁾(s') ≥ O⁽ⁱ⁾(s) } is the first step count at which sample j has emitted as many
    /// tokens as sample i had before step s. `rewards[i]` has T_i entries; `emitted[i]` = O⁽ⁱ⁾(0…T_i).
    public static func temporalBaselines(rewards: [[Double]], emitted: [[Int]]) -> [[Double]] {
        let k = rewards.count
        // suffix[j][e] = Σ_{s ≥ e} r⁽ʲ⁾_s; reach[j][c] = min{ e : O⁽ʲ⁾(e) ≥ c }.
        let suffix = rewards.map { r in returns(r) + [0] }
        let reach: [[Int]] = emitted.map { counts in
            var first: [Int] = []
            for (e, c) in counts.enumerated() where c >= first.count {
                while first.count <= c { first.append(e) }
            }
            return first
        }
        return (0..<k).map { i in
            (0..<rewards[i].count).map { s in
                let count = emitted[i][s]
                var sum = 0.0
                for j in 0..<k where j != i {
                    precondition(count < reach[j].count, "sample \(j) never emits \(count) tokens")
                    sum += suffix[j][reach[j][count]]
                }
                return sum / Double(k - 1)
            }
        }
    }

    /// Temporal leave-one-out signals R⁽ⁱ⁾_s − c[i][s] (eq. 7).
    public static func temporalLeaveOneOut(rewards: [[Double]], emitted: [[Int]]) -> [[Double]] {
        let baselines = temporalBaselines(rewards: rewards, emitted: emitted)
        return rewards.indices.map { i in zip(returns(rewards[i]), baselines[i]).map { $0 - $1 } }
    }

    /// VIMCO's estimate and weights from u_i = log f⁽ⁱ⁾: L̂ = logsumexp(u) − log k, w̃ = softmax(u).
    public static func multiSampleBound(logWeights u: [Double]) -> (bound: Double, weights: [Double]) {
        let total = logSumExp(u)
        return (total - LibM.log(Double(u.count)), u.map { LibM.exp($0 - total) })
    }

    /// VIMCO's leave-one-out signal L̂ − L̂(u with u_i replaced by `replacement[i]`), where the
    /// replacement is the geometric mean of the others, (Σ_{j≠i} u_j)/(k − 1) (Mnih & Rezende 2016).
    public static func multiSampleLeaveOneOut(logWeights u: [Double]) -> [Double] {
        let k = Double(u.count)
        let sum = u.reduce(0, +)
        return multiSampleSwapOut(logWeights: u, replacements: u.map { (sum - $0) / (k - 1) })
    }

    /// L̂(u) − L̂(u with u_i := replacements[i]) for each i.
    public static func multiSampleSwapOut(logWeights u: [Double], replacements: [Double]) -> [Double] {
        let bound = multiSampleBound(logWeights: u).bound
        return u.indices.map { i in
            var swapped = u
            swapped[i] = replacements[i]
            return bound - multiSampleBound(logWeights: swapped).bound
        }
    }

    /// VIMCO with the temporal leave-one-out baseline (this toolkit's reading; the paper gives no formula):
    /// at step s sample i's log-weight is replaced by its own prefix Σ_{s' < s} r′⁽ⁱ⁾_{s'} plus the eq. 7
    /// baseline of the remaining tokens, where r′ are per-step terms summing to u_i
    /// (b_t log p(y_t) + log p(b_t) − log q(b_t)). At s = 0 this is the geometric-mean swap-out; the
    /// replacement never depends on b⁽ⁱ⁾_s or later, so the estimator stays unbiased.
    public static func multiSampleTemporalLeaveOneOut(rewards: [[Double]], emitted: [[Int]]) -> [[Double]] {
        let u = rewards.map { $0.reduce(0, +) }
        let bound = multiSampleBound(logWeights: u).bound
        let baselines = temporalBaselines(rewards: rewards, emitted: emitted)
        return rewards.indices.map { i in
            var prefix = 0.0
            return rewards[i].indices.map { s in
                var swapped = u
                swapped[i] = prefix + baselines[i][s]
                prefix += rewards[i][s]
                return bound - multiSampleBound(logWeights: swapped).bound
            }
        }
    }

    /// log Σ exp(values), stable.
    public static func logSumExp(_ values: [Double]) -> Double {
        guard let top = values.max(), top.isFinite else { return values.max() ?? -.infinity }
        return top + LibM.log(values.reduce(0) { $0 + LibM.exp($1 - top) })
    }

    /// Sample variance (1/(k−1)) Σ (v − mean)² of `values` (0 for fewer than two).
    public static func variance(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }
}
