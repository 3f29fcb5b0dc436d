import NeuralNet
import TensorCore

/// Beam search over (decision, phone) prefixes of p that stays online (frame-synchronous): all
/// hypotheses read the same position; each step of a hypothesis either ingests (score + log σ(−z),
/// on to the next position) or emits phone v (score + log σ(z) + log p(v), same position again). While
/// reading a position, the best `beamWidth` emit extensions are stepped again (at most
/// ⌈maxStepsPerState⌉ emits per position); after it, the best `beamWidth` ingested hypotheses go on.
/// The result is the best hypothesis after the last position, ranked by log p, or by log p / (phones + 1)
/// with `lengthNormalization`. Phone times are the positions read when they were emitted.
struct EmitIngestBeamSearch {
    let network: EmitIngestNetwork
    let search: DecodingConfig

    private struct Candidate {
        var labels: [Int] = []
        var times: [Int?] = []
        var score: Double = 0
        var state: [Float]
    }

    func decode(_ vectors: [ArraySlice<Float>]) -> Hypothesis {
        let width = search.beamWidth
        let cap = HardAlignmentDecoder.emitsPerPosition(search)
        var steps = LSTMStackSteps(network.lstm)
        let tape = Tape(recording: false)
        var beam = [Candidate(state: steps.state(row: 0))]
        for (position, vector) in vectors.enumerated() {
            var active = beam
            var ingested: [Candidate] = []
            for round in 0...cap where !active.isEmpty {
                steps.setStates(active.map(\.state))
                var input: [Float] = []
                for c in active { input += network.stepInput(read: vector, previousToken: c.labels.last ?? network.labelCount) }
                let hidden = steps.step(input, rows: active.count)
                let (logits, z) = network.heads(hidden, rows: active.count, on: tape)
                let V = network.labelCount
                var emits: [Candidate] = []
                for (j, c) in active.enumerated() {
                    let after = steps.state(row: j)
                    var ingest = c
                    ingest.score += logDecision(Double(z[j]), emit: false)
                    ingest.state = after
                    ingested.append(ingest)
                    guard round < cap else { continue }
                    let row = logits[(j * V)..<((j + 1) * V)]
                    let emitScore = c.score + logDecision(Double(z[j]), emit: true)
                    for v in 0..<V {
                        var next = c
                        next.labels.append(v)
                        next.times.append(position)
                        next.score = emitScore + PathTerms.logSoftmax(row, at: v)
                        next.state = after
                        emits.append(next)
                    }
                }
                active = Array(emits.sorted { $0.score > $1.score }.prefix(width))
            }
            beam = Array(ingested.sorted { $0.score > $1.score }.prefix(width))
        }
        let rank: (Candidate) -> Double = { c in
            search.lengthNormalization ? c.score / Double(c.labels.count + 1) : c.score
        }
        let best = beam.max { rank($0) < rank($1) } ?? Candidate(state: [])
        return Hypothesis(labels: best.labels, frames: best.times, logProbability: Float(best.score))
    }
}
