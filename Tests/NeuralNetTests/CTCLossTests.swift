import Randomness
import Testing
import NeuralNet
import TensorCore
import TestSupport

/// −log of the sum, over every path of `frames` symbols in 0..<classes that collapses (merge repeats,
/// drop blanks) to `labels`, of Π_t softmax(logits_t)[path_t]: the definition of CTC, enumerated.
func bruteForceCTC(logits: [Double], frames: Int, classes: Int, labels: [Int], blank: Int) -> Double {
    let lp = CTC.logSoftmax(logits, frames: frames, classes: classes)
    var total = 0.0
    var path = [Int](repeating: 0, count: frames)
    var count = 1
    for _ in 0..<frames { count *= classes }
    for code in 0..<count {
        var c = code
        for t in 0..<frames { path[t] = c % classes; c /= classes }
        var collapsed: [Int] = []
        var previous = -1
        for symbol in path {
            if symbol != blank && symbol != previous { collapsed.append(symbol) }
            previous = symbol
        }
        guard collapsed == labels else { continue }
        var logProbability = 0.0
        for t in 0..<frames { logProbability += lp[t * classes + path[t]] }
        total += LibM.exp(logProbability)
    }
    return -LibM.log(total)
}

@Suite struct CTCLossTests {
    static let cases: [(labels: [Int], frames: Int, blank: Int)] = [
        ([], 3, 0), ([1], 1, 0), ([1, 2], 4, 0), ([1, 1], 3, 0), ([2, 1, 2], 6, 0), ([1, 1, 2], 8, 0),
        ([0, 1], 5, 2), ([0, 0, 0], 7, 3),
    ]

    @Test func equalsTheBruteForceSumOverEveryAlignment() {
        var rng = Xoshiro256StarStar(seed: 11)
        for (labels, frames, blank) in Self.cases {
            let classes = max(3, blank + 1)
            let logits = (0..<(frames * classes)).map { _ in 2 * Double(rng.nextNormal()) }
            let exact = bruteForceCTC(logits: logits, frames: frames, classes: classes, labels: labels, blank: blank)
            let loss = CTC.negativeLogLikelihood(logits: logits, frames: frames, classes: classes, labels: labels, blank: blank).loss
            #expect(abs(loss - exact) <= 1e-10 * max(1, abs(exact)), "labels \(labels) T \(frames): \(loss) vs \(exact)")
        }
    }

    @Test func theProbabilitiesOfEveryLabellingSumToOne() {
        // Over every labelling the probabilities sum to 1 (each path collapses to exactly one labelling).
        var rng = Xoshiro256StarStar(seed: 12)
        let (frames, classes) = (4, 3)
        let logits = (0..<(frames * classes)).map { _ in Double(rng.nextNormal()) }
        var total = 0.0
        func visit(_ prefix: [Int]) {
            if CTC.requiredFrames(prefix) <= frames {
                total += LibM.exp(-CTC.negativeLogLikelihood(logits: logits, frames: frames, classes: classes, labels: prefix,
                                                             blank: 0, gradient: false).loss)
            }
            guard prefix.count < frames else { return }
            for label in 1..<classes { visit(prefix + [label]) }
        }
        visit([])
        #expect(abs(total - 1) < 1e-12, "Σ p(l) = \(total)")
    }

    @Test func gradientMatchesFiniteDifferencesInFloat64() {
        var rng = Xoshiro256StarStar(seed: 13)
        for (labels, frames, blank) in Self.cases {
            let classes = max(3, blank + 1)
            let logits = (0..<(frames * classes)).map { _ in Double(rng.nextNormal()) }
            let analytic = CTC.negativeLogLikelihood(logits: logits, frames: frames, classes: classes, labels: labels,
                                                     blank: blank).gradient
            let numeric = numericalGradient(logits, step: 1e-5) {
                CTC.negativeLogLikelihood(logits: $0, frames: frames, classes: classes, labels: labels, blank: blank,
                                          gradient: false).loss
            }
            let worst = zip(analytic, numeric).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-8, "labels \(labels) T \(frames): worst gradient error \(worst)")
        }
    }

    @Test func batchedTapeLossOverVariableLengthsChecksAndSumsTheSequences() throws {
        let (B, T, V) = (3, 7, 4)
        let lengths = [7, 4, 6]
        let targets = [[1, 2, 1], [3, 3], [2]]
        let names = ["a", "b", "c"]
        let logits = randomParameter("logits", [B, T, V], seed: 14)
        let result = GradientCheck.run(parameters: [logits], epsilon: 1e-2) { tape in
            try! tape.ctcLoss(tape.parameter(logits), lengths: lengths, targets: targets, utterances: names)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")

        // The value: per-sequence float64 losses over their own frames, divided by the labels in the batch.
        let values = logits.value.scalars.map(Double.init)
        var total = 0.0
        for b in 0..<B {
            let rows = Array(values[(b * T * V)..<(b * T * V + lengths[b] * V)])
            total += CTC.negativeLogLikelihood(logits: rows, frames: lengths[b], classes: V, labels: targets[b], blank: 0,
                                               gradient: false).loss
        }
        let tape = Tape()
        let loss = try tape.ctcLoss(tape.parameter(logits), lengths: lengths, targets: targets, utterances: names)
        #expect(abs(Double(loss.value.scalar) - total / 6) < 1e-5 * total)

        // Padding frames get no gradient; one thread and two give the same bits.
        logits.zeroGradient()
        tape.backward(loss)
        let gradient = logits.grad.scalars
        #expect(gradient.contains { $0 != 0 })
        for i in (1 * T * V + 4 * V)..<(2 * T * V) { #expect(gradient[i] == 0) }
        func lossBits(_ threads: Int) throws -> UInt32 {
            try ComputeThreads.withCount(threads) {
                let t = Tape(recording: false)
                return try t.ctcLoss(t.parameter(logits), lengths: lengths, targets: targets, utterances: names).value.scalar.bitPattern
            }
        }
        #expect(try lossBits(1) == lossBits(2))
    }

    @Test func aTargetThatCannotFitItsFramesIsAnErrorNamingTheUtterance() {
        #expect(CTC.requiredFrames([1, 1, 2, 2, 2]) == 8)
        let tape = Tape()
        let logits = tape.constant(Tensor.zeros([2, 5, 3]))
        #expect(throws: CTCError(utterance: "DR1_FCJF0_SI1027", labels: 3, required: 5, frames: 4)) {
            _ = try tape.ctcLoss(logits, lengths: [5, 4], targets: [[1], [2, 2, 2]], utterances: ["ok", "DR1_FCJF0_SI1027"])
        }
        do {
            _ = try tape.ctcLoss(logits, lengths: [2, 5], targets: [[1, 2, 1], [1]], utterances: ["short", "ok"])
            Issue.record("an impossible target gave a loss")
        } catch {
            #expect("\(error)".hasPrefix("utterance short: 3 labels need at least 3 frames"), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
        // The core alone answers +∞ rather than NaN.
        let core = CTC.negativeLogLikelihood(logits: [Double](repeating: 0, count: 6), frames: 2, classes: 3, labels: [1, 1],
                                             blank: 0)
        #expect(core.loss == .infinity && core.gradient.allSatisfy { $0 == 0 })
    }
}
