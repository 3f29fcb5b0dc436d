// Vector kernels that need instruction sets chosen at run time (AVX-512, AVX2 + FMA, or the
// baseline), which Swift cannot select per function. Each kernel is compiled once per
// instruction set; the unsuffixed functions use the best one the CPU has, the `_at` ones a given
// level (capped at what the CPU has), so that tests can check every copy.
#ifndef SIMD_KERNELS_H
#define SIMD_KERNELS_H

/// Instruction-set levels of the kernels (x86-64-v3 = AVX2 + FMA, x86-64-v4 = AVX-512).
enum { simd_level_baseline = 0, simd_level_avx2 = 1, simd_level_avx512 = 2 };

/// The highest level this CPU runs (baseline on other architectures).
int simd_kernels_best_level(void);

/// LSTM cell forward for hidden units [lo, hi) of one row (H units, gates ordered i, f, g, o).
///
/// z [4H]: pre-activations (plus bias [4H] when bias is non-null), replaced by the activations
/// i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o). Writes c = f⊙c_prev + i⊙g (c may equal
/// c_prev), tanh_c = tanh(c) when non-null, h = o⊙tanh(c), and a copy of h to y when non-null.
void simd_lstm_cell_forward(float *z, const float *bias, const float *c_prev, float *c, float *tanh_c,
                            float *h, float *y, long H, long lo, long hi);

/// LSTM cell backward for hidden units [lo, hi) of one row, from the activations [4H], c_prev,
/// tanh(c), the state gradient dh plus dy when non-null, and the running cell gradient dc:
/// dc_total = dc + (dh + dy)⊙o⊙(1 - tanh²c); writes the pre-activation gradients dz [4H] and
/// replaces dc by dc_total⊙f (the gradient of c_prev).
void simd_lstm_cell_backward(const float *gates, const float *c_prev, const float *tanh_c, const float *dh,
                             const float *dy, float *dc, float *dz, long H, long lo, long hi);

/// The kernels above at `level`, or at the best level this CPU has if that is lower.
void simd_lstm_cell_forward_at(int level, float *z, const float *bias, const float *c_prev, float *c, float *tanh_c,
                               float *h, float *y, long H, long lo, long hi);
void simd_lstm_cell_backward_at(int level, const float *gates, const float *c_prev, const float *tanh_c,
                                const float *dh, const float *dy, float *dc, float *dz, long H, long lo, long hi);

#endif
