import NeuralNet
import TensorCore

/// Greedy online decoding with p, one read position at a time: at each step emit when σ(z_t) > 0.5
/// (then the arg-max phone, and the same position is read again) and ingest otherwise (the next
/// position). Nothing is forced at test time (n is unknown): decoding ends after the last position's
/// ingest, and at most `emitsPerPosition` phones are emitted while reading one position (the
/// ⌈maxStepsPerState⌉ of `DecodingConfig`, at least 1). A phone's time is the position read when it
/// was emitted. Offline and online decoding both run this, so they agree.
struct GreedyEmitIngest {
    let network: EmitIngestNetwork
    let emitsPerPosition: Int
    private var steps: LSTMStackSteps
    private var previousToken: Int
    private let tape = Tape(recording: false)
    /// Positions read so far.
    private(set) var position = 0
    /// Σ log p of the decisions and phones taken.
    private(set) var logProbability: Double = 0

    init(network: EmitIngestNetwork, emitsPerPosition: Int) {
        self.network = network
        self.emitsPerPosition = emitsPerPosition
        steps = LSTMStackSteps(network.lstm)
        previousToken = network.labelCount
    }

    /// Reads the next position's vector [R] and returns the phones emitted while reading it.
    mutating func read(_ vector: ArraySlice<Float>) -> [Int] {
        var emitted: [Int] = []
        while true {
            let hidden = steps.step(network.stepInput(read: vector, previousToken: previousToken), rows: 1)
            let (logits, z) = network.heads(hidden, rows: 1, on: tape)
            let emit = SIMDMath.sigmoid(z[0]) > 0.5 && emitted.count < emitsPerPosition
            logProbability += logDecision(Double(z[0]), emit: emit)
            guard emit else { break }
            let label = argmax(logits)
            logProbability += PathTerms.logSoftmax(logits[...], at: label)
            emitted.append(label)
            previousToken = label
        }
        position += 1
        return emitted
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
        let positions = model.encoderStates(frames: frames)
        let width = positions == 0 ? 0 : reads.count / positions
        let vectors = (0..<positions).map { reads[($0 * width)..<(($0 + 1) * width)] }
        if search.beamWidth > 1 {
            return EmitIngestBeamSearch(network: model.p, search: search).decode(vectors)
        }
        var greedy = GreedyEmitIngest(network: model.p, emitsPerPosition: Self.emitsPerPosition(search))
        var labels: [Int] = [], times: [Int?] = []
        for (position, vector) in vectors.enumerated() {
            let emitted = greedy.read(vector)
            labels += emitted
            times += Array(repeating: position, count: emitted.count)
        }
        return Hypothesis(labels: labels, frames: times, logProbability: Float(greedy.logProbability))
    }
}

/// Streaming recognition with p: frames go through the (unidirectional) encoder as they arrive and each
/// new position is decoded greedily at once, so phones come out while the audio arrives; the output
/// equals offline greedy decoding.
final class HardAlignmentOnlineDecoder: OnlineDecoding {
    private let model: HardAlignmentModel
    private var encoder: OnlineEncoder?
    private var greedy: GreedyEmitIngest
    public private(set) var isFinished = false
    public private(set) var emissions: [Emission] = []

    init(model: HardAlignmentModel, config: DecodingConfig) throws {
        self.model = model
        encoder = try model.encoder.map { try OnlineEncoder($0) }
        greedy = GreedyEmitIngest(network: model.p, emitsPerPosition: HardAlignmentDecoder.emitsPerPosition(config))
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
            let position = greedy.position
            emitted += greedy.read(reads[start..<(start + width)]).map {
                Emission(label: $0, state: position, frame: position * stride)
            }
        }
        emissions += emitted
        return emitted
    }

    func finish() -> [Emission] {
        isFinished = true
        return []
    }
}
