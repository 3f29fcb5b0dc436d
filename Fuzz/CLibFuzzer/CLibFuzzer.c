#include "CLibFuzzer.h"

/// Nothing to define: the header declares the runtime's driver for Swift.
typedef int asr_fuzz_translation_unit_is_not_empty;
