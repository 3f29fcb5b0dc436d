import Randomness
import Testing
import TensorCore
@testable import Models

/// The hard-alignment bounds and estimators against exact values from enumerating every valid decision
/// string of a short utterance (4 frames and the end position: m = 5; 2 phones and the end of sequence: n = 3;
/// T = 8, C(7, 3) = 35 strings).
///
/// Exact reference: per-string log p(y | b, x), log p(b | x) and log q(b | x, y) evaluated with generic
/// tape ops (log-softmax, masks, sums; not the family's surrogate op), the bounds built from them by
/// enumeration (VIMCO over all k-tuples), and their gradients by reverse mode through those ops
/// (checked against finite differences). Both ends of input are checked: the end-of-input position
/// (forced emits free) and `lastFrame` (m = 4, T = 7, C(6, 3) = 20 strings; forced emits scored with
/// log σ(z), so p's probabilities of the valid strings sum to less than 1 while the sampling
/// distribution's, free decisions only, sum to 1). Statistical tolerance: the mean of D sampled estimator
/// gradients, projected (within p's parameters and within q's) on the exact gradient's direction and on
/// two random unit directions, is
/// within 4.5 standard errors (of the D projected samples) of the exact projection.
@Suite(.serialized) struct HardAlignmentExactTests {
    static let example: Example = {
        let task = SyntheticTask(labelCount: 3, featureSize: 2, labelsPerUtterance: 2...2, framesPerLabel: 2...2, noise: 0.5)
        return task.examples(count: 1, seed: 4)[0]
    }()

    static func model(_ estimator: HardAlignmentEstimator, baseline: HardAlignmentBaseline = .temporalLoo, samples: Int = 3,
                      endOfInput: HardAlignmentEndOfInput = .position, delayPenalty: Float = 0) throws -> HardAlignmentModel {
        let config = HardAlignmentConfig(inputSize: 2, labelCount: 3, layers: 1, hiddenSize: 3, embeddingSize: 2,
                                         estimator: estimator, baseline: baseline, samples: samples,
                                         inference: InferenceNetworkConfig(inputLayers: 1, inputHiddenSize: 2, targetHiddenSize: 2,
                                                                           embeddingSize: 2, decisionLayers: 1, decisionHiddenSize: 3),
                                         delayPenalty: delayPenalty, endOfInput: endOfInput)
        return try HardAlignmentModel(config: config, seed: 7, initScale: 0.6)
    }

    /// Every valid decision string of the example under `model`'s end of input.
    static func allPaths(_ model: HardAlignmentModel) -> [DecisionPath] {
        DecisionPath.all(positions: example.frames + model.shape.endPositions, tokens: example.labels.count + 1)
    }

    /// Per-string scores on `tape` with generic ops: Σ_t b_t log p(y_t) [N], Σ_free log p(b_t) [N],
    /// Σ_forced emits log σ(z_t) [N] (0 unless forced emits are scored), −λ·D(b) [N] (D: the positions at
    /// which the phones are emitted, counted directly), Σ_free log q(b_t) [N] (nil without q).
    static func scores(_ model: HardAlignmentModel, _ paths: [DecisionPath], on tape: Tape)
        -> (rewards: Variable, decisions: Variable, forcedEmits: Variable, latency: Variable, inference: Variable?)
    {
        let e = example
        let targets = model.targets(e.labels)
        let rows = paths.map { PathRow(utterance: 0, path: $0) }
        let (x, lengths) = StackedEncoder.paddedFeatures([e], inputSize: model.inputSize)
        var unused = Xoshiro256StarStar(seed: 0)
        let (reads, _) = model.reads(x, lengths: lengths, on: tape, training: false, rng: &unused)
        let indices = PathIndices(rows, readLength: reads.shape[1])
        let (N, T, V) = (rows.count, indices.steps, model.labelCount + 1)
        let (tokens, decisions) = model.p(reads: reads, labels: [targets], indices: indices, on: tape)
        var mask = [Float](repeating: 0, count: N * T * V), sign = [Float](repeating: 0, count: N * T)
        var isFree = sign, forced = sign
        for (r, path) in paths.enumerated() {
            for (s, step) in path.steps.enumerated() {
                if path.decisions[s] { mask[(r * T + s) * V + targets[step.emittedBefore]] = 1 }
                sign[r * T + s] = path.decisions[s] ? 1 : -1
                isFree[r * T + s] = path.forced[s] ? 0 : 1
                forced[r * T + s] = path.forced[s] && path.decisions[s] && model.shape.scoresForcedEmits ? 1 : 0
            }
        }
        let tokenMask = Tensor(shape: [N * T, V], scalars: mask), free = Tensor(shape: [N, T], scalars: isFree)
        let forcedEmit = Tensor(shape: [N, T], scalars: forced)
        let signs = Tensor(shape: [N, T], scalars: sign)
        let logSoftmax = tape.logSoftmax(tape.reshape(tokens, [N * T, V]))
        let rewards = tape.sum(tape.reshape(tape.multiply(logSoftmax, tape.constant(tokenMask)), [N, T * V]), axis: 1)
        func decisionLogs(_ z: Variable, mask: Tensor) -> Variable {
            let signed = tape.multiply(tape.reshape(z, [N, T]), tape.constant(signs))
            return tape.sum(tape.multiply(tape.log(tape.sigmoid(signed)), tape.constant(mask)), axis: 1)
        }
        var inference: Variable?
        if let q = model.q {
            let context = q.context(features: x, lengths: lengths, labels: [targets], on: tape)
            inference = decisionLogs(q(inputs: model.endingInput(context.inputs, on: tape), targets: context.targets, indices: indices, on: tape),
                                     mask: free)
        }
        let phones = e.labels.count
        let delays = paths.map { path in
            zip(path.steps, path.decisions).filter { $0.1 && $0.0.emittedBefore < phones }.reduce(0) { $0 + $1.0.position }
        }
        let latency = tape.constant(Tensor(shape: [N], scalars: delays.map { -model.shape.delayPenalty * Float($0) }))
        return (rewards, decisionLogs(decisions, mask: free), decisionLogs(decisions, mask: forcedEmit), latency, inference)
    }

