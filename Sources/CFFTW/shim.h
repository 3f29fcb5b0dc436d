#include <fftw3.h>

/// FFTW's version string (`fftwf_version` is an unbounded extern array Swift cannot import directly).
static inline const char *cfftw_version(void) { return fftwf_version; }
