import Distributed
import Features
import Foundation
import Models
import Parallelism
import TensorCore

/// What became of one item of `asr decode`.
public enum DecodeOutcome: Sendable {
    /// Decoded (possibly to no phones): the best transcript first, then the rest of the n-best list.
    case decoded([PhoneTranscript])
    /// Read, but with no usable frames: an empty transcript and the reason.
    case unusable(PhoneTranscript, UnusableAudio)
    /// Not decodable (missing, unreadable, bad header…): one line saying why.
    case failed(String)
}

/// Offline decoding of many items with one model: features of a group of items are computed in
/// parallel, the group is decoded in parallel, and the outcomes are delivered in input order. A bad item
/// fails alone. Under several ranks each group's decoding is shared out over them (`ShardedDecoding`)
/// and only rank 0 delivers.
public struct BatchDecoder {
    /// The model and its front end.
    public let folder: ModelFolder
    /// Search options.
    public let search: DecodingConfig
    /// How audio is read.
    public let audio: AudioInputOptions
    /// Hypotheses delivered per item at most (`UtteranceDecoder.nbest`); 1: the best alone.
    public let nbest: Int
    /// The ranks decoding together (one process without a launcher).
    public let world: any Communicator

    /// A decoder with the given parts.
    public init(folder: ModelFolder, search: DecodingConfig, audio: AudioInputOptions, nbest: Int = 1,
                world: any Communicator = World.current) {
        self.folder = folder
        self.search = search
        self.audio = audio
        self.nbest = nbest
        self.world = world
    }

    /// Seconds of audio decoded so far by `decode` (items that failed not counted).
    public private(set) var audioSeconds = 0.0

    /// Decodes `items` in order, calling `deliver` once per item in input order.
    public mutating func decode(_ items: [DecodeItem], deliver: (DecodeItem, DecodeOutcome) throws -> Void) throws {
        ComputeThreads.configure(Cores.available)
        let recognizer = Recognizer(model: folder.model, config: search)
        let rate = Int(folder.frontEnd.features.fbank.sampleFrequency)
        let group = Swift.max(8, 4 * Cores.available)
        let (frontEnd, audio) = (folder.frontEnd, self.audio)
        for first in stride(from: 0, to: items.count, by: group) {
            let slice = Array(items[first..<Swift.min(first + group, items.count)])
            // Per item: the features of its pieces with their first samples, or why it gives an empty transcript,
            // or why it failed; and its seconds.
            let prepared = Parallel.map(count: slice.count) { index -> (Result<[Piece], DecodeFailure>, Double) in
                let item = slice[index]
                do {
                    let samples = try UtteranceAudio.samples(of: item, rate: rate, options: audio)
                    let seconds = Double(samples.count) / Double(rate)
                    let peak = samples.reduce(Float(0)) { Swift.max($0, abs($1)) }
                    let presence = SpeechPresence(sampleRate: Double(rate))
                    presence.append(samples)
                    if let reason = UnusableAudio.check(peak: peak, seconds: seconds, flatness: presence.minimumFlatness,
                                                        options: audio) {
                        return (.failure(.unusable(reason)), seconds)
                    }
                    var pieces: [Piece] = []
                    for range in audio.segmentation.pieces(of: samples, rate: rate) {
                        let matrix = try frontEnd.features(ofSamples: Array(samples[range]))
                        guard matrix.frames > 0 else { continue }
                        pieces.append(Piece(example: Example(id: item.id, features: matrix.values, featureSize: matrix.dim, labels: []),
                                            start: Double(range.lowerBound) / Double(rate)))
                    }
                    guard !pieces.isEmpty else {
                        return (.failure(.unusable(.tooShort(seconds: seconds, minimum: audio.minimumSeconds))), seconds)
                    }
                    return (.success(pieces), seconds)
                } catch {
                    return (.failure(.failed("\(error)")), 0)
                }
            }
            let examples = prepared.flatMap { (try? $0.0.get())?.map(\.example) ?? [] }
            let (stride, shift, nbest) = (folder.model.frameStride, frontEnd.features.fbank.frameShift, self.nbest)
            let decode: ([Example]) -> [[Hypothesis]] = { examples in
                nbest > 1 ? recognizer.nbest(examples, count: nbest) : recognizer.decode(examples).map { [$0] }
            }
            // Per piece, in order: its n-best transcripts (shared out over the ranks; rank 0 delivers).
            var lists = try ShardedDecoding.lists(examples, world: world, decode: decode) { example, hypothesis in
                PhoneTranscript(id: example.id, hypothesis: hypothesis, phones: frontEnd.phones, frameStride: stride, frameShift: shift)
            }.makeIterator()
            guard world.isWriter else { continue }
            for (item, (result, seconds)) in zip(slice, prepared) {
                audioSeconds += seconds
                switch result {
                case .success(let pieces) where pieces.count == 1:
                    try deliver(item, .decoded(lists.next()!))
                case .success(let pieces):
                    // The best of each piece, its times moved to the piece's place in the recording.
                    let joined = pieces.map { piece in lists.next()![0].delayed(by: piece.start) }
                    try deliver(item, .decoded([PhoneTranscript(joining: joined)]))
                case .failure(.unusable(let reason)):
                    try deliver(item, .unusable(PhoneTranscript(id: item.id, phones: [], times: []), reason))
                case .failure(.failed(let message)):
                    try deliver(item, .failed(message))
                }
            }
        }
    }
}

/// One piece of an item's audio (`PauseSegmenter`) as decoded: its features and its first second.
struct Piece {
    var example: Example
    var start: Double
}

/// Why an item was not decoded (inside `BatchDecoder`).
enum DecodeFailure: Error {
    case unusable(UnusableAudio)
    case failed(String)
}
