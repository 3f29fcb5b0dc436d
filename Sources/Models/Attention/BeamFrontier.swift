/// The open and finished hypotheses of attention beam search between output steps, shared by offline
/// `beamSearch` and `AttentionOnlineBeamDecoder`. A step attends every open hypothesis (each with its own
/// attention position, kept in its pending step), expands each by its `beamWidth` best classes and keeps
/// the `beamWidth` best; finished hypotheses are ranked by log p, divided by (labels + 1) with
/// `lengthNormalization`. With `config.ctcWeight` and a CTC head, log p is the joint score
/// (1 − μ)·log p_att + μ·log p_ctc.
struct BeamFrontier {
    /// One open hypothesis.
    struct Beam {
        var state: DecoderState
        var hypothesis: Hypothesis
        var last: Int
        var side: JointCTCScoring.Side?
        /// The step under way while it waits for states (online).
        var pending: PendingStep?
        /// This step's output once attended.
        var output: StepOutput?
    }

    let decoder: DecoderSnapshot
    let config: DecodingConfig
    let joint: JointCTCScoring?
    private(set) var beams: [Beam]
    private(set) var finished: [Hypothesis] = []
    /// Steps taken.
    private(set) var step = 0
    /// Whether no open hypothesis can beat the best finished one any more (without length normalisation).
    private(set) var stopped = false

    /// The frontier before the first step: one empty hypothesis after the start symbol.
    init(decoder: DecoderSnapshot, config: DecodingConfig) {
        self.decoder = decoder
        self.config = config
        joint = JointCTCScoring(snapshot: decoder, config: config)
        beams = [Beam(state: decoder.initialState(), hypothesis: Hypothesis(labels: [], frames: [], logProbability: 0),
                      last: decoder.labelCount + 1, side: joint.map { _ in JointCTCScoring.Side() })]
    }

    /// Whether the search is over: no open hypothesis, or none that can still win.
    var isDone: Bool { beams.isEmpty || stopped }

    /// The score finished hypotheses are ranked by.
    func rank(_ h: Hypothesis) -> Float {
        config.lengthNormalization ? h.logProbability / Float(h.labels.count + 1) : h.logProbability
    }

    /// The best finished hypothesis (an empty one of log p −∞ when none finished).
    var best: Hypothesis {
        finished.max { rank($0) < rank($1) } ?? Hypothesis(labels: [], frames: [], logProbability: -.infinity)
    }

    /// The finished hypotheses best first (ties: in the order they finished); `[best]` when none finished.
    var ranked: [Hypothesis] {
        guard !finished.isEmpty else { return [best] }
        return finished.indices.sorted { a, b in
            let (ra, rb) = (rank(finished[a]), rank(finished[b]))
            return ra != rb ? ra > rb : a < b
        }.map { finished[$0] }
    }

    /// Every hypothesis that can still become the result: the best finished one (finished ones never
    /// change) and the open ones, less, without length normalisation, those already below it (log p only falls).
    var contenders: [Hypothesis] {
        guard let leader = finished.max(by: { rank($0) < rank($1) }) else { return beams.map(\.hypothesis) }
        let open = beams.map(\.hypothesis).filter { config.lengthNormalization || $0.logProbability >= rank(leader) }
        return [leader] + open
    }

    /// Attends every open hypothesis with the states in `memory`; false while one of them needs states
    /// that have not arrived (those attended keep their output).
    mutating func attendAll(_ memory: AttentionMemory) -> Bool {
        var ready = true
        for index in beams.indices where beams[index].output == nil {
            var pending = beams[index].pending ?? decoder.prepare(beams[index].state, label: beams[index].last)
            if let out = decoder.attend(&pending, memory: memory) {
                beams[index].output = out
                beams[index].pending = nil
            } else {
                beams[index].pending = pending
                ready = false
            }
        }
        return ready
    }

    /// One step after `attendAll` returned true; `isLast` finishes every candidate (the step limit).
    mutating func expand(_ memory: AttentionMemory, isLast: Bool) {
        var candidates: [Beam] = []
        for beam in beams {
            guard let out = beam.output else { preconditionFailure("expand before every hypothesis attended") }
            var scores = out.logProbabilities
            var ctcScores: [Double] = []
            if let joint, let side = beam.side {
                let step = joint.step(out, side: side, memory: memory)
                (scores, ctcScores) = (step.increments.map { Float($0) }, step.scores)
            }
            let top = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(config.beamWidth)
            for label in top {
                var h = beam.hypothesis
                h.logProbability += scores[label]
                if label == decoder.labelCount || isLast {
                    finished.append(h)
                } else {
                    h.labels.append(label)
                    h.frames.append(out.frame)
                    let side = beam.side.map { JointCTCScoring.Side(prefix: $0.prefix.appending(label), score: ctcScores[label]) }
                    candidates.append(Beam(state: out.state, hypothesis: h, last: label, side: side))
                }
            }
        }
        candidates.sort { $0.hypothesis.logProbability > $1.hypothesis.logProbability }
        beams = Array(candidates.prefix(config.beamWidth))
        step += 1
        // Stop once no open beam can beat the best finished one (log p only falls).
        if let best = finished.map(rank).max(), !config.lengthNormalization,
           beams.allSatisfy({ $0.hypothesis.logProbability < best }) {
            stopped = true
        }
    }
}
