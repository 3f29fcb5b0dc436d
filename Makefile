# MonotonicASR: `make demo` and `make test` do all the set-up on a fresh Debian machine.

# Debian packages the build, the tests and the demo need (libraries, sclite, flite, and chromium for the
# headless rendering test of `asr report`, Open MPI for training and decoding on several processes).
APT_PACKAGES := libsndfile1-dev libfftw3-dev libopenblas-dev libsamplerate0-dev pkg-config sctk flite chromium libopenmpi-dev openmpi-bin

SWIFT ?= swift
EXP ?= exp/demo

.PHONY: setup build release test demo report-screenshot clean

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

## test: set up, build and run every test
test: build
	$(SWIFT) test

## demo: set up, build, and run the demo recipe end to end into $(EXP)
demo: release
	$$($(SWIFT) build -c release --show-bin-path)/asr run recipes/demo.yaml --exp $(EXP)

## report-screenshot: `asr report` over the experiments in $(REPORT_EXPS) into $(REPORT), and the README's
## picture of it (docs/report-demo.png, the top 1280x2400 pixels, rendered by headless chromium)
REPORT_EXPS ?= exp/demo
REPORT ?= exp/report.html
REPORT_TITLE ?= MonotonicASR experiments
report-screenshot: release
	$$($(SWIFT) build -c release --show-bin-path)/asr report $(REPORT_EXPS) --out $(REPORT) --title "$(REPORT_TITLE)"
	mkdir -p docs && chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
		--screenshot=$(CURDIR)/docs/report-demo.png file://$(abspath $(REPORT))

clean:
	rm -rf .build
