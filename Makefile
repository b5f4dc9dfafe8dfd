# Entry points for people and CI. The real build is CMake (CMakeLists.txt).
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=
JOBS ?= 2

.PHONY: all deps browser-deps fuzz-deps pythons build demo test fuzz bench clean

all: build

deps:
	@sh scripts/deps.sh

# Debian's chromium for the browser test; never fails (the test skips itself
# visibly when no browser could be installed).
browser-deps:
	@sh scripts/browser-deps.sh

# Debian's clang and libFuzzer runtime for the fuzz test of the HTTP request parser
# (tests/fuzz); never fails (the test skips itself visibly without them).
fuzz-deps:
	@sh scripts/fuzz-deps.sh

# Debian's CPython 3.14 and 3.15, unpacked into a private cache for the harness
# tests (docs/pythons.md); never fails (their tests skip themselves visibly when
# they could not be fetched).
pythons:
	@sh scripts/pythons.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGILSCOPE_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# The main comparison on the built-in workloads, with as many workers as cores.
# Task sizes are calibrated so that a serial run lasts about 0.2 s, which keeps
# the demo near a minute on a fast machine and a slow one alike (six workloads,
# six strategies: 71 s on our 2-core machine).
demo: build
	$(BUILD)/gilscope run --size auto --target-time 0.2 --workers $$(nproc)

# Unit tests, harness tests, end-to-end runs, the browser test and 20 s of fuzzing
# the HTTP request parser, on the normal build; unit and end-to-end tests again on an AddressSanitizer/UBSan build.
# The Pythons come before the build: its configure step picks up the cached ones.
test: deps pythons build browser-deps fuzz-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGILSCOPE_WERROR=ON -DGILSCOPE_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure
	cd $(ASAN_BUILD) && ctest --output-on-failure -L 'unit|e2e'

# Every libFuzzer target for longer (FUZZ_TIME seconds each; FUZZ_TARGETS to pick);
# what they find stays in $(BUILD)/fuzz/TARGET (crash-* inputs, and the corpus for
# the next run).
FUZZ_TIME ?= 300
FUZZ_TARGETS ?= http linebuf proto report
fuzz: fuzz-deps
	@for t in $(FUZZ_TARGETS); do sh tests/fuzz/run.sh $$t $(BUILD)/fuzz $(FUZZ_TIME) || exit 1; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# The acceptance figures (speedups, observer cost) on this machine; see docs/performance.md.
bench: build
	python3 scripts/bench.py $(BUILD)/gilscope
