import Randomness
import TensorCore

/// Lookup table of learned vectors: `<name>.weight` `[vocabulary, dimension]` (normal, sd 1).
/// Input: token ids `[batch][length]` (equal lengths); output `[batch, length, dimension]`.
public struct Embedding {
    /// `[vocabulary, dimension]`.
    public let weight: Parameter

    /// Registers `<name>.weight`.
    public init(_ registry: ParameterRegistry, name: String, vocabulary: Int, dimension: Int,
                rng: inout Xoshiro256StarStar) throws(ParameterError) {
        weight = try registry.make("\(name).weight", shape: [vocabulary, dimension],
                                   initializer: .normal(standardDeviation: 1), rng: &rng)
    }

    /// Rows for `ids` (`[batch][length]`, every row the same length) → `[batch, length, dimension]`.
    public func callAsFunction(_ ids: [[Int]], on tape: Tape) -> Variable {
        let length = ids.first?.count ?? 0
        precondition(ids.allSatisfy { $0.count == length }, "Embedding ids must be a rectangular [batch][length]")
        let rows = tape.gather(tape.parameter(weight), rows: ids.flatMap { $0 })
        return tape.reshape(rows, [ids.count, length, weight.shape[1]])
    }

    /// Rows for `ids` `[batch]` → `[batch, dimension]` (one decoder step).
    public func callAsFunction(_ ids: [Int], on tape: Tape) -> Variable {
        tape.gather(tape.parameter(weight), rows: ids)
    }
}
