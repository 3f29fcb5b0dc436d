// Vector kernels that need instruction sets chosen at run time (AVX-512, AVX2 + FMA, or the
// baseline), which Swift cannot select per function. Each function is compiled once per
// instruction set and the loader picks the best one the CPU has (target_clones).
#ifndef SIMD_KERNELS_H
#define SIMD_KERNELS_H

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

#endif
