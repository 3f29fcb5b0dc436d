/* GFLOP/s of OpenBLAS (one thread) on the products of the paper's encoder LSTM step (batch 8,
 * 300 frames, 512 units, 2048 gate rows), the ceiling that BENCHMARKS.md's LSTM figures are read
 * against:
 *
 *   gcc -O2 Benchmarks/openblas_lstm_shapes.c -o /tmp/openblas_lstm_shapes -lopenblas && /tmp/openblas_lstm_shapes
 *
 * Large products: the input projection x·W_ihᵀ [2400, 512]·[512, 2048], the weight gradient dzᵀ·x
 * and the input gradient dz·W_ih. Per-step products, as BLAS.gemm cuts them: h·W_hhᵀ
 * [8, 512]·[512, 2048] and dz·W_hh [8, 2048]·[2048, 512] in [8, tile] output tiles over
 * depth slices, for several tile shapes. Best of 5. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static float *random_matrix(long count) {
    float *p = malloc(sizeof(float) * (size_t)count);
    for (long i = 0; i < count; i++) p[i] = (float)(rand() % 1000) / 1000.0f - 0.5f;
    return p;
}

enum { batch = 8, frames = 300, units = 512, gates = 4 * units, inputs = 512, repeats = 5 };

static void large_products(void) {
    const long rows = batch * frames;
    float *x = random_matrix(rows * inputs), *w = random_matrix(gates * inputs);
    float *z = random_matrix(rows * gates), *dw = random_matrix(gates * inputs), *dx = random_matrix(rows * inputs);
    double best[3] = {1e9, 1e9, 1e9};
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, gates, inputs, 1, x, inputs, w, inputs, 0, z, gates);
        double t1 = now();
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, gates, inputs, rows, 1, z, gates, x, inputs, 1, dw, inputs);
        double t2 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, inputs, gates, 1, z, gates, w, inputs, 1, dx, inputs);
        double t3 = now();
        double t[3] = {t1 - t0, t2 - t1, t3 - t2};
        for (int i = 0; i < 3; i++) best[i] = t[i] < best[i] ? t[i] : best[i];
    }
    const double gflop = 2.0 * rows * gates * inputs / 1e9;
    const char *names[3] = {"x W_ih^T", "dz^T x", "dz W_ih"};
    for (int i = 0; i < 3; i++) printf("%-8s [%ld x %d x %d]  %6.1f ms  %4.0f GFLOP/s\n", names[i], rows, gates, inputs,
                                       best[i] * 1e3, gflop / best[i]);
    free(x), free(w), free(z), free(dw), free(dx);
}

/* Best time of one step's product C[8, n] = A[8, k]·op(W), cut into [8, tn] output tiles over tk-deep
 * slices. op(W) is W[n, k] transposed (forward, W_hh as stored) or W[k, n] (backward). */
static double tiled_step(const float *a, const float *w, float *c, int n, int k, int tn, int tk, int transposed) {
    double best = 1e9;
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        for (int step = 0; step < 100; step++)
            for (int n0 = 0; n0 < n; n0 += tn)
                for (int k0 = 0; k0 < k; k0 += tk) {
                    const float *tile = transposed ? w + (long)n0 * k + k0 : w + (long)k0 * n + n0;
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, transposed ? CblasTrans : CblasNoTrans, batch, tn, tk, 1,
                                a + k0, k, tile, transposed ? k : n, k0 ? 1 : 0, c + n0, n);
                }
        double t = (now() - t0) / 100;
        best = t < best ? t : best;
    }
    return best;
}

static void per_step_products(void) {
    float *h = random_matrix(batch * units), *whh = random_matrix(gates * units), *z = random_matrix(batch * gates);
    float *dz = random_matrix(batch * gates), *dh = random_matrix(batch * units);
    const int columns[] = {32, 64, 128, 256}, depths[] = {128, 256, 512};
    const double gflop = 2.0 * batch * gates * units / 1e9;
    for (int c = 0; c < 4; c++) {
        for (int d = 0; d < 3; d++) {
            const int tn = columns[c], tk = depths[d];
            double forward = tiled_step(h, whh, z, gates, units, tn, tk, 1);     /* h·W_hhᵀ */
            double backward = tiled_step(dz, whh, dh, units, gates, tn, tk, 0);  /* dz·W_hh */
            printf("per step, tiles [8 x %3d] over %3d deep:  h W_hh^T %4.0f GFLOP/s   dz W_hh %4.0f GFLOP/s\n", tn, tk,
                   gflop / forward, gflop / backward);
        }
    }
    free(h), free(whh), free(z), free(dz), free(dh);
}

int main(void) {
    openblas_set_num_threads(1);
    large_products();
    per_step_products();
    return 0;
}
