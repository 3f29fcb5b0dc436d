import NeuralNet
import Parallelism
import Randomness
import TensorCore

/// A framewise phone classifier: every frame's input is its ±k context frames spliced together
/// (`FrameClassifierConfig.context`), a `FeedForwardStack` (feed-forward or unidirectional LSTM layers)
/// maps it to phone logits, and training
/// minimises the mean framewise cross-entropy against the frame labels, under the configured
/// `TrainingRule`. Decoding takes each frame's most probable phone and collapses runs of one phone into
/// one emission at the run's first frame (optionally after averaging the log-probabilities over ±s
/// frames): online with k + s frames of look-ahead, and linear.
///
/// Parameters: `classifier.layer<l>.{weight [H, ·], bias [H]}` (LSTM: `{weightIH, weightHH, bias}`), `classifier.output.{weight [phones, H],
/// bias [phones]}`. The feedback matrices are drawn from `feedback.seed` of the configuration, which is
/// saved with the weights, so they are rebuilt rather than saved as tensors.
public final class FrameClassifierModel: RecognitionModel, FrameLabelling {
    /// The shape of the model.
    public let shape: FrameClassifierConfig
    /// All parameters in registration order.
    public let registry: ParameterRegistry
    /// The layers and the rule's feedback matrices.
    public let stack: FeedForwardStack
    /// `train frame accuracy`: the fraction of the batch's frames whose largest logit is their label;
    /// `angle layer<l>`: degrees between each hidden layer's update under the rule and its backprop
    /// gradient, on the measured batches; under LAFS also `readout angle layer<l>`, degrees between the
    /// layer's readout error and the output error.
    /// The angles are absent on the batches between measurements.
    public private(set) var batchStatistics: [String: Double] = [:]
    /// The last training forward pass, kept for `backward`.
    private var pending: (tape: ObjectIdentifier, pass: FeedbackPass, batch: [Example], smoothing: Float, frames: FrameCounts)?
    /// Training batches seen by `backward`.
    private var steps = 0

    /// A freshly initialised model: matrices uniform on ±initScale, biases 0 (drawn from `seed`); feedback
    /// matrices from `config.feedback.seed`.
    public init(config: FrameClassifierConfig, seed: UInt64 = 1, initScale: Float = 0.075) throws {
        try config.validate()
        shape = config
        let registry = ParameterRegistry()
        self.registry = registry
        var rng = Xoshiro256StarStar(seed: seed)
        stack = try FeedForwardStack(registry, name: "classifier", inputs: config.splicedSize,
                                     hiddenSizes: Array(repeating: config.hiddenSize, count: config.layers),
                                     outputs: config.labelCount, activation: config.activation,
                                     recurrent: config.layerType == .lstm ? config.credit : nil, rule: config.rule,
                                     feedback: config.feedback, feedbackSeed: Self.feedbackSeed(config.feedback), rng: &rng)
        registry.drawMatrices(rng: &rng) { _ in initScale }
    }

    /// The generator seed of the feedback matrices: `feedback.seed` xor a constant (with seed 1 this is
    /// what models drew before the seed was part of the configuration, from the run's default seed 1).
    static func feedbackSeed(_ options: FeedbackOptions) -> UInt64 { options.seed ^ 0xFEED_BAC4_0000_0001 }

    public var config: ModelConfig { ModelConfig(shape) }
    public var inputSize: Int { shape.inputSize }
    public var labelCount: Int { shape.labelCount }
    public var frameStride: Int { 1 }
    public func encoderStates(frames: Int) -> Int { frames }

    /// The spliced inputs of `batch`: [B, T_max, F(2k + 1)], zero past each utterance's end.
    func splicedInputs(_ batch: [Example]) -> Tensor {
        let T = batch.map(\.frames).max() ?? 0, size = shape.splicedSize
        var values = [Float](repeating: 0, count: batch.count * T * size)
        var window: [Float] = []
        for (b, example) in batch.enumerated() {
            for t in 0..<example.frames {
                spliceFrame(example.features, frames: example.frames, size: shape.inputSize, at: t, context: shape.context,
                            into: &window)
                values.replaceSubrange(((b * T + t) * size)..<((b * T + t + 1) * size), with: window)
            }
        }
        return Tensor(shape: [batch.count, T, size], scalars: values)
    }

    /// Mean framewise cross-entropy of `batch` (with label smoothing ε); there is no dropout or noise.
    public func loss(_ batch: [Example], on tape: Tape, training: Bool, labelSmoothing: Float = 0,
                     rng: inout Xoshiro256StarStar) -> Variable {
        let targets = batch.map(frameTargets)
        let options = CrossEntropyOptions(labelSmoothing: labelSmoothing)
        let pass = stack.forward(tape.constant(splicedInputs(batch)), on: tape, targets: training ? targets : nil, options: options,
                                 lengths: batch.map(\.frames))
        if training && tape.isRecording {
            pending = (ObjectIdentifier(tape), pass, batch, labelSmoothing, Self.frameCounts(pass.logits.value, targets: targets))
        }
        return tape.crossEntropy(pass.logits, targets: targets, options: options)
    }

