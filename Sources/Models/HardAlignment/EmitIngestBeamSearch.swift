import NeuralNet
import TensorCore

/// Beam search over (decision, token) prefixes of p that stays online (frame-synchronous): all
/// hypotheses read the same position; a step either ingests (score + log σ(−z), on to the next
/// position) or emits token v (score + log σ(z) + log p(v), the same position again). While reading a
/// position the best `beamWidth` emit extensions are stepped again (at most ⌈maxStepsPerState⌉ emits per
/// position); after it the best `beamWidth` hypotheses go on. The forcing of training holds here too:
/// a hypothesis that has emitted the end of sequence only ingests (its score no longer changes), and at
/// the last position (the end-of-input position, or the last frame with `lastFrame`) every step emits
/// (score + log p(v), plus log σ(z) when forced emits are scored) until the end of sequence, at most
/// `maxSteps(states:)` phones in all. The end of sequence is a candidate only at that last position: a
/// hypothesis that ended early would stop paying for the ingests of the input it has not read, which
/// (with forced ingests free, as in training) makes one-phone hypotheses win on any real utterance, so
/// every hypothesis reads the whole input. Hypotheses finished by the end of sequence are kept apart from
/// the beam (pruning them by log p alone would keep the shortest), and the result is the best of them,
/// ranked by log p, or by log p / (phones + 1) with `lengthNormalization`; one stopped by the step limit
/// without an end of sequence is the result only when none finished. Phone times are the positions read when emitted.
struct EmitIngestBeamSearch {
    let network: EmitIngestNetwork
    let search: DecodingConfig

    private struct Candidate {
        var labels: [Int] = []
        var times: [Int?] = []
        var score: Double = 0
        var state: [Float]
    }

    /// `vectors`: every position's read vector, the last the end-of-input position (or the last frame).
    func decode(_ vectors: [ArraySlice<Float>]) -> Hypothesis {
        let width = search.beamWidth
        let V = network.labelCount
        var steps = LSTMStackSteps(network.lstm)
        let tape = Tape(recording: false)
        func best(_ candidates: [Candidate]) -> [Candidate] { Array(candidates.sorted { $0.score > $1.score }.prefix(width)) }

        var beam = [Candidate(state: steps.state(row: 0))]
        var finished: [Candidate] = []    // ended by the end of sequence (at the last position)
        var truncated: [Candidate] = []   // stopped by the step limit without it: the result only when none finished
        for (position, vector) in vectors.enumerated() {
            let end = position == vectors.count - 1
            let cap = end ? max(1, search.maxSteps(states: position)) : HardAlignmentDecoder.emitsPerPosition(search)
            var done: [Candidate] = []   // hypotheses that ingested this position
            var active = beam
            var round = 0
            while !active.isEmpty {
                steps.setStates(active.map(\.state))
                let input = active.flatMap { network.stepInput(read: vector, previousToken: $0.labels.last ?? network.startOfSequence) }
                let hidden = steps.step(input, rows: active.count)
                let (logits, z) = network.heads(hidden, rows: active.count, on: tape)
                var emits: [Candidate] = []
                for (j, c) in active.enumerated() {
                    let after = steps.state(row: j)
                    if !end {
                        var ingest = c
                        ingest.score += logDecision(Double(z[j]), emit: false)
                        ingest.state = after
                        done.append(ingest)
                    }
                    let atCap = end ? c.labels.count >= cap : round >= cap
                    guard !atCap else {
                        if end { truncated.append(c) }
                        continue
                    }
                    let row = logits[(j * (V + 1))..<((j + 1) * (V + 1))]
                    let emitScore = c.score + (end && !network.scoresForcedEmits ? 0 : logDecision(Double(z[j]), emit: true))
                    for v in 0...V where end || v != network.endOfSequence {
                        var next = c
                        next.score = emitScore + PathTerms.logSoftmax(row, at: v)
                        next.state = after
                        if v == network.endOfSequence {
                            finished.append(next)
                        } else {
                            next.labels.append(v)
                            next.times.append(position)
                            emits.append(next)
                        }
                    }
                }
                active = best(emits)
                round += 1
            }
            beam = best(done)
        }
        let rank: (Candidate) -> Double = { c in
            search.lengthNormalization ? c.score / Double(c.labels.count + 1) : c.score
        }
        let top = (finished.isEmpty ? truncated + beam : finished).max { rank($0) < rank($1) } ?? Candidate(state: [])
        return Hypothesis(labels: top.labels, frames: top.times, logProbability: Float(top.score))
    }
}
