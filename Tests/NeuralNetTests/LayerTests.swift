import Foundation
import Randomness
import Testing
import NeuralNet
import TensorCore
import TestSupport

@Suite struct LayerTests {
    @Test func linearAndEmbeddingGradientsAndNames() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let registry = ParameterRegistry()
        let linear = try Linear(registry, name: "proj", inputs: 4, outputs: 3, rng: &rng)
        let embedding = try Embedding(registry, name: "emb", vocabulary: 6, dimension: 4, rng: &rng)
        #expect(registry.parameters.map(\.name) == ["proj.weight", "proj.bias", "emb.weight"])
        linear.bias!.value = Tensor(shape: [3]) { _ in rng.nextNormal() }
        let result = GradientCheck.run(parameters: registry.parameters) { tape in
            linear(embedding([[1, 5, 1], [0, 2, 3]], on: tape), on: tape)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
        #expect(throws: ParameterError.duplicateName("proj.weight")) {
            _ = try Linear(registry, name: "proj", inputs: 1, outputs: 1, rng: &rng)
        }
    }

    @Test func layerNormNormalisesAndItsGradientsCheck() throws {
        var rng = Xoshiro256StarStar(seed: 2)
        let registry = ParameterRegistry()
        let norm = try LayerNorm(registry, name: "ln", features: 7, rng: &rng)
        norm.gain.value = Tensor(shape: [7]) { _ in 1 + 0.3 * rng.nextNormal() }
        norm.bias.value = Tensor(shape: [7]) { _ in rng.nextNormal() }
        let x = randomParameter("x", [2, 3, 7], seed: 3, scale: 2, shift: 1)
        let result = GradientCheck.run(parameters: [x] + registry.parameters) { tape in norm(tape.parameter(x), on: tape) }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
        // With unit gain and zero bias each row has mean 0 and variance 1 - ε-ish.
        let plain = try LayerNorm(ParameterRegistry(), name: "p", features: 7, rng: &rng)
        let y = plain(Tape(recording: false).constant(x.value), on: Tape(recording: false)).value
        let row = Array(y.scalars[0..<7]).map(Double.init)
        let mean = row.reduce(0, +) / 7
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7
        #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-4)
    }

    @Test(arguments: [FrameSubsamplingOptions.Mode.drop, .concatenate])
    func frameSubsampling(mode: FrameSubsamplingOptions.Mode) {
        let options = FrameSubsamplingOptions(factor: 2, mode: mode)
        let x = Parameter(name: "x", value: Tensor(shape: [2, 5, 3]) { Float($0) })
        let y = Tape(recording: false).subsampleFrames(Tape(recording: false).constant(x.value), options: options).value
        #expect(options.outputLength(5) == 3)
        if mode == .drop {
            #expect(y.shape == [2, 3, 3])
            #expect(y[0, 1, 0] == x.value[0, 2, 0] && y[1, 2, 2] == x.value[1, 4, 2])
        } else {
            #expect(y.shape == [2, 3, 6])
            #expect(y[0, 0, 3] == x.value[0, 1, 0] && y[1, 2, 0] == x.value[1, 4, 0])
            #expect(y[1, 2, 3] == 0, "the last partial group is zero-padded")
        }
        let result = GradientCheck.run(parameters: [x]) { tape in tape.subsampleFrames(tape.parameter(x), options: options) }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test func dropoutIsSeededScaledAndDifferentiable() {
        let x = randomParameter("x", [4, 50], seed: 4)
        func run(seed: UInt64) -> Tensor {
            var rng = Xoshiro256StarStar(seed: seed)
            let t = Tape(recording: false)
            return t.dropout(t.constant(x.value), rate: 0.3, rng: &rng).value
        }
        #expect(run(seed: 9) == run(seed: 9))
        #expect(run(seed: 9) != run(seed: 10))
        let y = run(seed: 9)
        let kept = zip(y.scalars, x.value.scalars).filter { $0.0 != 0 }
        #expect(kept.allSatisfy { abs($0.0 - $0.1 / 0.7) < 1e-5 })
        #expect(abs(Double(kept.count) / 200 - 0.7) < 0.1)
        let result = GradientCheck.run(parameters: [x]) { tape in
            var rng = Xoshiro256StarStar(seed: 9)
            return tape.dropout(tape.parameter(x), rate: 0.3, rng: &rng)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }

    @Test(arguments: [Float(0), 0.1])
    func crossEntropyOverPaddedSequences(smoothing: Float) {
        let logits = randomParameter("logits", [3, 4, 5], seed: 5, scale: 2)
        let targets = [[1, 4, 0], [2], [3, 3, 1, 0]]
        let options = CrossEntropyOptions(labelSmoothing: smoothing)
        // Float64 reference: mean over the 8 labelled positions of -Σ q log softmax.
        var total = 0.0
        for (b, labels) in targets.enumerated() {
            for (t, y) in labels.enumerated() {
                let row = (0..<5).map { Double(logits.value[b, t, $0]) }
                let m = row.max()!
                let logZ = m + log(row.map { exp($0 - m) }.reduce(0, +))
                for v in 0..<5 {
                    let q = (v == y ? 1 - Double(smoothing) : 0) + Double(smoothing) / 5
                    total -= q * (row[v] - logZ)
                }
            }
        }
        let tape = Tape(recording: false)
        let loss = tape.crossEntropy(tape.constant(logits.value), targets: targets, options: options).value.scalar
        #expect(abs(Double(loss) - total / 8) < 1e-5)
        let result = GradientCheck.run(parameters: [logits]) { tape in
            tape.crossEntropy(tape.parameter(logits), targets: targets, options: options)
        }
        #expect(result.maxRelativeError < 2e-3, "\(result)")
    }
}
