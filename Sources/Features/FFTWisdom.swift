import CFFTW

/// FFTW wisdom for the 256- and 512-point r2c transforms (25 ms frames at 8 and 16 kHz), made by
/// Benchmarks/fftw_wisdom.c with FFTW_MEASURE (the plan every run chose: rdft2-ct-dit/8 over
/// n2fv_32_avx / n2fv_64_avx, about 1.5 times faster than FFTW_ESTIMATE's own choice).
///
/// Importing fixed wisdom keeps planning deterministic (FFTW_ESTIMATE plus this wisdom gives the same
/// plan on every run, unlike planning with FFTW_MEASURE). FFTW accepts it only when its version and
/// SIMD configuration match those it was made with; otherwise planning falls back to FFTW_ESTIMATE alone.
enum FFTWisdom {
    static let text = """
(fftw-3.3.10 fftwf_wisdom #x9e7d4dee #xdb14fed1 #x34bf76a4 #xeb6e8fdf
  (fftwf_codelet_n2fv_32_avx 0 #x11bdd #x11bdd #x0 #x12d24524 #x289b57fa #x2bd8cbf3 #xaac91103)
  (fftwf_codelet_r2cfII_8 2 #x11bdd #x11bdd #x0 #x23fb2e26 #x3fe4d3f4 #x78d7c0db #xaba9deb1)
  (fftwf_codelet_hc2cfdftv_8_sse2 0 #x11bdd #x11bdd #x0 #x85773c49 #x9a968ccc #xbd37e819 #xac77e6a4)
  (fftwf_codelet_hc2cfdftv_8_sse2 0 #x11bdd #x11bdd #x0 #x4bb69ce7 #x4599107c #x14ecc846 #x282ba2c3)
  (fftwf_codelet_n2fv_64_avx 0 #x11bdd #x11bdd #x0 #x03406dff #xc8fa0a2c #x62a9a61e #xa394d874)
  (fftwf_codelet_r2cf_8 2 #x11bdd #x11bdd #x0 #xe75b944c #x09ac1906 #x449b29ce #x7b6666b0)
  (fftwf_codelet_r2cf_8 2 #x11bdd #x11bdd #x0 #xaae37515 #xc366903c #xc804fee2 #x44fc70a7)
  (fftwf_codelet_r2cfII_8 2 #x11bdd #x11bdd #x0 #x76fa2a50 #xf4668261 #xbf8b003e #xbfa64206)
)
"""

    /// Imports the wisdom; returns whether FFTW accepted it. Call under the planner lock.
    static func importOnce() -> Bool {
        fftwf_import_wisdom_from_string(text) != 0
    }
}
