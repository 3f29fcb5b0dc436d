import TensorCore

extension DecoderSnapshot {
    /// Greedy decoding over a complete memory: at each step the most probable label, until end of
    /// sequence or the step limit.
    public func greedy(_ memory: AttentionMemory, config: DecodingConfig = .init()) -> Hypothesis {
        precondition(memory.isComplete, "greedy decoding needs the whole input; use OnlineDecoder to stream")
        if let joint = JointCTCScoring(snapshot: self, config: config) { return jointGreedy(memory, config: config, joint: joint) }
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
        if let joint = JointCTCScoring(snapshot: self, config: config) {
            return jointBeamSearch(memory, config: config, joint: joint)
        }
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

extension DecoderSnapshot {
    /// Greedy joint CTC/attention decoding: at each step the class of best joint score; the hypothesis's
    /// log probability is its joint score (1 − μ)·log p_att + μ·log p_ctc.
    func jointGreedy(_ memory: AttentionMemory, config: DecodingConfig, joint: JointCTCScoring) -> Hypothesis {
        var state = initialState()
        var label = labelCount + 1
        var side = JointCTCScoring.Side()
        var result = Hypothesis(labels: [], frames: [], logProbability: 0)
        var score = 0.0
        for _ in 0..<config.maxSteps(states: memory.count) {
            var pending = prepare(state, label: label)
            guard let out = attend(&pending, memory: memory) else { preconditionFailure("complete memory") }
            let choice = joint.choose(out, side: side, memory: memory)
            score += choice.increment
            if choice.label == labelCount { break }
            result.labels.append(choice.label)
            result.frames.append(out.frame)
            state = out.state
            label = choice.label
            side = choice.side
        }
        result.logProbability = Float(score)
        return result
    }

    /// Joint CTC/attention beam search (one pass): hypotheses ranked by their joint score, finished ones
    /// divided by (labels + 1) with `lengthNormalization`; otherwise as `beamSearch`.
    func jointBeamSearch(_ memory: AttentionMemory, config: DecodingConfig, joint: JointCTCScoring) -> Hypothesis {
        struct Beam {
            var state: DecoderState
            var hypothesis: Hypothesis
            var last: Int
            var side: JointCTCScoring.Side
            var score: Double
        }
        func rank(_ f: (Hypothesis, Double)) -> Double {
            config.lengthNormalization ? f.1 / Double(f.0.labels.count + 1) : f.1
        }
        var beams = [Beam(state: initialState(), hypothesis: Hypothesis(labels: [], frames: [], logProbability: 0),
                          last: labelCount + 1, side: JointCTCScoring.Side(), score: 0)]
        var finished: [(Hypothesis, Double)] = []
        let limit = config.maxSteps(states: memory.count)
        for step in 0..<limit where !beams.isEmpty {
            var candidates: [Beam] = []
            for beam in beams {
                var pending = prepare(beam.state, label: beam.last)
                guard let out = attend(&pending, memory: memory) else { preconditionFailure("complete memory") }
                let (increments, scores) = joint.step(out, side: beam.side, memory: memory)
                let top = increments.indices.sorted { (increments[$0], -$0) > (increments[$1], -$1) }.prefix(config.beamWidth)
                for label in top {
                    var h = beam.hypothesis
                    let score = beam.score + increments[label]
                    h.logProbability = Float(score)
                    if label == labelCount || step == limit - 1 {
                        finished.append((h, score))
                    } else {
                        h.labels.append(label)
                        h.frames.append(out.frame)
                        let side = JointCTCScoring.Side(prefix: beam.side.prefix.appending(label), score: scores[label])
                        candidates.append(Beam(state: out.state, hypothesis: h, last: label, side: side, score: score))
                    }
                }
            }
            candidates.sort { $0.score > $1.score }
            beams = Array(candidates.prefix(config.beamWidth))
            if let best = finished.map(rank).max(), !config.lengthNormalization, beams.allSatisfy({ $0.score < best }) { break }
        }
        return finished.max { rank($0) < rank($1) }?.0 ?? Hypothesis(labels: [], frames: [], logProbability: -.infinity)
    }
}
