import NeuralNet
import Randomness
import TensorCore

/// A CTC output layer on encoder states: logits [B, T', labelCount + 1] = Linear(states), class
/// labelCount the blank, trained by the CTC loss. Used alone (`CTCModel`) and beside an attention
/// decoder on the same encoder (joint CTC/attention).
///
/// Parameters: `ctc.output.{weight [labelCount + 1, M], bias [labelCount + 1]}`.
public struct CTCHead {
    /// Phone labels; the blank is `labelCount`.
    public let labelCount: Int
    let output: Linear

    /// Registers `ctc.output` for states of width `memory` (weights uniform on ±initScale, bias 0).
    init(_ registry: ParameterRegistry, labelCount: Int, memory: Int, initScale: Float, rng: inout Xoshiro256StarStar) throws {
        self.labelCount = labelCount
        output = try Linear(registry, name: "ctc.output", inputs: memory, outputs: labelCount + 1, rng: &rng)
        output.weight.value.withUnsafeMutableBufferPointer { w in
            for i in 0..<w.count { w[i] = rng.nextUniform(-initScale, initScale) }
        }
    }

    /// The blank's class index: `labelCount`.
    public var blank: Int { labelCount }

    /// Mean CTC loss per label of `batch` from its encoder states [B, T', M] with `lengths`; +∞ when a
    /// target cannot fit (`validate` reports which before training).
    func loss(states: Variable, lengths: [Int], batch: [Example], on tape: Tape) -> Variable {
        do {
            return try tape.ctcLoss(output(states, on: tape), lengths: lengths, targets: batch.map(\.labels),
                                    utterances: batch.map(\.id), options: CTCOptions(blank: blank))
        } catch {
            return tape.constant(Tensor(scalar: .infinity))
        }
    }

    /// Throws `CTCError` for the first example whose labels need more than its `states(frames)` encoder states.
    func validate(_ examples: [Example], states: (Int) -> Int) throws {
        for e in examples { try CTC.check(utterance: e.id, labels: e.labels, frames: states(e.frames)) }
    }

    /// Frozen copies of the layer's weights for decoding.
    func snapshot() -> CTCOutputSnapshot {
        CTCOutputSnapshot(weight: output.weight.value.scalars, bias: output.bias?.value.scalars
                              ?? [Float](repeating: 0, count: labelCount + 1), labelCount: labelCount)
    }
}

/// The CTC output layer's weights frozen for test time; shareable across threads.
public struct CTCOutputSnapshot: Sendable {
    /// [labelCount + 1, M].
    let weight: [Float]
    /// [labelCount + 1].
    let bias: [Float]
    /// Phones; the blank is `labelCount`.
    public let labelCount: Int

    /// Classes V = labelCount + 1.
    public var classes: Int { labelCount + 1 }
    /// The blank: `labelCount`.
    public var blank: Int { labelCount }

    /// log softmax(W h + b) [n, V] (row-major) of states [n, M] (row-major).
    public func logProbabilities(_ states: [Float]) -> [Float] {
        let V = classes, M = weight.count / V
        let n = M == 0 ? 0 : states.count / M
        guard n > 0 else { return [] }
        var out = [Float](repeating: 0, count: n * V)
        states.withUnsafeBufferPointer { h in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    BLAS.gemm(.none, .transposed, m: n, n: V, k: M, a: h.baseAddress!, lda: M, b: w.baseAddress!, ldb: M,
                              c: o.baseAddress!, ldc: V)
                    for t in 0..<n { for v in 0..<V { o[t * V + v] += bias[v] } }
                    Kernels.softmaxRows(o.baseAddress!, rows: n, n: V, logarithm: true)
                }
            }
        }
        return out
    }
}
