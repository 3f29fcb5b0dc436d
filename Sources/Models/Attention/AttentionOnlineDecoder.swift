/// Streaming recognition with an attention model whose encoder is unidirectional: feature frames are
/// pushed as they arrive, the encoder runs on them carrying its LSTM states, and greedy decoding emits
/// each phone as soon as its hard monotonic (or MoChA) stop is found. The output equals offline greedy
/// decoding of the whole utterance (`Recognizer` with beam width 1). Softmax attention needs the whole
/// input, so it emits everything at `finish()`. With `ctcWeight` > 0 and a CTC head, each step picks
/// its phone by the joint CTC/attention score, the CTC prefix scores truncated at the attended state
/// (`JointCTCScoring`), so it still streams and equals offline joint greedy decoding.
public final class AttentionOnlineDecoder: StreamingAttentionDecoder {
    /// The model (read only).
    public let model: AttentionModel
    var input: StreamingAttentionInput
    private var decoder: DecoderSnapshot { input.decoder }
    private var memory: AttentionMemory { input.memory }
    private let config: DecodingConfig
    private var state: DecoderState
    private var label: Int
    private var pending: PendingStep?
    private var steps = 0
    private let joint: JointCTCScoring?
    private var side = JointCTCScoring.Side()
    public private(set) var isFinished = false
    public private(set) var emissions: [Emission] = []

    /// A decoder over `model`, which must have a unidirectional encoder; `config.beamWidth` is ignored (greedy).
    public init(model: AttentionModel, config: DecodingConfig = .init()) throws {
        self.model = model
        self.config = config
        input = try StreamingAttentionInput(model: model)
        state = input.decoder.initialState()
        label = model.shape.decoder.startOfSequence
        joint = JointCTCScoring(snapshot: input.decoder, config: config)
    }

    /// Runs decoder steps while their attention can be decided with the states so far.
    func advance() -> [Emission] {
        var emitted: [Emission] = []
        while !isFinished {
            let limit = config.maxSteps(states: memory.count)
            if steps >= limit {
                if memory.isComplete { isFinished = true }
                break
            }
            var step = pending ?? decoder.prepare(state, label: label)
            guard let out = decoder.attend(&step, memory: memory) else {
                pending = step
                break
            }
            pending = nil
            steps += 1
            let best: Int
            if let joint {
                let choice = joint.choose(out, side: side, memory: memory)
                best = choice.label
                side = choice.side
            } else {
                best = argmax(out.logProbabilities)
            }
            if best == decoder.labelCount {
                isFinished = true
                break
            }
            let emission = Emission(label: best, state: out.frame, frame: out.frame.map { $0 * stride })
            emitted.append(emission)
            state = out.state
            label = best
        }
        emissions += emitted
        return emitted
    }
}
