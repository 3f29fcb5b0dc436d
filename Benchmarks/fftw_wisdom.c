/* Makes the FFTW wisdom embedded in Sources/Features/FFTWisdom.swift.
 *
 *   gcc -O2 Benchmarks/fftw_wisdom.c -o /tmp/fftw_wisdom -lfftw3f && /tmp/fftw_wisdom
 *
 * Plans the 256- and 512-point single-precision r2c transforms (25 ms frames at 8 and 16 kHz) with
 * FFTW_MEASURE on fftwf_alloc'd buffers, prints each plan and its time per transform, then the wisdom.
 * FFTW_MEASURE picks by timing, so run it several times on a quiet machine and keep the wisdom of the
 * plan most runs choose. Wisdom is only accepted by the same FFTW build with the same SIMD support. */
#include <fftw3.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(void) {
    int sizes[] = {256, 512};
    for (int s = 0; s < 2; s++) {
        int n = sizes[s];
        float *in = fftwf_alloc_real(n);
        fftwf_complex *out = fftwf_alloc_complex(n / 2 + 1);
        fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_MEASURE);
        for (int i = 0; i < n; i++) in[i] = (float)(i % 7);
        double best = 1e9;
        for (int r = 0; r < 20; r++) {
            double t = now();
            for (int i = 0; i < 20000; i++) fftwf_execute(plan);
            double d = (now() - t) / 20000;
            if (d < best) best = d;
        }
        char *text = fftwf_sprint_plan(plan);
        fprintf(stderr, "n = %d: %.3f us per transform\n%s\n", n, best * 1e6, text);
        fftwf_destroy_plan(plan);
        fftwf_free(in);
        fftwf_free(out);
    }
    fputs(fftwf_export_wisdom_to_string(), stdout);
    return 0;
}
