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
    }

    /// The transcripts of `examples` in order: `transcript(example, hypothesis)` of each greedy or beam
    /// hypothesis of `recognizer`, this rank's share decoded here, the rest gathered from the others.
    static func transcripts(_ examples: [Example], recognizer: Recognizer, world: any Communicator,
                            transcript: (Example, Hypothesis) -> PhoneTranscript) throws -> [PhoneTranscript] {
        let mine = world.shard(examples.count).map { examples[$0] }
        let decoded = zip(mine, recognizer.decode(mine)).map(transcript)
        guard world.size > 1 else { return decoded }
        let bytes = try JSONEncoder().encode(decoded.map { Wire(id: $0.id, phones: $0.phones, times: $0.times) })
        var result = [PhoneTranscript?](repeating: nil, count: examples.count)
        for (rank, data) in try world.allgather(Array(bytes)).enumerated() {
            let wires = try JSONDecoder().decode([Wire].self, from: Data(data))
            for (k, wire) in wires.enumerated() {
                result[rank + k * world.size] = PhoneTranscript(id: wire.id, phones: wire.phones, times: wire.times)
            }
        }
        return result.map { $0! }
    }
}