    /// The exact bound of the model's estimator on `tape` (VIMCO with k samples: over all N^k tuples).
    static func exactBound(_ model: HardAlignmentModel, on tape: Tape) -> Variable {
        let paths = allPaths(model)
        let (rewards, decisions, forcedEmits, latency, inference) = scores(model, paths, on: tape)
        let joint = tape.add(tape.add(tape.add(rewards, decisions), forcedEmits), latency)
        switch model.shape.estimator {
        case .reinforce:   // b from p restricted to valid strings, whose log-probability is `decisions`
            return tape.sum(tape.multiply(tape.exp(decisions), tape.add(tape.add(rewards, forcedEmits), latency)))
        case .nvil:
            let logWeight = tape.subtract(joint, inference!)
            return tape.sum(tape.multiply(tape.exp(inference!), logWeight))
        case .vimco:
            let k = model.shape.samples, N = paths.count
            let logWeight = tape.reshape(tape.subtract(joint, inference!), [N, 1])
            let logQ = tape.reshape(inference!, [N, 1])
            var tuples: [[Int]] = [[]]
            for _ in 0..<k { tuples = tuples.flatMap { t in (0..<N).map { t + [$0] } } }
            var sumF: Variable?, tupleLogQ: Variable?
            for i in 0..<k {
                let column = tuples.map { $0[i] }
                let f = tape.exp(tape.gather(logWeight, rows: column))
                let lq = tape.gather(logQ, rows: column)
                sumF = sumF.map { tape.add($0, f) } ?? f
                tupleLogQ = tupleLogQ.map { tape.add($0, lq) } ?? lq
            }
            let estimate = tape.scale(tape.log(tape.scale(sumF!, by: 1 / Float(k))), by: 1)
            return tape.sum(tape.multiply(tape.exp(tupleLogQ!), estimate))
        }
    }

    /// Float64 values of every string's terms.
    static func terms(_ model: HardAlignmentModel)
        -> (paths: [DecisionPath], reward: [Double], decision: [Double], forcedEmits: [Double], latency: [Double], inference: [Double])
    {
        let paths = allPaths(model)
        let tape = Tape(recording: false)
        let (r, d, f, l, q) = scores(model, paths, on: tape)
        let inference = q.map { $0.value.scalars.map(Double.init) } ?? Array(repeating: 0, count: paths.count)
        let values = { (v: Variable) in v.value.scalars.map(Double.init) }
        return (paths, values(r), values(d), values(f), values(l), inference)
    }

