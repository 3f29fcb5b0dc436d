import TensorCore

extension DecoderSnapshot {
    /// Greedy decoding over a complete memory: at each step the most probable label, until end of
    /// sequence or the step limit.
    public func greedy(_ memory: AttentionMemory, config: DecodingConfig = .init()) -> Hypothesis {
        precondition(memory.isComplete, "greedy decoding needs the whole input; use OnlineDecoder to stream")
        var state = initialState()
        var label = labelCount + 1
        var result = Hypothesis(labels: [], frames: [], logProbability: 0)
        for _ in 0..<config.maxSteps(states: memory.count) {
            var pending = prepare(state, label: label)
            guard let out = attend(&pending, memory: memory) else { preconditionFailure("complete memory") }
            let best = argmax(out.logProbabilities)
            result.logProbability += out.logProbabilities[best]
            if best == labelCount { break }
            result.labels.append(best)
            result.frames.append(out.frame)
            state = out.state
            label = best
        }
        return result
    }

    /// Beam search of `config.beamWidth` hypotheses over a complete memory; finished hypotheses are
    /// ranked by log p, divided by (labels + 1) with `lengthNormalization`.
    public func beamSearch(_ memory: AttentionMemory, config: DecodingConfig) -> Hypothesis {
        if config.beamWidth == 1 { return greedy(memory, config: config) }
        struct Beam {
            var state: DecoderState
            var hypothesis: Hypothesis
            var last: Int
        }
        func rank(_ h: Hypothesis) -> Float {
            config.lengthNormalization ? h.logProbability / Float(h.labels.count + 1) : h.logProbability
        }
        var beams = [Beam(state: initialState(), hypothesis: Hypothesis(labels: [], frames: [], logProbability: 0),
                          last: labelCount + 1)]
        var finished: [Hypothesis] = []
        let limit = config.maxSteps(states: memory.count)
        for step in 0..<limit where !beams.isEmpty {
            var candidates: [Beam] = []
            for beam in beams {
                var pending = prepare(beam.state, label: beam.last)
                guard let out = attend(&pending, memory: memory) else { preconditionFailure("complete memory") }
                let top = out.logProbabilities.indices.sorted { out.logProbabilities[$0] > out.logProbabilities[$1] }
                    .prefix(config.beamWidth)
                for label in top {
                    var h = beam.hypothesis
                    h.logProbability += out.logProbabilities[label]
                    if label == labelCount || step == limit - 1 {
                        finished.append(h)
                    } else {
                        h.labels.append(label)
                        h.frames.append(out.frame)
                        candidates.append(Beam(state: out.state, hypothesis: h, last: label))
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
