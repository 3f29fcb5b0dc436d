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

    /// Beam search of `config.beamWidth` hypotheses over a complete memory (`BeamFrontier`): steps until
    /// no hypothesis is open, none can win any more, or the step limit.
    public func beamSearch(_ memory: AttentionMemory, config: DecodingConfig) -> Hypothesis {
        if config.beamWidth == 1 { return greedy(memory, config: config) }
        return searchedFrontier(memory, config: config).best
    }

    /// The `count` best finished hypotheses of `beamSearch` at most, best first (its result first);
    /// greedy decoding's one hypothesis for beam width 1.
    public func nbest(_ memory: AttentionMemory, config: DecodingConfig, count: Int) -> [Hypothesis] {
        if config.beamWidth == 1 { return [greedy(memory, config: config)] }
        return Array(searchedFrontier(memory, config: config).ranked.prefix(count))
    }

    /// The frontier once beam search over the complete `memory` has ended.
    private func searchedFrontier(_ memory: AttentionMemory, config: DecodingConfig) -> BeamFrontier {
        var frontier = BeamFrontier(decoder: self, config: config)
        let limit = config.maxSteps(states: memory.count)
        while frontier.step < limit, !frontier.isDone {
            guard frontier.attendAll(memory) else { preconditionFailure("complete memory") }
            frontier.expand(memory, isLast: frontier.step == limit - 1)
        }
        return frontier
    }
}
