import NeuralNet
import TensorCore

/// A unidirectional LSTM stack run one step at a time over `rows` independent sequences, without
/// recording (sampling trajectories, decoding): input [rows, in] → top hidden state [rows, H].
/// Its steps equal the sequence op's (`LSTM` on the tape) over the same inputs.
struct LSTMStackSteps {
    /// The layers' weights, bottom first.
    let layers: [LSTMWeights]
    /// Per layer the state [rows, H] (nil before the first step: zeros).
    private(set) var states: [LSTMState]?
    private let tape = Tape(recording: false)

    /// A fresh run of `lstm` (forward directions only).
    init(_ lstm: LSTM) {
        layers = lstm.weights.map { $0[0] }
    }

    /// One step on `input` [rows, in] (row-major); returns the top layer's new hidden state [rows, H].
    mutating func step(_ input: [Float], rows: Int) -> [Float] {
        var h = tape.constant(Tensor(shape: [rows, 1, input.count / max(rows, 1)], scalars: input))
        var next: [LSTMState] = []
        for (k, weights) in layers.enumerated() {
            let (y, s) = weights.run(h, lengths: nil, initialState: states?[k], reverse: false, on: tape)
            next.append(s)
            h = y
        }
        states = next
        return h.value.scalars
    }

    /// Row `i`'s state: per layer h then c, [layers · 2H].
    func state(row i: Int) -> [Float] {
        guard let states else { return Array(repeating: 0, count: layers.reduce(0) { $0 + 2 * $1.hiddenSize }) }
        var out: [Float] = []
        for s in states {
            let H = s.h.shape[1]
            out += s.h.value.scalars[(i * H)..<((i + 1) * H)]
            out += s.c.value.scalars[(i * H)..<((i + 1) * H)]
        }
        return out
    }

    /// Sets the state of every row from `rows` (each as `state(row:)` gives it), for beam search.
    mutating func setStates(_ rows: [[Float]]) {
        var offset = 0
        states = layers.map { w in
            let H = w.hiddenSize
            var h: [Float] = [], c: [Float] = []
            for row in rows {
                h += row[offset..<(offset + H)]
                c += row[(offset + H)..<(offset + 2 * H)]
            }
            offset += 2 * H
            return LSTMState(h: tape.constant(Tensor(shape: [rows.count, H], scalars: h)),
                             c: tape.constant(Tensor(shape: [rows.count, H], scalars: c)))
        }
    }
}
