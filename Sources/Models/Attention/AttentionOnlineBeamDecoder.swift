/// Beam search while the input arrives: the steps of offline `beamSearch` (`BeamFrontier`) run as soon
/// as every open hypothesis can attend with the encoder states so far (each keeps its own attention
/// position), so the result equals offline beam search and the work stays linear in the input for
/// monotonic attention. A phone is emitted once every hypothesis that can still win (the open ones and
/// the best finished one) agrees on it and on its state. A step waits until every open hypothesis has
/// found its stop, so one whose attention runs off (or an early finished hypothesis not yet beaten)
/// can hold the phones back until the input ends; the result is the same, only later. With a CTC weight the steps wait for the whole input (the CTC prefix
/// scores of a state-less step read every state).
public final class AttentionOnlineBeamDecoder: StreamingAttentionDecoder {
    /// The model (read only).
    public let model: AttentionModel
    var input: StreamingAttentionInput
    private var memory: AttentionMemory { input.memory }
    private let config: DecodingConfig
    private var frontier: BeamFrontier
    public private(set) var isFinished = false
    public private(set) var emissions: [Emission] = []

    /// A decoder of `config.beamWidth` hypotheses over `model`, which must have a unidirectional encoder.
    public init(model: AttentionModel, config: DecodingConfig) throws {
        self.model = model
        self.config = config
        input = try StreamingAttentionInput(model: model)
        frontier = BeamFrontier(decoder: input.decoder, config: config)
    }

    /// Runs the steps that can be decided with the states so far, then emits what every contender agrees on.
    func advance() -> [Emission] {
        while !isFinished, !frontier.isDone {
            // The step limit grows with the states; only the whole input fixes it.
            let limit = config.maxSteps(states: memory.count)
            if frontier.step >= limit {
                if memory.isComplete { break }
                return agreed()
            }
            let isLast = frontier.step == limit - 1
            guard memory.isComplete || (!isLast && frontier.joint == nil), frontier.attendAll(memory) else { return agreed() }
            frontier.expand(memory, isLast: isLast)
        }
        isFinished = true
        return emit(frontier.best)
    }

    /// The emissions, beyond those already made, that every contender shares.
    private func agreed() -> [Emission] {
        let contenders = frontier.contenders
        guard let first = contenders.first else { return [] }
        var shared = first.labels.count
        for other in contenders.dropFirst() {
            var k = 0
            while k < min(shared, other.labels.count), other.labels[k] == first.labels[k], other.frames[k] == first.frames[k] { k += 1 }
            shared = k
        }
        var prefix = first
        prefix.labels = Array(first.labels.prefix(shared))
        prefix.frames = Array(first.frames.prefix(shared))
        return emit(prefix)
    }

    /// Emits the labels of `hypothesis` after those already emitted (a prefix of it).
    private func emit(_ hypothesis: Hypothesis) -> [Emission] {
        guard hypothesis.labels.count > emissions.count else { return [] }
        let new = (emissions.count..<hypothesis.labels.count).map { k in
            Emission(label: hypothesis.labels[k], state: hypothesis.frames[k], frame: hypothesis.frames[k].map { $0 * stride })
        }
        emissions += new
        return new
    }
}

/// The encoder side of streaming attention decoding, shared by the greedy and beam online decoders:
/// feature frames in, the unidirectional encoder's states appended to the decoder's memory.
struct StreamingAttentionInput {
    /// Frozen decoder weights.
    let decoder: DecoderSnapshot
    /// The states so far.
    let memory: AttentionMemory
    private var encoder: OnlineEncoder

    /// The input side of `model`; throws for a bidirectional encoder.
    init(model: AttentionModel) throws {
        encoder = try OnlineEncoder(model.encoder)
        decoder = model.decoderSnapshot()
        memory = decoder.makeMemory()
    }

    /// Encodes frames [n, F] into the memory; false (nothing done) for no frames or when `finished`.
    mutating func push(_ features: [Float], unless finished: Bool) -> Bool {
        guard !features.isEmpty, !finished else { return false }
        memory.append(encoder.push(features).states)
        return true
    }

    /// Marks the end of the input.
    func finish() { memory.complete() }
}

/// An online attention decoder fed through `StreamingAttentionInput`: the greedy and the beam decoder
/// differ only in `advance()`, which runs the steps the states so far decide and returns the new phones.
protocol StreamingAttentionDecoder: OnlineDecoding {
    /// The model.
    var model: AttentionModel { get }
    /// The encoder and the memory it fills.
    var input: StreamingAttentionInput { get set }
    /// Whether decoding has ended.
    var isFinished: Bool { get }
    /// Runs the steps that can be decided now; returns the phones newly emitted.
    func advance() -> [Emission]
}

extension StreamingAttentionDecoder {
    public var stride: Int { model.frameStride }

    public func push(_ features: [Float]) -> [Emission] {
        guard input.push(features, unless: isFinished) else { return [] }
        return advance()
    }

    public func finish() -> [Emission] {
        input.finish()
        return advance()
    }
}
