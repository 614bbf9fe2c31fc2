# SPDX-License-Identifier: GPL-2.0-only
#
# Haven top-level build. Quick start:
#   make demo    install what is missing, build, boot QEMU, show Haven enabled
#   make test    install what is missing, build, run every test
#   make bench   install what is missing, build, run the benchmarks in QEMU,
#                write bench/report.md, bench/results.json and plots
#                (BENCH_QUICK=1: shorter runs; BENCH_OUT=DIR: elsewhere)
#
# Outputs go to build/; the guest kernel is cached in $(HAVEN_CACHE).

HAVEN_CACHE ?= $(HOME)/.cache/haven
export HAVEN_CACHE
O := $(CURDIR)/build
PY := /usr/bin/python3
KCONFIG_CONFIG ?= $(CURDIR)/.config
export KCONFIG_CONFIG
CROSS_COMPILE ?= aarch64-linux-gnu-
# Compiler for hypervisor and tools: gcc (default) or clang.
TOOLCHAIN ?= gcc

PLATFORM_DIR := configs/qemu-arm64
# system.yaml, and every other YAML file there is a cell file
CELL_YAML := $(filter-out $(PLATFORM_DIR)/system.yaml,$(wildcard $(PLATFORM_DIR)/*.yaml))
CELLS := $(patsubst $(PLATFORM_DIR)/%.yaml,$(O)/%.cell,$(CELL_YAML))
HAVEN_CONFIG := tools/haven-config include/haven/config.h

.PHONY: all setup kernel hypervisor driver tools configs inmates test demo fixtures guest-tests \
	defconfig menuconfig olddefconfig savedefconfig clean build-check linux-cell \
	bench bench-tools

all: hypervisor driver tools configs inmates

# --- host setup and guest kernel --------------------------------------------
setup:
	@bash scripts/setup-host.sh

kernel: setup
	@bash scripts/kernel/build.sh gcc >/dev/null

# --- Kconfig -----------------------------------------------------------------
defconfig:
	$(PY) -m defconfig --kconfig Kconfig configs/haven_defconfig
menuconfig:
	$(PY) -m menuconfig Kconfig
olddefconfig:
	$(PY) -m olddefconfig Kconfig
savedefconfig:
	$(PY) -m savedefconfig --kconfig Kconfig --out configs/haven_defconfig

$(KCONFIG_CONFIG):
	$(PY) -m defconfig --kconfig Kconfig configs/haven_defconfig

$(O)/include/generated/autoconf.h: $(KCONFIG_CONFIG) Kconfig
	@mkdir -p $(dir $@)
	$(PY) -m genconfig Kconfig --header-path $@

# --- hypervisor ----------------------------------------------------------------
hypervisor: $(O)/include/generated/autoconf.h
	$(MAKE) -C hypervisor O=$(O)/hypervisor TOOLCHAIN=$(TOOLCHAIN) \
		AUTOCONF=$(O)/include/generated/autoconf.h
	@cp $(O)/hypervisor/haven.bin $(O)/haven.bin

# --- driver (needs the cached guest kernel tree) -------------------------------
driver: kernel
	$(MAKE) -C $$(bash scripts/kernel/build.sh gcc) M=$(CURDIR)/driver \
		ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) modules
	@mkdir -p $(O) && cp driver/haven.ko $(O)/haven.ko

# --- tools and configs ---------------------------------------------------------
tools:
	$(MAKE) -C tools O=$(O)/tools TOOLCHAIN=$(TOOLCHAIN)
	@cp $(O)/tools/havenctl $(O)/havenctl

# bare-metal runtime and cells (inmates/README.md)
inmates:
	$(MAKE) -C inmates O=$(O)/inmates TOOLCHAIN=$(TOOLCHAIN)

configs: $(O)/system.cell $(CELLS)
# system.cell embeds the cells it declares: any cell file may be one of them
$(O)/system.cell: $(PLATFORM_DIR)/system.yaml $(CELL_YAML) $(HAVEN_CONFIG)
	@mkdir -p $(O)
	$(PY) tools/haven-config compile $< -o $@
# each cell file on its own, checked against the platform of system.cell
$(CELLS): $(O)/%.cell: $(PLATFORM_DIR)/%.yaml $(O)/system.cell $(HAVEN_CONFIG)
	$(PY) tools/haven-config compile $< --system $(O)/system.cell -o $@

# broken and mismatching configurations for the refusal scenarios
# (tests/make-fixtures.py says which)
fixtures: $(O)/system.cell $(CELLS)
	$(PY) tests/make-fixtures.py $(O)/system.cell $(O)/fixtures

# programs the QEMU scenarios run in the guest (tests/guest/), and a kernel
# module (built out of tree in build/guest-tests/elstate/ against the
# cached guest kernel; the warnings the kernel's own headers raise under
# -Wextra are off, as for driver/Kbuild)
KMOD_NOWARN := -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
guest-tests: $(O)/guest-tests/memscan $(O)/guest-tests/canary $(O)/guest-tests/hog \
	$(O)/guest-tests/subpage $(O)/guest-tests/elstate.ko $(O)/guest-tests/ncmap.ko
$(O)/guest-tests/%: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(CROSS_COMPILE)gcc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -static -Iinclude -o $@ $<
$(O)/guest-tests/%.ko: tests/guest/%.c
	@mkdir -p $(O)/guest-tests/$*
	cp $< $(O)/guest-tests/$*/
	printf 'obj-m := %s.o\nccflags-y := -Wall -Wextra -Werror %s\n' $* "$(KMOD_NOWARN)" \
		>$(O)/guest-tests/$*/Kbuild
	$(MAKE) -C $$(bash scripts/kernel/build.sh gcc) M=$(O)/guest-tests/$* \
		ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) modules
	cp $(O)/guest-tests/$*/$*.ko $@

# the Linux cell's kernel (the root's) and initramfs (inmates/linux/)
linux-cell: kernel guest-tests bench-tools
	@bash inmates/linux/build-initramfs.sh $(O)/linux-cell $(HAVEN_CACHE)/busybox-arm64 \
		$(O)/guest-tests/memscan $$(bash scripts/kernel/build.sh gcc)/arch/arm64/boot/Image \
		$(O)/guest-tests/hog $(O)/bench/benchwork

# --- benchmarks (bench/README.md) ------------------------------------------------
BENCH_OUT ?= bench
bench-tools: $(O)/bench/benchwork
	$(MAKE) -C bench/plugin O=$(O)/bench TOOLCHAIN=$(TOOLCHAIN)
$(O)/bench/benchwork: bench/guest/benchwork.c
	@mkdir -p $(dir $@)
	$(CROSS_COMPILE)gcc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -static -o $@ $<

bench: setup
	@$(MAKE) --no-print-directory all fixtures bench-tools linux-cell
	@BENCH_OUT=$(BENCH_OUT) bash scripts/bench.sh $(if $(filter 1,$(BENCH_QUICK)),--quick)

# --- build check with both compilers -------------------------------------------
build-check: setup
	bash scripts/build-check.sh

# --- test and demo -----------------------------------------------------------
test: setup
	@$(MAKE) --no-print-directory all fixtures guest-tests linux-cell
	@$(PY) tests/run

demo: setup
	@$(MAKE) --no-print-directory all linux-cell
	@bash scripts/demo.sh

clean:
	rm -rf $(O) test-results
	$(MAKE) -C driver clean-local 2>/dev/null || true
