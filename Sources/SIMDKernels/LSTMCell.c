#include "SIMDKernels.h"

#include <stdint.h>
#include <string.h>

// Units are taken sixteen at a time into local arrays; the fixed-length loops over them are
// vectorised by the compiler for each instruction set (one AVX-512 register, two AVX2 ones,
// four SSE2 ones), and a shorter tail runs the same block on zero-padded copies.
enum { lanes = 16 };


// exp(x) for x clamped to [-87.33654, 88.37626]: x = n ln2 + r with n rounded by the 1.5·2²³
// trick, a degree-6 polynomial for exp(r), 2ⁿ built in the exponent bits. The same algorithm
// and constants as SIMDMath.exp in TensorCore.
static inline __attribute__((always_inline)) float exp_approx(float x) {
    x = x > 88.37626f ? 88.37626f : x;
    x = x < -87.33654f ? -87.33654f : x;
    const float magic = 12582912.0f;
    float t = x * 1.442695f + magic;
    float n = t - magic;
    float r = x - n * 0.693359375f;
    r = r + n * 2.1219444e-4f;
    float p = 1.9875691e-4f;
    p = p * r + 1.3981999e-3f;
    p = p * r + 8.333452e-3f;
    p = p * r + 4.1665796e-2f;
    p = p * r + 1.6666665e-1f;
    p = p * r + 5.0000001e-1f;
    p = p * (r * r) + r + 1.0f;
    int32_t bits;
    memcpy(&bits, &t, sizeof bits);
    bits = (bits - 0x4B400000 + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

static inline __attribute__((always_inline)) float sigmoid(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

static inline __attribute__((always_inline)) float tanh_approx(float x) { return 2.0f / (1.0f + exp_approx(-2.0f * x)) - 1.0f; }

// One block of 16 units; gate k of unit l is at z[k * H + l]. Fixed-size copies into local
// arrays compile to vector moves, and the loops over the lanes to vector arithmetic.
static inline __attribute__((always_inline)) void forward_block(float *z, const float *bias, const float *c_prev, float *c, float *tanh_c,
                                 float *h, float *y, long H) {
    float a[4][lanes], b[4][lanes] = {{0}}, cell[lanes], tc[lanes], state[lanes];
    for (int k = 0; k < 4; k++) memcpy(a[k], z + k * H, sizeof a[k]);
    if (bias) {
        for (int k = 0; k < 4; k++) memcpy(b[k], bias + k * H, sizeof b[k]);
    }
    memcpy(cell, c_prev, sizeof cell);
    for (int l = 0; l < lanes; l++) {
        float i = sigmoid(a[0][l] + b[0][l]), f = sigmoid(a[1][l] + b[1][l]);
        float g = tanh_approx(a[2][l] + b[2][l]), o = sigmoid(a[3][l] + b[3][l]);
        a[0][l] = i;
        a[1][l] = f;
        a[2][l] = g;
        a[3][l] = o;
        cell[l] = f * cell[l] + i * g;
        tc[l] = tanh_approx(cell[l]);
        state[l] = o * tc[l];
    }
    for (int k = 0; k < 4; k++) memcpy(z + k * H, a[k], sizeof a[k]);
    memcpy(c, cell, sizeof cell);
    memcpy(h, state, sizeof state);
    if (tanh_c) memcpy(tanh_c, tc, sizeof tc);
    if (y) memcpy(y, state, sizeof state);
}

static inline __attribute__((always_inline)) void backward_block(const float *gates, const float *c_prev, const float *tanh_c, const float *dh,
                                  const float *dy, float *dc, float *dz, long H) {
    float a[4][lanes], tc[lanes], cp[lanes], ds[lanes], dOut[lanes] = {0}, dCell[lanes], d[4][lanes];
    for (int k = 0; k < 4; k++) memcpy(a[k], gates + k * H, sizeof a[k]);
    memcpy(tc, tanh_c, sizeof tc);
    memcpy(cp, c_prev, sizeof cp);
    memcpy(ds, dh, sizeof ds);
    memcpy(dCell, dc, sizeof dCell);
    if (dy) memcpy(dOut, dy, sizeof dOut);
    for (int l = 0; l < lanes; l++) {
        float i = a[0][l], f = a[1][l], g = a[2][l], o = a[3][l];
        float dState = ds[l] + dOut[l];
        float dcTotal = dCell[l] + dState * o * (1.0f - tc[l] * tc[l]);
        d[0][l] = dcTotal * g * i * (1.0f - i);
        d[1][l] = dcTotal * cp[l] * f * (1.0f - f);
        d[2][l] = dcTotal * i * (1.0f - g * g);
        d[3][l] = dState * tc[l] * o * (1.0f - o);
        dCell[l] = dcTotal * f;
    }
    for (int k = 0; k < 4; k++) memcpy(dz + k * H, d[k], sizeof d[k]);
    memcpy(dc, dCell, sizeof dCell);
}

// Copies n < 16 floats of each of `count` rows `stride` apart into zero-padded rows of 16.
static void pad(float *to, const float *from, long count, long stride, long n) {
    memset(to, 0, sizeof(float) * lanes * (size_t)count);
    for (long k = 0; k < count; k++) memcpy(to + k * lanes, from + k * stride, sizeof(float) * (size_t)n);
}

static void unpad(float *to, const float *from, long count, long stride, long n) {
    for (long k = 0; k < count; k++) memcpy(to + k * stride, from + k * lanes, sizeof(float) * (size_t)n);
}

static inline __attribute__((always_inline)) void
forward_units(float *z, const float *bias, const float *c_prev, float *c, float *tanh_c, float *h, float *y, long H,
              long lo, long hi) {
    long j = lo;
    for (; j + lanes <= hi; j += lanes) {
        forward_block(z + j, bias ? bias + j : 0, c_prev + j, c + j, tanh_c ? tanh_c + j : 0, h + j, y ? y + j : 0, H);
    }
    if (j == hi) return;
    // Tail: the same block on zero-padded copies (gate rows 16 apart).
    long n = hi - j;
    float zt[4 * lanes], bt[4 * lanes], ct[lanes], tt[lanes], ht[lanes];
    pad(zt, z + j, 4, H, n);
    if (bias) pad(bt, bias + j, 4, H, n);
    pad(ct, c_prev + j, 1, 0, n);
    forward_block(zt, bias ? bt : 0, ct, ct, tt, ht, 0, lanes);
    unpad(z + j, zt, 4, H, n);
    unpad(c + j, ct, 1, 0, n);
    unpad(h + j, ht, 1, 0, n);
    if (tanh_c) unpad(tanh_c + j, tt, 1, 0, n);
    if (y) unpad(y + j, ht, 1, 0, n);
}

static inline __attribute__((always_inline)) void
backward_units(const float *gates, const float *c_prev, const float *tanh_c, const float *dh, const float *dy,
               float *dc, float *dz, long H, long lo, long hi) {
    long j = lo;
    for (; j + lanes <= hi; j += lanes) {
        backward_block(gates + j, c_prev + j, tanh_c + j, dh + j, dy ? dy + j : 0, dc + j, dz + j, H);
    }
    if (j == hi) return;
    long n = hi - j;
    float gt[4 * lanes], cpt[lanes], tct[lanes], dht[lanes], dyt[lanes], dct[lanes], dzt[4 * lanes];
    pad(gt, gates + j, 4, H, n);
    pad(cpt, c_prev + j, 1, 0, n);
    pad(tct, tanh_c + j, 1, 0, n);
    pad(dht, dh + j, 1, 0, n);
    if (dy) pad(dyt, dy + j, 1, 0, n);
    pad(dct, dc + j, 1, 0, n);
    backward_block(gt, cpt, tct, dht, dy ? dyt : 0, dct, dzt, lanes);
    unpad(dz + j, dzt, 4, H, n);
    unpad(dc + j, dct, 1, 0, n);
}

// One copy of the kernels per instruction set: the same inlined code, compiled for each target
// (with -mprefer-vector-width=512, so the AVX-512 copy uses whole 512-bit registers).
#define FORWARD_ARGS float *z, const float *bias, const float *c_prev, float *c, float *tanh_c, float *h, float *y, \
                     long H, long lo, long hi
#define BACKWARD_ARGS const float *gates, const float *c_prev, const float *tanh_c, const float *dh, const float *dy, \
                      float *dc, float *dz, long H, long lo, long hi
#define KERNELS(suffix, attributes)                                                                              \
    attributes static void forward_##suffix(FORWARD_ARGS) { forward_units(z, bias, c_prev, c, tanh_c, h, y, H, lo, hi); } \
    attributes static void backward_##suffix(BACKWARD_ARGS) { backward_units(gates, c_prev, tanh_c, dh, dy, dc, dz, H, lo, hi); }

KERNELS(baseline, )
#if defined(__x86_64__)
KERNELS(avx2, __attribute__((target("arch=x86-64-v3"))))
KERNELS(avx512, __attribute__((target("arch=x86-64-v4"))))
#endif

int simd_kernels_best_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return simd_level_avx512;
    if (__builtin_cpu_supports("x86-64-v3")) return simd_level_avx2;
#endif
    return simd_level_baseline;
}

// The level the unsuffixed kernels use: found on the first call (a race between first calls
// only computes the same value twice).
static int chosen_level = -1;

static int best_level(void) {
    int level = __atomic_load_n(&chosen_level, __ATOMIC_RELAXED);
    if (level < 0) {
        level = simd_kernels_best_level();
        __atomic_store_n(&chosen_level, level, __ATOMIC_RELAXED);
    }
    return level;
}

static int usable(int level) {
    int best = best_level();
    return level < best ? level : best;
}

void simd_lstm_cell_forward_at(int level, FORWARD_ARGS) {
    switch (usable(level)) {
#if defined(__x86_64__)
    case simd_level_avx512: forward_avx512(z, bias, c_prev, c, tanh_c, h, y, H, lo, hi); break;
    case simd_level_avx2: forward_avx2(z, bias, c_prev, c, tanh_c, h, y, H, lo, hi); break;
#endif
    default: forward_baseline(z, bias, c_prev, c, tanh_c, h, y, H, lo, hi); break;
    }
}

void simd_lstm_cell_backward_at(int level, BACKWARD_ARGS) {
    switch (usable(level)) {
#if defined(__x86_64__)
    case simd_level_avx512: backward_avx512(gates, c_prev, tanh_c, dh, dy, dc, dz, H, lo, hi); break;
    case simd_level_avx2: backward_avx2(gates, c_prev, tanh_c, dh, dy, dc, dz, H, lo, hi); break;
#endif
    default: backward_baseline(gates, c_prev, tanh_c, dh, dy, dc, dz, H, lo, hi); break;
    }
}

void simd_lstm_cell_forward(FORWARD_ARGS) { simd_lstm_cell_forward_at(simd_level_avx512, z, bias, c_prev, c, tanh_c, h, y, H, lo, hi); }

void simd_lstm_cell_backward(BACKWARD_ARGS) {
    simd_lstm_cell_backward_at(simd_level_avx512, gates, c_prev, tanh_c, dh, dy, dc, dz, H, lo, hi);
}
