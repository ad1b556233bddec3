# tickrun: every target installs what it needs first (tools/install-deps.sh is idempotent).
#   make demo   run the main job: a .tick script over bundled line protocol, alerts into the
#               embedded Kafka, read back and printed
#   make test   build and run every test (ctest)
#   make asan   the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench  build and run the Google Benchmark suite
#   make fuzz   build the libFuzzer targets with clang and run each for FUZZ_SECONDS
#   make format-check   clang-format check of the C++ files changed against origin/main (or all)
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
# ccache: share objects between checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: deps build test asan bench fuzz demo format-check clean

deps:
	@tools/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) $(GEN) -DCMAKE_BUILD_TYPE=Debug -DTICK_SANITIZE=ON \
	  -DTICK_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS=-O1 $(CMAKE_FLAGS)

asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

bench: build
	@for b in $$(find $(BUILD)/bench -maxdepth 2 -type f -perm -u+x -name '*_bench' | sort); do \
	  echo "== $$b"; $$b --benchmark_min_time=0.5 || exit 1; done

$(FUZZ_BUILD)/CMakeCache.txt: | deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) $(GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTICK_FUZZ=ON -DTICK_BUILD_TESTS=OFF -DTICK_BUILD_BENCH=OFF $(CMAKE_FLAGS)

fuzz: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for f in $$(find $(FUZZ_BUILD) -type f -perm -u+x -name '*_fuzzer' | sort); do \
	  name=$$(basename $$f); corpus=$(FUZZ_BUILD)/corpus/$$name; mkdir -p $$corpus; \
	  for seed in $$(cat tests/fuzz/$$name.seeds 2>/dev/null); do \
	    if [ -d $$seed ]; then cp -r $$seed/. $$corpus/; elif [ -f $$seed ]; then cp $$seed $$corpus/; fi; \
	  done; \
	  echo "== $$name ($(FUZZ_SECONDS)s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$corpus || exit 1; done

demo: build
	tools/demo.sh $(BUILD)/cli/tickrun

format-check: deps
	@tools/format-check.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