    @Test(arguments: HardAlignmentEndOfInput.allCases)
    func boundsByEnumerationAreOrderedAndProbabilitiesSumToOne(endOfInput: HardAlignmentEndOfInput) throws {
        let model = try Self.model(.vimco, endOfInput: endOfInput)
        let (paths, reward, decision, forcedEmits, _, inference) = Self.terms(model)
        #expect(paths.count == (endOfInput == .position ? 35 : 20))
        // The sampling distributions (free decisions) are normalised over the valid strings; p itself is
        // too when forced emits are free, and loses mass to invalid strings when they are scored.
        let pSum = decision.reduce(0) { $0 + LibM.exp($1) }, qSum = inference.reduce(0) { $0 + LibM.exp($1) }
        #expect(abs(pSum - 1) < 1e-5 && abs(qSum - 1) < 1e-5, "Σ p(b) = \(pSum), Σ q(b) = \(qSum)")
        let scoredSum = paths.indices.reduce(0.0) { $0 + LibM.exp(decision[$1] + forcedEmits[$1]) }
        #expect(endOfInput == .position ? abs(scoredSum - 1) < 1e-5 : scoredSum < 1 - 1e-3, "Σ p(b) with forced emits scored = \(scoredSum)")
        let joint = paths.indices.map { reward[$0] + decision[$0] + forcedEmits[$0] }
        let logLikelihood = LearningSignals.logSumExp(joint)   // log p(y | x)
        let prior = paths.indices.reduce(0.0) { $0 + LibM.exp(decision[$1]) * (reward[$1] + forcedEmits[$1]) }
        let logW = paths.indices.map { joint[$0] - inference[$0] }
        let single = paths.indices.reduce(0.0) { $0 + LibM.exp(inference[$1]) * logW[$1] }
        func multi(_ k: Int) -> Double {   // E over all k-tuples of log (1/k) Σ f
            var tuples: [[Int]] = [[]]
            for _ in 0..<k { tuples = tuples.flatMap { t in paths.indices.map { t + [$0] } } }
            return tuples.reduce(0.0) { total, t in
                total + LibM.exp(t.reduce(0) { $0 + inference[$1] }) * LearningSignals.multiSampleBound(logWeights: t.map { logW[$0] }).bound
            }
        }
        let (k1, k2, k3) = (multi(1), multi(2), multi(3))
        #expect(abs(k1 - single) < 1e-9)
        #expect(prior <= logLikelihood && single <= k2 + 1e-12 && k2 <= k3 + 1e-12 && k3 <= logLikelihood, "\(prior) \(single) \(k2) \(k3) \(logLikelihood)")
        // The tape's exact VIMCO bound (k = 3) is the same enumeration.
        let tape = Tape(recording: false)
        #expect(abs(Double(Self.exactBound(model, on: tape).value.scalar) - k3) < 1e-4)
    }

    @Test(arguments: HardAlignmentEndOfInput.allCases)
    func theModelsPerStepTermsMatchTheGenericEvaluation(endOfInput: HardAlignmentEndOfInput) throws {
        let model = try Self.model(.nvil, endOfInput: endOfInput, delayPenalty: 0.25)
        let (paths, reward, decision, forcedEmits, latency, inference) = Self.terms(model)
        let targets = model.targets(Self.example.labels)
        let tape = Tape(recording: false)
        let rows = paths.map { PathRow(utterance: 0, path: $0) }
        let (x, lengths) = StackedEncoder.paddedFeatures([Self.example], inputSize: model.inputSize)
        let reads = model.endingInput(tape.constant(x), on: tape)
        let indices = PathIndices(rows, readLength: reads.shape[1])
        let (tokens, decisions) = model.p(reads: reads, labels: [targets], indices: indices, on: tape)
        let context = model.q!.context(features: x, lengths: lengths, labels: [targets], on: tape)
        let zq = model.q!(inputs: model.endingInput(context.inputs, on: tape), targets: context.targets, indices: indices, on: tape)
        let terms = PathTerms.read(tokens: tokens.value, decisions: decisions.value, inference: zq.value, rows: rows,
                                   labels: [targets], scoresForcedEmits: model.shape.scoresForcedEmits, delayPenalty: 0.25)
        for r in paths.indices {
            #expect(abs(terms[r].rewards.reduce(0, +) - reward[r]) < 1e-5)
            #expect(abs(terms[r].decisions.reduce(0, +) - decision[r]) < 1e-5)
            #expect(abs(terms[r].forcedEmits.reduce(0, +) - forcedEmits[r]) < 1e-5)
            #expect(abs(terms[r].latency.reduce(0, +) - latency[r]) < 1e-5)
            #expect(abs(terms[r].inference.reduce(0, +) - inference[r]) < 1e-5)
        }
    }

    @Test(arguments: HardAlignmentEstimator.allCases, HardAlignmentEndOfInput.allCases)
    func exactBoundGradientMatchesFiniteDifferences(estimator: HardAlignmentEstimator, endOfInput: HardAlignmentEndOfInput) throws {
        let model = try Self.model(estimator, samples: 2, endOfInput: endOfInput)
        // q's gradients are ~1e-4 here, below what float32 differences resolve, so the scale has a floor.
        let result = GradientCheck.run(parameters: model.parameters, epsilon: 1e-2, floor: 5e-3) { tape in
            tape.scale(Self.exactBound(model, on: tape), by: -1)
        }
        #expect(result.maxRelativeError < 3e-2, "\(estimator): \(result)")
    }

