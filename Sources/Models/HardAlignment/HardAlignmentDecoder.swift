import NeuralNet
import TensorCore

/// Greedy online decoding with p, one read position at a time: at each step emit when σ(z_t) > 0.5
/// (then the arg-max of phones and end of sequence; the same position is read again) and ingest
/// otherwise (the next position); at most `emitsPerPosition` emits per position (⌈maxStepsPerState⌉ of
/// `DecodingConfig`, at least 1). As in training, where the targets end in the end of sequence and
/// decisions are forced: after the end of sequence every step ingests (nothing more is emitted), and at
/// the last position (the end-of-input position, or the last frame with `lastFrame`) every step emits
/// (the arg-max, σ(z) not asked; its log σ(z) counted when forced emits are scored) until the end of
/// sequence, at most `maxSteps(states:)` phones in all. A phone's time is the position read when it was
/// emitted. Offline and online decoding both run this, so they agree.
struct GreedyEmitIngest {
    let network: EmitIngestNetwork
    let search: DecodingConfig
    private var steps: LSTMStackSteps
    private var previousToken: Int
    private let tape = Tape(recording: false)
    /// Positions read so far.
    private(set) var position = 0
    /// Phones emitted so far.
    private(set) var emitted = 0
    /// Whether the end of sequence has been emitted.
    private(set) var ended = false
    /// Σ log p of the free decisions and of the tokens taken.
    private(set) var logProbability: Double = 0

    init(network: EmitIngestNetwork, search: DecodingConfig) {
        self.network = network
        self.search = search
        steps = LSTMStackSteps(network.lstm)
        previousToken = network.startOfSequence
    }

    /// Reads the next position's vector [R] (`end`: the last position, where every step emits) and
    /// returns the phones emitted while reading it.
    mutating func read(_ vector: ArraySlice<Float>, end: Bool = false) -> [Int] {
        defer { position += 1 }
        guard !ended else { return [] }
        let cap = end ? max(1, search.maxSteps(states: position) - emitted) : HardAlignmentDecoder.emitsPerPosition(search)
        var phones: [Int] = []
        while phones.count < cap {
            let hidden = steps.step(network.stepInput(read: vector, previousToken: previousToken), rows: 1)
            let (logits, z) = network.heads(hidden, rows: 1, on: tape)
            if !end {
                let emit = SIMDMath.sigmoid(z[0]) > 0.5
                logProbability += logDecision(Double(z[0]), emit: emit)
                guard emit else { break }
            } else if network.scoresForcedEmits {
                logProbability += logSigmoid(Double(z[0]))
            }
            let label = argmax(logits)
            logProbability += PathTerms.logSoftmax(logits[...], at: label)
            if label == network.endOfSequence {
                ended = true
                break
            }
            phones.append(label)
            previousToken = label
        }
        emitted += phones.count
        return phones
    }
}

/// Test-time decoding of whole utterances with p: greedy (beam width 1) or the beam search.
struct HardAlignmentDecoder: UtteranceDecoder, @unchecked Sendable {
    let model: HardAlignmentModel
    let search: DecodingConfig

    /// ⌈maxStepsPerState⌉, at least 1.
    static func emitsPerPosition(_ search: DecodingConfig) -> Int { max(1, Int(search.maxStepsPerState.rounded(.up))) }

    func decode(features: [Float], frames: Int) -> Hypothesis {
        let reads = model.reads(features: features, frames: frames)
        let positions = model.encoderStates(frames: frames) + model.shape.endPositions
        let width = model.shape.readSize
        let vectors = (0..<positions).map { reads[($0 * width)..<(($0 + 1) * width)] }
        if search.beamWidth > 1 {
            return EmitIngestBeamSearch(network: model.p, search: search).decode(vectors)
        }
        var greedy = GreedyEmitIngest(network: model.p, search: search)
        var labels: [Int] = [], times: [Int?] = []
        for (position, vector) in vectors.enumerated() {
            let emitted = greedy.read(vector, end: position == positions - 1)
            labels += emitted
            times += Array(repeating: position, count: emitted.count)
        }
        return Hypothesis(labels: labels, frames: times, logProbability: Float(greedy.logProbability))
    }
}

/// Streaming recognition with p: frames go through the (unidirectional) encoder as they arrive and each
/// new position is decoded greedily at once (with `lastFrame`, one position later: the newest position
/// may be the last, whose decisions are forced), so phones come out while the audio arrives; the output
/// equals offline greedy decoding.
final class HardAlignmentOnlineDecoder: OnlineDecoding {
    private let model: HardAlignmentModel
    private var encoder: OnlineEncoder?
    private var greedy: GreedyEmitIngest
    /// With `lastFrame`: the newest position's read vector, decoded when the next arrives or at the end.
    private var held: [Float]?
    public private(set) var isFinished = false
    public private(set) var emissions: [Emission] = []

    init(model: HardAlignmentModel, config: DecodingConfig) throws {
        self.model = model
        encoder = try model.encoder.map { try OnlineEncoder($0) }
        greedy = GreedyEmitIngest(network: model.p, search: config)
    }

    var stride: Int { model.frameStride }

    func push(_ features: [Float]) -> [Emission] {
        let F = model.inputSize
        precondition(features.count % F == 0, "\(features.count) values are not whole frames of \(F)")
        let n = features.count / F
        guard n > 0, !isFinished else { return [] }
        let reads = encoder != nil ? encoder!.push(features, frames: n) : features
        let width = model.shape.readSize
        var emitted: [Emission] = []
        for start in Swift.stride(from: 0, to: reads.count, by: width) {
            let vector = Array(reads[start..<(start + width)])
            if model.shape.endPositions == 0 {
                defer { held = vector }
                guard let previous = held else { continue }
                emitted += read(previous[...], end: false)
            } else {
                emitted += read(vector[...], end: false)
            }
        }
        emissions += emitted
        return emitted
    }

    /// Reads the last position (the end-of-input zeros, or the held last frame) and returns what is emitted there.
    func finish() -> [Emission] {
        guard !isFinished else { return [] }
        isFinished = true
        let last = model.shape.endPositions == 0 ? held : Array(repeating: 0, count: model.shape.readSize)
        held = nil
        let emitted = last.map { read($0[...], end: true) } ?? []
        emissions += emitted
        return emitted
    }

    /// The greedy decoder's emissions while reading `vector` at the next position.
    private func read(_ vector: ArraySlice<Float>, end: Bool) -> [Emission] {
        let position = greedy.position
        return greedy.read(vector, end: end).map { Emission(label: $0, state: position, frame: position * stride) }
    }
}
