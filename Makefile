# Systole: the two commands are `make sim` and `make test` (see README.md).
# Each installs what is missing (scripts/install-deps.sh), configures and builds into
# build/$(CONFIG), then runs the demo or the test suite.

CONFIG ?= default
BUILD  ?= build/$(CONFIG)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build sim test bench lint regress regress-units coverage mutate netlist-check format fpga-estimate clean help

all: build

help:
	@echo "make sim       install deps, build, run the demo GEMMs on the simulated chip (CONFIG=tiny|fpga|default)"
	@echo "make bench     GEMM sweep (square, skinny, tall, short-k; bf16, fp8, int8) against the roofline on 'default'"
	@echo "make test      install deps, build, run the test suite (ctest), lint included"
	@echo "make lint      verilator -Wall and yosys on every RTL module, every configuration"
	@echo "make regress   random GEMM/DMA regression on the simulated chips (N=2000 or TIME=s, CONFIGS=, SEED=, JOBS=, OUT=)"
	@echo "make regress-units  the unit tests with 100x longer random sampling (numerics, golden)"
	@echo "make coverage  line/toggle coverage of the chip RTL: a regression run + the directed chip tests (build/coverage; N=, CONFIGS=, DIRECTED=0)"
	@echo "make mutate    small RTL bugs one at a time in build/mutate; every one must fail a test (ONLY=id,.. SEED=)"
	@echo "make netlist-check  yosys netlists of the tiny and fpga chip_tops in lock step with the RTL on random GEMMs/DMA programs (N=200 each, SEED=, JOBS=)"
	@echo "make format    clang-format the C++ (.clang-format); make test checks it (format_check)"
	@echo "make fpga-estimate  yosys iCE40/xc7 resource estimates of the numerics units"
	@echo "make clean     remove build/"

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DSYSTOLE_CONFIG=$(CONFIG) $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

# Every Verilated model is built at build time by Verilator's own makefile
# (systole_verilated_model, cmake/Systole.cmake), so an RTL edit that renames the generated files
# builds in one pass.
build: configure
	cmake --build $(BUILD) -j $(JOBS)

sim: build
	$(BUILD)/sw/tools/systole-demo --config $(CONFIG)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# A benchmark, not a test: the GEMM sweep against the roofline (docs/performance.md), about an
# hour of simulation; BENCH_ARGS adds or replaces arguments (e.g. BENCH_ARGS="--class quick").
# Writes build/bench/bench.md, bench.csv and the plot bench.svg; then the vector engine's rate per op
# (vector.md) and the default chip's simulation speed on a GEMM with and without the vector engine,
# three runs each, alternating (speed.md; builds chip_speed_default_novec, a second default model).
bench: build
	mkdir -p $(BUILD)/bench
	bash -o pipefail -c '$(BUILD)/sw/tools/systole-bench --config default --latency 100 --bytes-per-cycle 64 \
	  --csv $(BUILD)/bench/bench.csv $(BENCH_ARGS) | tee $(BUILD)/bench/bench.md'
	gnuplot -e "csv='$(BUILD)/bench/bench.csv'; svg='$(BUILD)/bench/bench.svg'" scripts/bench_plot.gp
	bash -o pipefail -c '$(BUILD)/sw/tools/systole-vector-bench --config default | tee $(BUILD)/bench/vector.md'
	bash -o pipefail -c '$(BUILD)/sw/tools/systole-kernel-bench --config default --min-mlp-of-bound 0.9 \
	  --min-conv-of-roofline 0.8 | tee $(BUILD)/bench/kernels.md'
	cmake --build $(BUILD) -j $(JOBS) --target chip_speed_default_novec
	bash -o pipefail -c 'for i in 1 2 3; do $(BUILD)/sw/tools/chip_speed_default --only gemm; \
	  $(BUILD)/sw/tools/chip_speed_default_novec --only gemm; done | tee $(BUILD)/bench/speed.md'
	@echo "bench: $(BUILD)/bench/bench.md, bench.csv, bench.svg, vector.md, kernels.md, speed.md"

lint: deps
	scripts/lint.sh all

