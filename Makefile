# MonotonicASR: `make demo` and `make test` do all the set-up on a fresh Debian machine.

# Debian packages the build, the tests and the demo need (libraries, sclite, flite, and chromium for the
# headless rendering test of `asr report`, Open MPI for training and decoding on several processes).
APT_PACKAGES := libsndfile1-dev libfftw3-dev libopenblas-dev libsamplerate0-dev pkg-config sctk flite chromium libopenmpi-dev openmpi-bin

SWIFT ?= swift
EXP ?= exp/demo

.PHONY: setup build release test demo report-screenshot clean fuzz-build fuzz fuzz-smoke test-asan test-tsan

## setup: install the Debian packages that are missing (nothing when all are present)
setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## build: debug build of the library, the tool and the tests
build: setup
	$(SWIFT) build --build-tests

## release: optimised build of the `asr` tool
release: setup
	$(SWIFT) build -c release --product asr

## test: set up, build and run every test, then a short run of every fuzz target (fuzz-smoke)
test: build
	$(SWIFT) test
	$(MAKE) fuzz-smoke

## test-asan: the whole suite under AddressSanitizer (own build folder; leak reports off, see FUZZ_ASAN_OPTIONS)
test-asan: setup
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --build-path .build-asan

## test-tsan: under ThreadSanitizer, the tests that run threads: the parallel map, the compute thread team
## (TensorCore, LSTM), parallel scoring, training, online decoding, and the CLI's parallel feature
## extraction and batch decoding (TSAN_TESTS)
TSAN_TESTS ?= ParallelismTests|TensorCoreTests|LSTMTests|ScorerTests|TrainerTests|OnlineDecoderTests|FeaturesCommandTests|DecodeListTests
test-tsan: setup
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --sanitize=thread --build-path .build-tsan --filter '$(TSAN_TESTS)'

## Fuzzing (Fuzz/README.md): the libFuzzer driver `asr-fuzz` built with -sanitize=fuzzer,address in its own
## build folder; each target runs from its seed corpus Fuzz/corpus/NAME (new inputs go to
## $(FUZZ_BUILD)/corpus/NAME, crashes to $(FUZZ_BUILD)/findings/NAME-*), memory and time per input bounded.
FUZZ_TARGETS ?= audio labels manifest recipe score safetensors model-json
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_BUILD ?= .build-fuzz
FUZZ_FLAGS ?= -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 -max_len=16384 -detect_leaks=0 -print_final_stats=1
FUZZ_BIN = $(FUZZ_BUILD)/debug/asr-fuzz
# Leak reports at exit are off: Foundation keeps a buffer of `Data(contentsOf:)` of an empty file (4 KiB).
FUZZ_ASAN_OPTIONS ?= detect_leaks=0

## fuzz-build: the instrumented driver (ASR_FUZZ=1 adds it to the package)
fuzz-build: setup
	@ASR_FUZZ=1 $(SWIFT) build --build-path $(FUZZ_BUILD) --product asr-fuzz -Xswiftc -sanitize=fuzzer,address

## fuzz: each target for FUZZ_SECONDS (default 600), one after the other; logs in $(FUZZ_BUILD)/logs, a
## crash or hang in $(FUZZ_BUILD)/findings (the other targets still run; the status is 1 at the end)
fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/logs $(FUZZ_BUILD)/findings; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		echo "fuzz $$t for $(FUZZ_SECONDS) s"; \
		ASR_FUZZ_TARGET=$$t ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) $(FUZZ_BIN) $(FUZZ_BUILD)/corpus/$$t Fuzz/corpus/$$t \
			$(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_BUILD)/findings/$$t- \
			> $(FUZZ_BUILD)/logs/$$t.log 2>&1 || { failed="$$failed $$t"; tail -30 $(FUZZ_BUILD)/logs/$$t.log; }; \
		echo "$$t: $$(grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done ' $(FUZZ_BUILD)/logs/$$t.log | tr -s ' \n' ' ')"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in$$failed (see $(FUZZ_BUILD)/findings)"; exit 1; fi

## fuzz-smoke: every target for FUZZ_SMOKE_SECONDS from its seeds alone (part of `make test`)
fuzz-smoke: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		rm -rf $(FUZZ_BUILD)/smoke/$$t; mkdir -p $(FUZZ_BUILD)/smoke/$$t; \
		ASR_FUZZ_TARGET=$$t ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) $(FUZZ_BIN) $(FUZZ_BUILD)/smoke/$$t Fuzz/corpus/$$t \
			$(FUZZ_FLAGS) -max_total_time=$(FUZZ_SMOKE_SECONDS) -artifact_prefix=$(FUZZ_BUILD)/smoke/$$t- \
			> $(FUZZ_BUILD)/smoke/$$t.log 2>&1 || { tail -30 $(FUZZ_BUILD)/smoke/$$t.log; exit 1; }; \
		echo "fuzz-smoke $$t: $$(grep -E '^stat::number_of_executed_units' $(FUZZ_BUILD)/smoke/$$t.log | tr -s ' ' ' '), no crash"; \
	done

clean:
	rm -rf .build $(FUZZ_BUILD) .build-asan .build-tsan
