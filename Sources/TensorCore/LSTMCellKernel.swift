import SIMDKernels

/// The fused element-wise part of an LSTM cell for one row, over a range of hidden units, so
/// that the threads of a step can each take their own units of all four gates.
///
/// Gates are ordered i, f, g, o in rows of `4H`. The kernels are C (`SIMDKernels`), built for
/// AVX-512, AVX2 + FMA and the x86-64 baseline; the best one the CPU runs is used unless
/// `instructionSet` asks for another. `exp` uses the algorithm of `SIMDMath.exp`. Sixteen units
/// a time, with a zero-padded tail block.
public enum LSTMCellKernel {
    /// Unit ranges that start at multiples of this use whole vector blocks.
    public static let blockWidth = 16

    /// The instruction sets the kernels are built for, lowest first.
    public enum InstructionSet: Int32, CaseIterable, Sendable {
        /// x86-64 baseline (SSE2), or the target's own vector unit elsewhere.
        case baseline = 0
        /// x86-64-v3: AVX2 and FMA.
        case avx2 = 1
        /// x86-64-v4: AVX-512.
        case avx512 = 2
    }

    /// The highest instruction set this CPU runs: the one used by default.
    public static let best = InstructionSet(rawValue: simd_kernels_best_level()) ?? .baseline

    /// Forward: `z` `[4H]` holds the pre-activations (plus `bias` `[4H]` when given) and is
    /// replaced by `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_g)`, `o = σ(z_o)`. Writes
    /// `c = f⊙cPrevious + i⊙g` (`c` may be `cPrevious`), `tanhC = tanh(c)` when given,
    /// `h = o⊙tanh(c)` and a copy of `h` to `y` when given (each `[H]`). `instructionSet` (capped
    /// at `best`) picks a build other than the best.
    @inline(__always)
    public static func forward(z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, cPrevious: UnsafePointer<Float>,
                               c: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>?,
                               h: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>?, H: Int, units: Range<Int>,
                               instructionSet: InstructionSet? = nil) {
        if let instructionSet {
            simd_lstm_cell_forward_at(instructionSet.rawValue, z, bias, cPrevious, c, tanhC, h, y, H,
                                      units.lowerBound, units.upperBound)
        } else {
            simd_lstm_cell_forward(z, bias, cPrevious, c, tanhC, h, y, H, units.lowerBound, units.upperBound)
        }
    }

    /// Backward: from the activations `gates` `[4H]`, `cPrevious`, `tanhC`, the state gradient
    /// `dh` plus `dy` when given, and the running cell gradient `dc` (each `[H]`):
    /// `dc' = dc + (dh + dy)⊙o⊙(1 - tanh²c)`; writes `dz` `[4H]` (`dz_i = dc'⊙g⊙i(1-i)`,
    /// `dz_f = dc'⊙cPrevious⊙f(1-f)`, `dz_g = dc'⊙i⊙(1-g²)`, `dz_o = (dh+dy)⊙tanh c⊙o(1-o)`) and
    /// replaces `dc` by `dc'⊙f`, the gradient of `cPrevious`. `instructionSet` as in `forward`.
    @inline(__always)
    public static func backward(gates: UnsafePointer<Float>, cPrevious: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                                dh: UnsafePointer<Float>, dy: UnsafePointer<Float>?, dc: UnsafeMutablePointer<Float>,
                                dz: UnsafeMutablePointer<Float>, H: Int, units: Range<Int>,
                                instructionSet: InstructionSet? = nil) {
        if let instructionSet {
            simd_lstm_cell_backward_at(instructionSet.rawValue, gates, cPrevious, tanhC, dh, dy, dc, dz, H,
                                       units.lowerBound, units.upperBound)
        } else {
            simd_lstm_cell_backward(gates, cPrevious, tanhC, dh, dy, dc, dz, H, units.lowerBound, units.upperBound)
        }
    }
}