# The nightly random regression (systole-regress, docs/verification.md): N= cases (default 2000)
# or TIME= seconds, CONFIGS= (comma list, default tiny,fpga,default), SEED= (default SYSTOLE_SEED or
# time), JOBS=, OUT= (default build/regress/<UTC timestamp>). Exit status 1 if a case failed.
regress: build
	$(BUILD)/verif/regress/systole-regress run $(if $(TIME),--time $(TIME),-n $(or $(N),2000)) -j $(JOBS) \
	  $(if $(CONFIGS),--configs $(CONFIGS)) $(if $(SEED),--seed $(SEED)) \
	  --out $(or $(OUT),build/regress/$$(date -u +%Y%m%dT%H%M%SZ))

# The unit tests with long random runs: 100x the per-run sample counts of `make test` (numerics,
# golden model); the other half of a night's run beside `make regress`.
regress-units: build
	cd $(BUILD) && SYSTOLE_NUMERICS_SAMPLES=100000000 SYSTOLE_GOLDEN_SAMPLES=200000000 \
	  SYSTOLE_SEED=$${SYSTOLE_SEED:-$$(date +%s)} ctest --output-on-failure -j $(JOBS) -L unit

# Line and toggle coverage (Verilator) of the chip RTL over a regression run and the directed chip
# tests (CSRs, RtlDevice, error stops), in its own build
# (the coverage counters slow simulation): lcov HTML + per-file table + the run's functional
# coverage bins. N= cases (default 120), CONFIGS=, SEED=, DIRECTED=. docs/verification.md.
# The coverage models' construction code (thousands of counter registrations, 4 MB files for
# fpga) is compiled at -O0: at -O1 the fpga model alone took over 20 minutes to compile.
COV_BUILD ?= build/coverage
COV_CMAKE_FLAGS ?= -DSYSTOLE_CHIP_OPT_SLOW=-O0
# DIRECTED=1 (default): the chip's directed tests (CSRs, RtlDevice, error stops) run with the
# counters too, after the regression; DIRECTED=0: the regression alone.
DIRECTED ?= 1
COV_TARGETS := systole-regress $(if $(filter 1,$(DIRECTED)),test_chip test_rtl_device test_chip_errors)
coverage: deps
	cmake -S . -B $(COV_BUILD) -DCMAKE_BUILD_TYPE=Release -DSYSTOLE_CONFIG=$(CONFIG) -DSYSTOLE_RTL_COVERAGE=ON $(COV_CMAKE_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(COV_BUILD) -j $(JOBS) --target $(COV_TARGETS)
	N="$(N)" CONFIGS="$(CONFIGS)" SEED="$(SEED)" JOBS="$(JOBS)" DIRECTED="$(DIRECTED)" scripts/coverage.sh $(COV_BUILD)

# Mutation check: each mutant of verif/mutate/mutants.json applied alone to a mirror of the tree
# (build/mutate; rtl/ is never touched), its detector tests rebuilt and run with a fixed seed; fails
# unless every mutant is caught. Report in build/mutate/report.md (docs/verification.md).
mutate: deps
	scripts/mutate.py $(if $(ONLY),--only $(ONLY)) $(if $(SEED),--seed $(SEED))

# The netlist check (docs/verification.md, "Netlist vs RTL"): chip_top of `tiny` and `fpga`
# (SYSTOLE_NETLIST_CONFIGS) synthesized by yosys (coarse netlist; again only when rtl/ changed),
# simulated in lock step with the RTL (every output, every cycle) on N= random GEMMs, DMA and
# vector programs per configuration (default 200), bit-exact with the golden model too; SEED= (default
# SYSTOLE_SEED or random, printed with the replay command), JOBS=, NETLIST_MACS= (MAC budget per
# GEMM, default 20000), OUT=. A self-check with a deliberately perturbed netlist input runs first
# and must fail. Run by .ci/run after `make test` (about 19 minutes after it on 2 cores, most of
# it yosys: tiny ~1 minute, fpga ~13 with its vector engine; measured on a fresh clone 2026-12-07).
NETLIST_MACS ?= 20000
netlist-check: configure
	cmake --build $(BUILD) -j $(JOBS) --target netlist_check_tools
	set -e; for exe in $(BUILD)/verif/netlist/systole-netlist-regress-*; do \
	  cfg=$${exe##*-}; \
	  verif/netlist/netlist_check.sh $$exe --config $$cfg -n $(or $(N),200) -j $(JOBS) \
	    --max-macs $(NETLIST_MACS) $(if $(SEED),--seed $(SEED)) $(if $(OUT),--out $(OUT)/$$cfg); \
	done

format: deps
	scripts/format.sh

fpga-estimate: deps
	fpga/estimate.sh

clean:
	rm -rf build
