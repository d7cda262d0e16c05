# Systole: the two commands are `make sim` and `make test` (see README.md).
# Each installs what is missing (scripts/install-deps.sh), configures and builds into
# build/$(CONFIG), then runs the demo or the test suite.

CONFIG ?= default
BUILD  ?= build/$(CONFIG)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build sim test bench lint regress fpga-estimate clean help

all: build

help:
	@echo "make sim       install deps, build, run the demo GEMMs on the simulated chip (CONFIG=tiny|fpga|default)"
	@echo "make bench     bf16 GEMM 256^3, 512^3, 1024^3 on the simulated 'default' chip (100-cycle, 64 B/cycle DRAM)"
	@echo "make test      install deps, build, run the test suite (ctest), lint included"
	@echo "make lint      verilator -Wall and yosys on every RTL module, every configuration"
	@echo "make regress   the test suite with long random runs (SYSTOLE_NUMERICS_SAMPLES etc.)"
	@echo "make fpga-estimate  yosys iCE40/xc7 resource estimates of the numerics units"
	@echo "make clean     remove build/"

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DSYSTOLE_CONFIG=$(CONFIG) $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

# After an RTL change Verilator may name its generated C++ files differently; CMake learns the
# new file list only when it reconfigures, which happens at the start of the next build. So a
# failed build is retried once: a stale generated list then succeeds, a real error fails again.
build: configure
	cmake --build $(BUILD) -j $(JOBS) || { echo "build: retrying once (Verilator file list may have changed)"; cmake --build $(BUILD) -j $(JOBS); }

sim: build
	$(BUILD)/sw/tools/systole-demo --config $(CONFIG)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# A benchmark, not a test: simulated cycles and utilization (docs/performance.md). Several
# minutes of simulation for 1024^3.
bench: build
	$(BUILD)/sw/tools/systole-bench --config default --sizes 256,512,1024 --latency 100 --bytes-per-cycle 64

lint: deps
	scripts/lint.sh all

# Long random runs: 100x the per-run sample counts of `make test`.
regress: build
	cd $(BUILD) && SYSTOLE_NUMERICS_SAMPLES=100000000 SYSTOLE_GOLDEN_SAMPLES=200000000 \
	  SYSTOLE_SEED=$${SYSTOLE_SEED:-$$(date +%s)} ctest --output-on-failure -j $(JOBS) -L unit

fpga-estimate: deps
	fpga/estimate.sh

clean:
	rm -rf build