    /// The gradient of the bound (not the loss) as one vector over all parameters.
    static func flatGradients(_ model: HardAlignmentModel, scale: Float) -> [Double] {
        model.parameters.flatMap { p in p.grad.scalars.map { Double($0 * scale) } }
    }

    @Test(arguments: [(HardAlignmentEstimator.reinforce, HardAlignmentBaseline.loo, HardAlignmentEndOfInput.position, Float(0)),
                      (.reinforce, .temporalLoo, .position, 0), (.nvil, .loo, .position, 0), (.nvil, .temporalLoo, .position, 0),
                      (.vimco, .loo, .position, 0), (.vimco, .temporalLoo, .position, 0),
                      (.reinforce, .temporalLoo, .lastFrame, 0), (.nvil, .temporalLoo, .lastFrame, 0), (.vimco, .temporalLoo, .lastFrame, 0),
                      (.reinforce, .temporalLoo, .position, 0.5), (.vimco, .temporalLoo, .position, 0.5)])
    func meanSampledGradientMatchesTheExactGradient(estimator: HardAlignmentEstimator, baseline: HardAlignmentBaseline,
                                                    endOfInput: HardAlignmentEndOfInput, delayPenalty: Float) throws {
        let model = try Self.model(estimator, baseline: baseline, samples: 2, endOfInput: endOfInput, delayPenalty: delayPenalty)
        model.registry.zeroGradients()
        let exactTape = Tape()
        exactTape.backward(Self.exactBound(model, on: exactTape))
        let exact = Self.flatGradients(model, scale: 1)
        let n = Float(Self.example.labels.count + 1)
        // VIMCO's q gradient is the noisiest (standard error ≈ 1/3 of the exact projection at 3000 draws).
        let draws = estimator == .vimco ? 12000 : 3000
        // Directions within p's parameters and within q's (whose gradients are far smaller), each group:
        // the exact gradient's direction and two random unit directions.
        var projectionRNG = Xoshiro256StarStar(seed: 11)
        let inQ = model.parameters.flatMap { p in Array(repeating: p.name.hasPrefix("q."), count: p.value.count) }
        var directions: [[Double]] = []
        for group in Set(inQ) {
            func unit(_ v: [Double]) -> [Double] {
                let masked = v.indices.map { inQ[$0] == group ? v[$0] : 0 }
                let length = masked.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return masked.map { $0 / length }
            }
            directions.append(unit(exact))
            for _ in 0..<2 { directions.append(unit(exact.map { _ in Double(projectionRNG.nextNormal()) })) }
        }
        var sums = [Double](repeating: 0, count: directions.count), squares = sums
        for d in 0..<draws {
            model.registry.zeroGradients()
            let tape = Tape()
            var rng = Xoshiro256StarStar(seed: UInt64(1000 + d))
            let loss = model.loss([Self.example], on: tape, training: true, labelSmoothing: 0, rng: &rng)
            model.backward(loss, on: tape)
            let g = Self.flatGradients(model, scale: -n)   // loss = −bound / (n + 1)
            for (j, v) in directions.enumerated() {
                let projection = zip(g, v).reduce(0) { $0 + $1.0 * $1.1 }
                sums[j] += projection
                squares[j] += projection * projection
            }
        }
        for (j, v) in directions.enumerated() {
            let mean = sums[j] / Double(draws)
            let standardError = ((squares[j] / Double(draws) - mean * mean) / Double(draws - 1)).squareRoot()
            let target = zip(exact, v).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(mean - target) <= 4.5 * standardError + 1e-6,
                    "\(estimator)+\(baseline), \(endOfInput), λ \(delayPenalty) direction \(j): mean \(mean), exact \(target), standard error \(standardError)")
        }
    }

    @Test func samplingIsSeededAndTheSameOnAnyNumberOfThreads() throws {
        let model = try Self.model(.vimco, samples: 5)
        let task = SyntheticTask(labelCount: 3, featureSize: 2, labelsPerUtterance: 2...3, framesPerLabel: 2...4)
        let batch = task.examples(count: 3, seed: 5)
        func run(threads: Int) -> (Float, [Float]) {
            ComputeThreads.withCount(threads) {
                model.registry.zeroGradients()
                let tape = Tape()
                var rng = Xoshiro256StarStar(seed: 42)
                let loss = model.loss(batch, on: tape, training: true, labelSmoothing: 0, rng: &rng)
                model.backward(loss, on: tape)
                return (loss.value.scalar, model.parameters.flatMap(\.grad.scalars))
            }
        }
        let one = run(threads: 1), two = run(threads: 2), again = run(threads: 2)
        #expect(one.0 == two.0 && one.1 == two.1)
        #expect(two.0 == again.0 && two.1 == again.1)
    }
}
