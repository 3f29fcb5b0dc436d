import TensorCore

extension DecoderSnapshot {
    /// Greedy decoding over a complete memory: at each step the most probable label (by the joint
    /// CTC/attention score with `config.ctcWeight` and a CTC head, `JointCTCScoring`), until end of
    /// sequence or the step limit.
    public func greedy(_ memory: AttentionMemory, config: DecodingConfig = .init()) -> Hypothesis {
        precondition(memory.isComplete, "greedy decoding needs the whole input; use OnlineDecoder to stream")
        let joint = JointCTCScoring(snapshot: self, config: config)
        var side = JointCTCScoring.Side()
        var state = initialState()
        var label = labelCount + 1
        var result = Hypothesis(labels: [], frames: [], logProbability: 0)
        for _ in 0..<config.maxSteps(states: memory.count) {
            var pending = prepare(state, label: label)
            guard let out = attend(&pending, memory: memory) else { preconditionFailure("complete memory") }
            let best: Int
            if let joint {
                let choice = joint.choose(out, side: side, memory: memory)
                (best, side) = (choice.label, choice.side)
                result.logProbability += Float(choice.increment)
            } else {
                best = argmax(out.logProbabilities)
                result.logProbability += out.logProbabilities[best]
            }
            if best == labelCount { break }
            result.labels.append(best)
            result.frames.append(out.frame)
            state = out.state
            label = best
        }
        return result
    }

    /// Beam search of `config.beamWidth` hypotheses over a complete memory; finished hypotheses are
    /// ranked by log p, divided by (labels + 1) with `lengthNormalization`. With `config.ctcWeight` and
    /// a CTC head, log p is the joint score (1 − μ)·log p_att + μ·log p_ctc (one-pass joint decoding).
    public func beamSearch(_ memory: AttentionMemory, config: DecodingConfig) -> Hypothesis {
        if config.beamWidth == 1 { return greedy(memory, config: config) }
        struct Beam {
            var state: DecoderState
            var hypothesis: Hypothesis
            var last: Int
            var side: JointCTCScoring.Side?
        }
        let joint = JointCTCScoring(snapshot: self, config: config)
        func rank(_ h: Hypothesis) -> Float {
            config.lengthNormalization ? h.logProbability / Float(h.labels.count + 1) : h.logProbability
        }
        var beams = [Beam(state: initialState(), hypothesis: Hypothesis(labels: [], frames: [], logProbability: 0),
                          last: labelCount + 1, side: joint.map { _ in JointCTCScoring.Side() })]
        var finished: [Hypothesis] = []
        let limit = config.maxSteps(states: memory.count)
        for step in 0..<limit where !beams.isEmpty {
            var candidates: [Beam] = []
            for beam in beams {
                var pending = prepare(beam.state, label: beam.last)
                guard let out = attend(&pending, memory: memory) else { preconditionFailure("complete memory") }
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
                    if label == labelCount || step == limit - 1 {
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
            // Stop once no open beam can beat the best finished one (log p only falls).
            if let best = finished.map(rank).max(), !config.lengthNormalization,
               beams.allSatisfy({ $0.hypothesis.logProbability < best }) { break }
        }
        return finished.max { rank($0) < rank($1) } ?? Hypothesis(labels: [], frames: [], logProbability: -.infinity)
    }
}
