import Randomness
import TensorCore

/// Per-step log-probabilities of sampled trajectories, read (in float64) from the teacher-forced logits.
public struct PathTerms: Sendable, Equatable {
    /// r_s = b_s log p(y_{O(s)} | s_s) per step (0 on ingest steps).
    public var rewards: [Double]
    /// log p(b_s | s_s) per step (0 where forced).
    public var decisions: [Double]
    /// log q(b_s | ·) per step (0 where forced, and all 0 without q).
    public var inference: [Double]
    /// log σ(z_s) of p at each forced emit when forced emits are scored (`lastFrame`), else 0.
    public var forcedEmits: [Double]
    /// The latency cost −λ·(phones still to emit) at each ingest step, 0 elsewhere (`delayPenalty`).
    public var latency: [Double]
    /// O(0…T).
    public var emitted: [Int]

    /// The terms of one trajectory (`forcedEmits` all 0 unless forced emits are scored).
    public init(rewards: [Double], decisions: [Double], inference: [Double], forcedEmits: [Double]? = nil,
                latency: [Double]? = nil, emitted: [Int]) {
        self.rewards = rewards
        self.decisions = decisions
        self.inference = inference
        self.forcedEmits = forcedEmits ?? Array(repeating: 0, count: rewards.count)
        self.latency = latency ?? Array(repeating: 0, count: rewards.count)
        self.emitted = emitted
    }

    /// Per-step terms of the prior bound's return: r_s plus a scored forced emit's log σ(z_s). Sampling
    /// from p with forced emits is sampling from p restricted to valid strings, whose probability of b
    /// leaves the forced emits out; so p(y, b | x) / p_restricted(b) keeps their log σ(z). The latency
    /// cost is added.
    public var priorRewards: [Double] { rewards.indices.map { rewards[$0] + forcedEmits[$0] + latency[$0] } }
    /// log p(y, b | x) − λ·D(b) = Σ r + Σ log p(b) (free decisions and scored forced emits) + Σ latency.
    public var joint: Double { rewards.reduce(0, +) + decisions.reduce(0, +) + forcedEmits.reduce(0, +) + latency.reduce(0, +) }
    /// log f = log p(y, b | x) − λ·D(b) − log q(b | x, y).
    public var logWeight: Double { joint - inference.reduce(0, +) }
    /// Per-step terms of log f: r_s + log p(b_s) + latency_s − log q(b_s).
    public var weightTerms: [Double] {
        rewards.indices.map { rewards[$0] + decisions[$0] + forcedEmits[$0] + latency[$0] - inference[$0] }
    }
}

/// Figures of one batch that tell whether an estimator is working (summed; divide for means).
public struct HardAlignmentStatistics: Sendable, Equatable {
    /// Utterances.
    public var utterances = 0
    /// Σ over utterances of the bound's estimate.
    public var bound = 0.0
    /// Σ over utterances of the variance, across the k samples, of the learning signal at the first step.
    public var signalVariance = 0.0
    /// Σ over samples of the decisions taken.
    public var decisions = 0
    /// Σ over samples of the forced decisions.
    public var forcedDecisions = 0
    /// Σ over samples of the free (sampled) emits.
    public var freeEmits = 0
    /// Σ over samples of the target lengths.
    public var targetTokens = 0

    /// Named means for logs: `bound` (per utterance), `signalVariance`, `freeEmitsPerTarget`, `forcedFraction`.
    public var named: [String: Double] {
        let u = Double(max(utterances, 1))
        return ["bound": bound / u, "signalVariance": signalVariance / u,
                "freeEmitsPerTarget": Double(freeEmits) / Double(max(targetTokens, 1)),
                "forcedFraction": Double(forcedDecisions) / Double(max(decisions, 1))]
    }
}

