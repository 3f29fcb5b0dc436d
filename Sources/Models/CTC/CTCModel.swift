import NeuralNet
import Randomness
import TensorCore

/// A CTC phone recogniser (Graves et al. 2006): the shared stacked-LSTM encoder (`StackedEncoder`)
/// and a linear layer to phones + blank (`CTCHead`), trained by the CTC loss. Decoding is best path
/// (greedy, streaming frame by frame) or prefix beam search; each phone's state is its spike's.
///
/// Parameters: the encoder's, then `ctc.output.{weight [labelCount + 1, M], bias [labelCount + 1]}`.
public final class CTCModel: StackedEncoderModel {
    /// The shape of the model.
    public let shape: CTCModelConfig
    /// All parameters in registration order.
    public let registry: ParameterRegistry
    /// The encoder.
    public let encoder: StackedEncoder
    /// The output layer to phones + blank.
    public let head: CTCHead

    /// A freshly initialised model: every matrix uniform on ±initScale, biases 0 (forget gates 1).
    public init(config: CTCModelConfig, seed: UInt64 = 1, initScale: Float = 0.075) throws {
        try config.validate()
        shape = config
        let registry = ParameterRegistry()
        self.registry = registry
        var rng = Xoshiro256StarStar(seed: seed)
        encoder = try StackedEncoder(registry, config: config.encoder, rng: &rng)
        registry.drawMatrices(rng: &rng) { _ in initScale }
        head = try CTCHead(registry, labelCount: config.labelCount, memory: config.encoder.outputSize, initScale: initScale,
                           rng: &rng)
    }

    public var config: ModelConfig { ModelConfig(shape) }
    public var labelCount: Int { shape.labelCount }

    /// Mean CTC loss per label of `batch` (dropout between encoder layers while `training`; label
    /// smoothing does not apply to CTC and is ignored).
    public func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float = 0,
                     rng: inout Xoshiro256StarStar) -> Variable {
        let (states, stateLengths) = encoder.states(of: batch, on: tape, training: training, rng: &rng)
        return head.loss(states: states, lengths: stateLengths, batch: batch, on: tape)
    }

    /// Σ labels: the CTC loss is a mean per label.
    public func lossTerms(_ batch: [Example]) -> Int { batch.reduce(0) { $0 + $1.labels.count } }

    /// Every example's labels must fit its encoder states (`CTCError` names the first that does not).
    public func validateTraining(_ examples: [Example]) throws {
        try head.validate(examples, states: encoderStates)
    }

    public func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder {
        CTCDecoder(encoder: encoder, output: head.snapshot(), search: search)
    }

    public func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding {
        try CTCOnlineDecoder(model: self)
    }

    /// The spikes of greedy decoding: one row per emitted phone, its posterior on every state.
    public func alignment(of example: Example) -> AlignmentPicture? {
        let output = head.snapshot()
        let lp = output.logProbabilities(encoder.encode(features: example.features, frames: example.frames))
        let V = output.classes, states = lp.count / V
        let hypothesis = CTCBestPath.decode(lp, classes: V, blank: output.blank)
        var weights: [Float] = []
        for label in hypothesis.labels { weights += (0..<states).map { SIMDMath.exp(lp[$0 * V + label]) } }
        return AlignmentPicture(labels: hypothesis.labels, attended: hypothesis.frames, states: states, weights: weights,
                                caption: "CTC posteriors of the emitted phones (rows), spikes at the emission states")
    }
}

/// Greedy (best path) or prefix beam decoding of whole utterances with a CTC model's weights; beam
/// search ranks labellings by their total probability (`lengthNormalization` and the step limit do not apply).
struct CTCDecoder: UtteranceDecoder, @unchecked Sendable {
    let encoder: StackedEncoder
    let output: CTCOutputSnapshot
    let search: DecodingConfig

    func decode(features: [Float], frames: Int) -> Hypothesis {
        nbest(features: features, frames: frames, count: 1)[0]
    }

    func nbest(features: [Float], frames: Int, count: Int) -> [Hypothesis] {
        let lp = frames > 0 ? output.logProbabilities(encoder.encode(features: features, frames: frames)) : []
        return search.beamWidth == 1
            ? [CTCBestPath.decode(lp, classes: output.classes, blank: output.blank)]
            : CTCPrefixBeamSearch.nbest(lp, classes: output.classes, blank: output.blank, beamWidth: search.beamWidth,
                                        count: count)
    }
}
