import Foundation

/// A Float64 LSTM direction for reference computations (gates i, f, g, o; PyTorch layouts, row-major):
/// z = W_ih x + W_hh h + b (+ offset), c' = f⊙c + i⊙g, h' = o⊙tanh(c').
public struct Float64LSTMCell {
    /// [4H, inputs].
    public var wIH: [Double]
    /// [4H, H].
    public var wHH: [Double]
    /// [4H].
    public var bias: [Double]
    /// Input width and hidden units H.
    public let inputs: Int, hidden: Int

    /// A cell from its weights.
    public init(wIH: [Double], wHH: [Double], bias: [Double], inputs: Int, hidden: Int) {
        (self.wIH, self.wHH, self.bias, self.inputs, self.hidden) = (wIH, wHH, bias, inputs, hidden)
    }

    static func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }

    /// One step (`offset` [4H] added to the pre-activations): (h_t, c_t).
    public func step(_ x: [Double], _ h: [Double], _ c: [Double], offset: [Double]? = nil) -> ([Double], [Double]) {
        var hNew = [Double](repeating: 0, count: hidden), cNew = hNew
        for j in 0..<hidden {
            var z = [0.0, 0, 0, 0]
            for gate in 0..<4 {
                let row = gate * hidden + j
                z[gate] = bias[row] + (offset?[row] ?? 0)
                for k in 0..<inputs { z[gate] += wIH[row * inputs + k] * x[k] }
                for k in 0..<hidden { z[gate] += wHH[row * hidden + k] * h[k] }
            }
            let (i, f, g, o) = (Self.sigmoid(z[0]), Self.sigmoid(z[1]), Foundation.tanh(z[2]), Self.sigmoid(z[3]))
            cNew[j] = f * c[j] + i * g
            hNew[j] = o * Foundation.tanh(cNew[j])
        }
        return (hNew, cNew)
    }

    /// (h_t, c_t) of every frame of `xs` from a zero state (`offsets[t]` added to frame t's pre-activations).
    public func run(_ xs: [[Double]], offsets: [[Double]?]? = nil) -> [([Double], [Double])] {
        var state = ([Double](repeating: 0, count: hidden), [Double](repeating: 0, count: hidden))
        return xs.indices.map { t in
            state = step(xs[t], state.0, state.1, offset: offsets?[t])
            return state
        }
    }

    /// The cell with one weight moved by `shift`: `part` 0 W_ih, 1 W_hh, 2 the bias.
    public func moved(_ part: Int, _ index: Int, by shift: Double) -> Float64LSTMCell {
        var copy = self
        switch part {
        case 0: copy.wIH[index] += shift
        case 1: copy.wHH[index] += shift
        default: copy.bias[index] += shift
        }
        return copy
    }
}
