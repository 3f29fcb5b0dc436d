/// One-pass joint CTC/attention decoding (Watanabe et al. 2017, "Hybrid CTC/Attention Architecture",
/// §3.2): each hypothesis h is ranked by (1 − μ)·log p_att(h) + μ·log ψ(h), ψ the CTC prefix score of h
/// from the model's CTC head (`CTCPrefix`). A decoder step that attended state j scores its candidates
/// with the CTC sums truncated at j, so monotonic attention stays online (the states after j are not
/// needed) and streaming equals offline decoding; softmax attention (offline) uses every state.
/// End of sequence scores h's end score log(γⁿ_j(h) + γᵇ_j(h)).
struct JointCTCScoring {
    /// μ.
    let weight: Double
    /// Whether scores stop at the attended state.
    let usesAttendedState: Bool

    /// A hypothesis's CTC side: its prefix and log ψ of it (0 for the empty prefix).
    struct Side {
        var prefix = CTCPrefix()
        var score = 0.0
    }

    /// Joint scoring with `config.ctcWeight` over `snapshot`'s CTC head; nil when the weight is 0 or the
    /// model has no CTC head (decoding is then by attention alone, exactly as without joint decoding).
    init?(snapshot: DecoderSnapshot, config: DecodingConfig) {
        guard snapshot.ctc != nil, config.ctcWeight > 0 else { return nil }
        weight = Double(config.ctcWeight)
        usesAttendedState = snapshot.ctcUsesAttendedState
    }

    /// For each output class c of `out` (phones, then end of sequence): the increment of the joint score,
    /// (1 − μ)·log p_att(c) + μ·(log ψ_j(h + c) − log ψ(h)), and the new CTC score log ψ_j(h + c).
    func step(_ out: StepOutput, side: Side, memory: AttentionMemory) -> (increments: [Double], scores: [Double]) {
        let attention = out.logProbabilities.map { (1 - weight) * Double($0) }
        guard let y = memory.ctc, y.count > 0 else { return (attention, [Double](repeating: 0, count: attention.count)) }
        let horizon = usesAttendedState ? min(out.frame ?? (y.count - 1), y.count - 1) : y.count - 1
        var scores = side.prefix.extensionScores(through: horizon, y)
        scores[y.blank] = side.prefix.endScore(through: horizon, y)   // the blank's slot is end of sequence's
        let increments = zip(attention, scores).map { $0 + weight * ($1 - side.score) }
        return (increments, scores)
    }

    /// The best class of `out` by joint score (the first on ties), its increment and the side after it.
    func choose(_ out: StepOutput, side: Side, memory: AttentionMemory) -> (label: Int, increment: Double, side: Side) {
        let (increments, scores) = step(out, side: side, memory: memory)
        var best = 0
        for c in increments.indices where increments[c] > increments[best] { best = c }
        return (best, increments[best], Side(prefix: side.prefix.appending(best), score: scores[best]))
    }
}