    /// Σ labelled frames: the loss is a mean per frame target.
    public func lossTerms(_ batch: [Example]) -> Int { batch.reduce(0) { $0 + frameTargets($1).count } }

    /// Frames of `targets` whose largest logit in `logits` [B, T_max, phones] is their label.
    static func frameCounts(_ logits: Tensor, targets: [[Int]]) -> FrameCounts {
        let (T, n) = (logits.shape[1], logits.shape[2])
        var counts = FrameCounts()
        logits.withUnsafeBufferPointer { p in
            for (b, labels) in targets.enumerated() {
                for (t, label) in labels.enumerated() {
                    let row = UnsafeBufferPointer(rebasing: p[((b * T + t) * n)..<((b * T + t + 1) * n)])
                    counts.correct += argmax(Array(row)) == label ? 1 : 0
                }
                counts.frames += labels.count
            }
        }
        return counts
    }

    /// The update of the configured rule; every `angleEvery` batches also the angle of each hidden
    /// layer's update to its backprop gradient (the parameters' gradients are left as the rule made them).
    public func backward(_ loss: Variable, on tape: Tape) {
        guard let pending, pending.tape == ObjectIdentifier(tape) else {
            tape.backward(loss)
            return
        }
        self.pending = nil
        batchStatistics = ["train frame accuracy": pending.frames.accuracy]
        stack.backward(loss, of: pending.pass, on: tape)
        defer { steps += 1 }
        guard shape.rule != .backprop, shape.angleEvery > 0, steps % shape.angleEvery == 0 else { return }
        for (l, angle) in alignmentAngles(pending.batch, labelSmoothing: pending.smoothing).enumerated() {
            batchStatistics["angle layer\(l + 1)"] = angle
        }
        for (l, angle) in pending.pass.readoutErrorAngles.enumerated() {
            batchStatistics["readout angle layer\(l + 1)"] = angle
        }
    }

    /// Degrees between each hidden layer's weight update now in its gradient and the backprop gradient
    /// of the same `batch`, which is computed on a second tape and then discarded.
    func alignmentAngles(_ batch: [Example], labelSmoothing: Float) -> [Double] {
        let parameters = registry.parameters
        let ruleGradients = parameters.map(\.grad)
        registry.zeroGradients()
        let tape = Tape()
        let pass = stack.forward(tape.constant(splicedInputs(batch)), on: tape, rule: .backprop, lengths: batch.map(\.frames))
        tape.backward(tape.crossEntropy(pass.logits, targets: batch.map(frameTargets),
                                        options: CrossEntropyOptions(labelSmoothing: labelSmoothing)))
        let angles = stack.hiddenWeights.map { weights in
            let indices = weights.map { weight in parameters.firstIndex { $0 === weight }! }
            let rule = indices.flatMap { ruleGradients[$0].scalars }, exact = indices.flatMap { parameters[$0].grad.scalars }
            return alignmentAngle(Tensor(shape: [rule.count], scalars: rule), Tensor(shape: [exact.count], scalars: exact))
        }
        for (p, g) in zip(parameters, ruleGradients) { p.grad = g }
        return angles
    }

    /// The frozen test-time classifier.
    func inference() -> FrameInference {
        FrameInference(layers: (stack.hidden + [stack.output]).map { ($0.weight.value, $0.bias!.value) },
                       recurrent: stack.recurrent.map { ($0.weightIH.value, $0.weightHH.value, $0.bias.value) },
                       activation: shape.activation, inputSize: shape.inputSize, context: shape.context,
                       smoothing: shape.smoothing)
    }

    public func makeDecoder(search: DecodingConfig) -> any UtteranceDecoder { FrameClassifierDecoder(inference: inference()) }

    public func makeOnlineDecoder(search: DecodingConfig) throws -> any OnlineDecoding {
        FrameClassifierOnlineDecoder(inference: inference())
    }

    /// The fraction of frames of `examples` whose most probable phone is their frame label (frames of
    /// examples without phones are not counted); 0 for no frames.
    public func frameAccuracy(_ examples: [Example]) -> Double { frameCounts(examples).accuracy }

    /// Frames of `examples` with phones, and those whose most probable phone (before smoothing) is their
    /// label; the examples are shared among all threads.
    public func frameCounts(_ examples: [Example]) -> FrameCounts {
        let run = inference()
        return Parallel.mapChunks(count: examples.count) { range in
            var counts = FrameCounts()
            var window: [Float] = []
            for example in examples[range] {
                var state = FrameInference.State()
                for (t, label) in frameTargets(example).enumerated() {
                    let scores = run.logProbabilities(example.features, frames: example.frames, at: t, window: &window, state: &state)
                    counts.correct += argmax(scores) == label ? 1 : 0
                    counts.frames += 1
                }
            }
            return counts
        }.reduce(FrameCounts(), +)
    }

    /// No attention to draw.
    public func alignment(of example: Example) -> AlignmentPicture? { nil }
}
