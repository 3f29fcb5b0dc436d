import Options
import TensorCore

/// Options of frame subsampling between encoder layers.
public struct FrameSubsamplingOptions: Codable, Sendable, Equatable {
    /// How frames are reduced.
    public enum Mode: String, Codable, Sendable {
        /// Keep frames `0, k, 2k, ...` (drop the others).
        case drop
        /// Concatenate each group of `k` neighbours into one frame of `k·features` (the last,
        /// partial group is padded with zeros).
        case concatenate
    }

    /// Reduction factor k ≥ 1 (default 2).
    public var factor: Int = 2
    /// Drop or concatenate (default `.drop`).
    public var mode: Mode = .drop

    /// Options with the documented defaults unless given.
    public init(factor: Int = 2, mode: Mode = .drop) {
        self.factor = factor
        self.mode = mode
    }

    /// Checks every field's range.
    public func validate() throws(OptionError) {
        try require(factor >= 1, "factor", factor, "≥ 1")
    }

    /// Frames after subsampling `frames`: `⌈frames / k⌉` in both modes.
    public func outputLength(_ frames: Int) -> Int { (frames + factor - 1) / factor }

    /// Features per output frame.
    public func outputFeatures(_ features: Int) -> Int { mode == .drop ? features : features * factor }
}

extension Tape {
    /// Subsamples `x` `[batch, time, features]` along time by `options.factor`: result
    /// `[batch, ⌈time/k⌉, features]` (drop) or `[batch, ⌈time/k⌉, k·features]` (concatenate).
    /// Sequence lengths map through `options.outputLength`.
    public func subsampleFrames(_ x: Variable, options: FrameSubsamplingOptions) -> Variable {
        precondition(x.shape.count == 3, "subsampleFrames of \(x.shape)")
        let (B, T, F, k) = (x.shape[0], x.shape[1], x.shape[2], options.factor)
        guard k > 1 else { return x }
        let U = options.outputLength(T)
        let concatenate = options.mode == .concatenate
        let outF = concatenate ? F * k : F
        var y = Tensor.zeros([B, U, outF])
        // Each output frame u takes input frames u·k ..< u·k + (concatenate ? k : 1).
        let span = concatenate ? k : 1
        func walk(_ body: (_ input: Int, _ output: Int) -> Void) {
            for b in 0..<B {
                for u in 0..<U {
                    for s in 0..<span where u * k + s < T {
                        body((b * T + u * k + s) * F, (b * U + u) * outF + s * F)
                    }
                }
            }
        }
        x.value.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                walk { i, o in (py.baseAddress! + o).update(from: px.baseAddress! + i, count: F) }
            }
        }
        return record(inputs: [x], output: y) { ctx in
            guard let g = ctx.outputGradient() else { return }
            g.withUnsafeBufferPointer { pg in
                ctx.withGradient(0) { dx in walk { i, o in Kernels.axpy(1, pg.baseAddress! + o, dx.baseAddress! + i, F) } }
            }
        }
    }
}