/// The estimator's coefficients on the per-step log-probabilities of the k sampled trajectories of
/// every utterance: the gradient of Σ_{r,s} (a·log p(y) + c·log p(b) + d·log q(b) + β·H) is the
/// estimator of the gradient of Σ_u bound_u.
///
/// - reinforce (eq. 2, b ∼ p): a = 1/k, c = (1/k)(R_s − baseline_s), d = 0; estimate (1/k) Σ_i R₁⁽ⁱ⁾.
/// - nvil (eq. 4, b ∼ q): a = c = 1/k, d = (1/k)(l_s − baseline_s) with l_s the causal return of
///   r′ = r + log p(b) − log q(b); estimate (1/k) Σ_i log f⁽ⁱ⁾.
/// - vimco (eq. 5, b ∼ q): a = c = w̃_i, d = signal_{i,s} − w̃_i (the leave-one-out signal of L̂);
///   estimate L̂ = log (1/k) Σ_i f⁽ⁱ⁾.
/// The entropy bonus β weights (1/k) H(b_s) of the sampling distribution's free decisions. With
/// `scoresForcedEmits` every forced emit's log σ(z) is part of log p(y, b | x) (and of REINFORCE's
/// rewards) and gets the direct weight of its sample (1/k, or w̃_i for VIMCO); it has no score term.
public struct HardAlignmentObjective: Sendable {
    /// Weight a of log p(y_{O(s)}) per (row, step), row-major [N, T].
    public var tokenWeights: [Double]
    /// Weight c of log p(b_s) per (row, step).
    public var decisionWeights: [Double]
    /// Weight d of log q(b_s) per (row, step).
    public var inferenceWeights: [Double]
    /// Entropy-bonus weight on p's decisions per (row, step).
    public var decisionEntropy: [Double]
    /// Entropy-bonus weight on q's decisions per (row, step).
    public var inferenceEntropy: [Double]
    /// Σ_u of each utterance's bound estimate.
    public var bound: Double
    /// The batch's figures.
    public var statistics: HardAlignmentStatistics

    /// The coefficients of `terms` (one per row, rows utterance-major with `samples` rows each, every
    /// row padded to `steps`) under `estimator` and `baseline`.
    public init(terms: [PathTerms], forced: [[Bool]], targetLengths: [Int], samples k: Int, steps T: Int,
                estimator: HardAlignmentEstimator, baseline: HardAlignmentBaseline, entropyBonus: Double,
                scoresForcedEmits: Bool = false) {
        let N = terms.count
        tokenWeights = Array(repeating: 0, count: N * T)
        decisionWeights = tokenWeights
        inferenceWeights = tokenWeights
        decisionEntropy = tokenWeights
        inferenceEntropy = tokenWeights
        bound = 0
        statistics = HardAlignmentStatistics()
        let share = 1 / Double(k)
        for u in 0..<(N / k) {
            let group = Array((u * k)..<((u + 1) * k))
            let own = group.map { terms[$0] }
            let rewards = estimator == .reinforce ? own.map(\.priorRewards) : own.map(\.weightTerms)
            let emitted = own.map(\.emitted)
            var signals: [[Double]]
            switch baseline {
            case .loo:
                let flat = estimator == .vimco
                    ? LearningSignals.multiSampleLeaveOneOut(logWeights: own.map(\.logWeight))
                    : LearningSignals.leaveOneOut(totals: rewards.map { $0.reduce(0, +) })
                signals = zip(flat, rewards).map { Array(repeating: $0, count: $1.count) }
            case .temporalLoo:
                signals = estimator == .vimco
                    ? LearningSignals.multiSampleTemporalLeaveOneOut(rewards: rewards, emitted: emitted)
                    : LearningSignals.temporalLeaveOneOut(rewards: rewards, emitted: emitted)
            }
            let (vimcoBound, normalised) = LearningSignals.multiSampleBound(logWeights: own.map(\.logWeight))
            switch estimator {
            case .reinforce: bound += own.reduce(0) { $0 + $1.priorRewards.reduce(0, +) } * share
            case .nvil: bound += own.reduce(0) { $0 + $1.logWeight } * share
            case .vimco: bound += vimcoBound
            }
            statistics.utterances += 1
            statistics.signalVariance += LearningSignals.variance(signals.map { $0.first ?? 0 })
            for (i, r) in group.enumerated() {
                let weight = estimator == .vimco ? normalised[i] : share
                let counts = terms[r].emitted
                for s in 0..<terms[r].rewards.count {
                    let at = r * T + s
                    let free = !forced[r][s]
                    tokenWeights[at] = weight
                    let forcedWeight = !free && scoresForcedEmits && counts[s + 1] > counts[s] ? weight : 0
                    switch estimator {
                    case .reinforce:
                        decisionWeights[at] = free ? share * signals[i][s] : forcedWeight
                        decisionEntropy[at] = free ? share * entropyBonus : 0
                    case .nvil:
                        decisionWeights[at] = free ? share : forcedWeight
                        inferenceWeights[at] = free ? share * signals[i][s] : 0
                        inferenceEntropy[at] = free ? share * entropyBonus : 0
                    case .vimco:
                        decisionWeights[at] = free ? weight : forcedWeight
                        inferenceWeights[at] = free ? signals[i][s] - weight : 0
                        inferenceEntropy[at] = free ? share * entropyBonus : 0
                    }
                    statistics.decisions += 1
                    if !free { statistics.forcedDecisions += 1 }
                }
                statistics.freeEmits += (0..<terms[r].rewards.count).filter { !forced[r][$0] && counts[$0 + 1] > counts[$0] }.count
                statistics.targetTokens += targetLengths[u]
            }
        }
        statistics.bound = bound
    }
}
