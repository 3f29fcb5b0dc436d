import Distributed
import Foundation
import Models

/// Decoding shared out over the ranks of a world: rank r decodes examples r, r + N, …, and every rank
/// receives every transcript, in input order (one process decodes them all).
enum ShardedDecoding {
    /// A transcript as it travels between ranks.
    private struct Wire: Codable {
        var id: String
        var phones: [String]
        var times: [Double?]
        var logProbability: Float?
    }

    /// The transcripts of `examples` in order: `transcript(example, hypothesis)` of each greedy or beam
    /// hypothesis of `recognizer`, this rank's share decoded here, the rest gathered from the others.
    static func transcripts(_ examples: [Example], recognizer: Recognizer, world: any Communicator,
                            transcript: (Example, Hypothesis) -> PhoneTranscript) throws -> [PhoneTranscript] {
        try lists(examples, world: world, decode: { recognizer.decode($0).map { [$0] } }, transcript: transcript).map { $0[0] }
    }

    /// The n-best lists of `examples` in order: `decode` gives each example's hypotheses (best first), this
    /// rank's share decoded here and turned into transcripts, the rest gathered from the other ranks.
    static func lists(_ examples: [Example], world: any Communicator, decode: ([Example]) -> [[Hypothesis]],
                      transcript: (Example, Hypothesis) -> PhoneTranscript) throws -> [[PhoneTranscript]] {
        let mine = world.shard(examples.count).map { examples[$0] }
        let decoded = zip(mine, decode(mine)).map { example, hypotheses in hypotheses.map { transcript(example, $0) } }
        guard world.size > 1 else { return decoded }
        let wires = decoded.map { list in
            list.map { Wire(id: $0.id, phones: $0.phones, times: $0.times, logProbability: $0.logProbability) }
        }
        var result = [[PhoneTranscript]?](repeating: nil, count: examples.count)
        for (rank, data) in try world.allgather(Array(try JSONEncoder().encode(wires))).enumerated() {
            for (k, list) in try JSONDecoder().decode([[Wire]].self, from: Data(data)).enumerated() {
                result[rank + k * world.size] = list.map {
                    PhoneTranscript(id: $0.id, phones: $0.phones, times: $0.times, logProbability: $0.logProbability)
                }
            }
        }
        return result.map { $0! }
    }
}
