import Randomness
import Testing
import NeuralNet
import TensorCore

/// A small LSTM learns to output, at every frame, the token it saw one frame earlier.
@Suite struct ToyTaskTests {
    @Test func lstmLearnsADelayedCopyToNearZeroLoss() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        let registry = ParameterRegistry()
        let classes = 4
        let lstm = try LSTM(registry, name: "enc", config: LSTMConfig(inputSize: classes, hiddenSize: 24, layers: 1), rng: &rng)
        let output = try Linear(registry, name: "out", inputs: 24, outputs: classes, rng: &rng)
        var adam = try Adam()
        var loss: Float = .infinity
        let initial: Float
        func batch() -> (x: Tensor, targets: [[Int]], lengths: [Int]) {
            let (B, T) = (8, 12)
            var x = Tensor.zeros([B, T, classes])
            var targets: [[Int]] = []
            var lengths: [Int] = []
            for b in 0..<B {
                let n = 6 + Int(rng.next() % 7)
                let tokens = (0..<n).map { _ in Int(rng.next() % UInt64(classes)) }
                for t in 0..<n { x[b, t, tokens[t]] = 1 }
                targets.append([0] + tokens.dropLast())
                lengths.append(n)
            }
            return (x, targets, lengths)
        }
        func step(_ b: (x: Tensor, targets: [[Int]], lengths: [Int])) -> Float {
            registry.zeroGradients()
            let tape = Tape()
            let h = lstm(tape.constant(b.x), lengths: b.lengths, on: tape).output
            let l = tape.crossEntropy(output(h, on: tape), targets: b.targets)
            tape.backward(l)
            GradientClipping.clipGlobalNorm(registry.parameters, maxNorm: 5)
            adam.step(registry.parameters, learningRate: 0.02)
            return l.value.scalar
        }
        initial = step(batch())
        for _ in 0..<300 { loss = step(batch()) }
        #expect(initial > 1.2, "starts near log 4 = 1.39")
        #expect(loss < 0.05, "final loss \(loss)")
    }
}
