import NeuralNet
import Randomness
import TensorCore

/// A phone recogniser of any family, as the training loop, checkpoints, recipes and the command line
/// see it. A family is one folder of this module, one conforming class and one `ModelKind` case.
public protocol RecognitionModel: AnyObject {
    /// Its configuration, naming its family (saved as JSON beside the weights).
    var config: ModelConfig { get }
    /// Every parameter under its stable name, in registration order (optimizers and checkpoints walk it).
    var registry: ParameterRegistry { get }
    /// Features per input frame F.
    var inputSize: Int { get }
    /// Phone labels 0..<labelCount that it emits.
    var labelCount: Int { get }
    /// Input frames per encoder state: state t starts at input frame t·frameStride.
    var frameStride: Int { get }
    /// Encoder states produced from `frames` input frames.
    func encoderStates(frames: Int) -> Int

    /// Mean training loss per label of `batch` on `tape`; while `training`, with the family's dropout and
    /// noise drawn from `rng` and label smoothing ε = `labelSmoothing`.
    func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float, rng: inout Xoshiro256StarStar)
        -> Variable
    /// The number of terms `loss(batch, …)` is a mean over (its divisor), so that shards of one batch
    /// can be weighted to the whole batch's mean: Σ (labels + 1) by default (phones and end of sequence).
    func lossTerms(_ batch: [Example]) -> Int
    /// Gradients of `loss` (from `loss(_:on:training:labelSmoothing:rng:)`) into the parameters. Backprop
    /// through the tape unless the family trains by another rule (feedback alignment, DFA, LAFS).
    func backward(_ loss: Variable, on tape: Tape)
    /// Checks before training that every example can be trained on (CTC: its labels fit its encoder
    /// states); throws one line naming the first utterance that cannot. Nothing to check by default.
    func validateTraining(_ examples: [Example]) throws
    /// A test-time decoder over the current weights: greedy for beam width 1, beam search otherwise.
    func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder
    /// A decoder that takes feature frames as they arrive; throws where this model cannot decode online.
    func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding
    /// The picture of what the model attends to while decoding `example` (rows: emitted phones, columns:
    /// encoder states); nil for a family without alignments.
    func alignment(of example: Example) -> AlignmentPicture?
    /// Named figures of the last training `loss` call (e.g. a bound's value), averaged per epoch by the
    /// trainer and logged beside the loss; empty for a family without any.
    var batchStatistics: [String: Double] { get }
}

extension RecognitionModel {
    /// Every parameter, in registration order.
    public var parameters: [Parameter] { registry.parameters }

    /// Backprop: reverse-mode through the tape.
    public func backward(_ loss: Variable, on tape: Tape) { tape.backward(loss) }

    /// Σ (labels + 1): the phones and the end of sequence of every example.
    public func lossTerms(_ batch: [Example]) -> Int { batch.reduce(0) { $0 + $1.labels.count + 1 } }

    /// Every example can be trained on.
    public func validateTraining(_ examples: [Example]) throws {}

    /// No figures besides the loss.
    public var batchStatistics: [String: Double] { [:] }
}

/// Test-time decoding of whole utterances; safe to call from several threads at once.
public protocol UtteranceDecoder: Sendable {
    /// The hypothesis for one utterance's features [frames, F].
    func decode(features: [Float], frames: Int) -> Hypothesis
    /// The `count` best hypotheses at most, best first as the search ranks them; the first is
    /// `decode(features:frames:)`'s. A search without a beam gives its one hypothesis.
    func nbest(features: [Float], frames: Int, count: Int) -> [Hypothesis]
}

extension UtteranceDecoder {
    /// The one hypothesis of `decode(features:frames:)`.
    public func nbest(features: [Float], frames: Int, count: Int) -> [Hypothesis] {
        [decode(features: features, frames: frames)]
    }
}

/// Online decoding: feature frames go in as they arrive, phones come out as soon as they are decided.
public protocol OnlineDecoding: AnyObject {
    /// Input frames per encoder state (emission frames are multiples of it).
    var stride: Int { get }
    /// Whether decoding has ended (end of sequence, or the step limit at the end of input).
    var isFinished: Bool { get }
    /// Everything emitted so far.
    var emissions: [Emission] { get }
    /// Feeds feature frames [n, F] (row-major) and returns the phones newly emitted.
    func push(_ features: [Float]) -> [Emission]
    /// Ends the input and returns the phones still to come.
    func finish() -> [Emission]
}

/// One phone emitted by online decoding.
public struct Emission: Sendable, Equatable {
    /// Phone id in 0..<labelCount.
    public var label: Int
    /// The encoder state attended when it was emitted (nil if nothing was attended).
    public var state: Int?
    /// The first input frame of that state: state × frame stride.
    public var frame: Int?

    /// An emission of `label` on encoder `state` (input `frame`).
    public init(label: Int, state: Int?, frame: Int?) {
        self.label = label
        self.state = state
        self.frame = frame
    }
}

/// A picture of an alignment: `weights` [rows, states] row-major, one row per emitted phone.
public struct AlignmentPicture: Sendable, Equatable {
    /// Emitted phone ids, one per row.
    public var labels: [Int]
    /// The encoder state each row attended (nil: none).
    public var attended: [Int?]
    /// Encoder states (columns).
    public var states: Int
    /// Weights [rows, states].
    public var weights: [Float]
    /// What the picture shows, for its title.
    public var caption: String
    /// Per encoder state, the probability that the family emits it (nil: not such a family).
    public var emissionProbabilities: [Float]? = nil

    /// The picture of a hard alignment: one row per label of `hypothesis`, 1 on the state it was emitted on.
    public static func hard(_ hypothesis: Hypothesis, states: Int, caption: String) -> AlignmentPicture {
        var weights = [Float](repeating: 0, count: hypothesis.labels.count * states)
        for (row, state) in hypothesis.frames.enumerated() {
            if let state, state < states { weights[row * states + state] = 1 }
        }
        return AlignmentPicture(labels: hypothesis.labels, attended: hypothesis.frames, states: states, weights: weights,
                                caption: caption)
    }
}
