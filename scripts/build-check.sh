#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that the hypervisor, the driver and the tools build without a single
# warning (-Wall -Wextra -Werror) under both gcc-12 and clang-16. Clean builds
# from the repository root into build/check-<compiler>/, separate from build/:
#
#   build/check-<cc>/.config, include/generated/autoconf.h   (configs/haven_defconfig)
#   build/check-<cc>/hypervisor/   make -C hypervisor TOOLCHAIN=<cc>
#   build/check-<cc>/tools/        make -C tools TOOLCHAIN=<cc>
#   build/check-<cc>/inmates/      make -C inmates TOOLCHAIN=<cc>
#   build/check-<cc>/bench/        make -C bench/plugin TOOLCHAIN=<cc> (host)
#   build/check-<cc>/driver-src/   a copy of driver/ (include/ beside it), built
#                                  out of tree against the cached kernel: gcc's
#                                  full build, or clang's modules_prepare tree
#   build/check-<cc>/logs/<component>.log
#
# Prints "ok   <cc> <component>" or "FAIL <cc> <component>" and the end of its
# log, one line per build; exits 1 if any build failed.
#
#   scripts/build-check.sh [gcc|clang ...]     (default: gcc clang)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
PY=/usr/bin/python3
JOBS=$(nproc 2>/dev/null || echo 2)
# The flags every component must be compiled with.
WFLAGS=(-Wall -Wextra -Werror)

compilers=("$@")
[ ${#compilers[@]} -gt 0 ] || compilers=(gcc clang)
for cc in "${compilers[@]}"; do
	case $cc in
	gcc | clang) ;;
	*) echo "build-check: unknown compiler '$cc' (gcc or clang)" >&2; exit 2 ;;
	esac
done

# One check at a time per checkout: they share build/check-*.
mkdir -p build
exec 9>build/.build-check.lock
flock 9

failed=0
total_start=$SECONDS

# report <cc> <component> <status> <log> <seconds>
report() {
	local cc=$1 what=$2 rc=$3 log=$4 secs=$5
	if [ "$rc" -eq 0 ]; then
		printf 'ok   %s %s (%ss)\n' "$cc" "$what" "$secs"
	else
		failed=1
		printf 'FAIL %s %s (%ss, log: %s)\n' "$cc" "$what" "$secs" "${log#"$root"/}"
		tail -n 20 "$log" | sed 's/^/    /'
	fi
}

# has_wflags <file>: the compile commands in <file> use all of WFLAGS
has_wflags() {
	local f
	for f in "${WFLAGS[@]}"; do
		grep -q -e " $f\( \|\$\)" "$1" ||
			{ echo "build-check: $f missing from the compile commands in $1"; return 1; }
	done
}

# Kconfig: .config from the defconfig, then the generated header.
autoconf() {
	local out=$1
	rm -rf "$out/include" "$out/.config" "$out/.config.old"
	mkdir -p "$out/include/generated"
	KCONFIG_CONFIG=$out/.config $PY -m defconfig --kconfig Kconfig configs/haven_defconfig &&
		KCONFIG_CONFIG=$out/.config $PY -m genconfig Kconfig \
			--header-path "$out/include/generated/autoconf.h"
}

build_hypervisor() {
	local cc=$1 out=$2 log=$3
	rm -rf "$out/hypervisor"
	autoconf "$out" &&
		make -C hypervisor -j"$JOBS" O="$out/hypervisor" TOOLCHAIN="$cc" \
			AUTOCONF="$out/include/generated/autoconf.h" &&
		test -s "$out/hypervisor/haven.bin" &&
		has_wflags "$log"
}

build_tools() {
	local cc=$1 out=$2 log=$3
	rm -rf "$out/tools"
	make -C tools -j"$JOBS" O="$out/tools" TOOLCHAIN="$cc" &&
		test -x "$out/tools/havenctl" && test -x "$out/tools/havenctl-host" &&
		has_wflags "$log"
}

build_inmates() {
	local cc=$1 out=$2 log=$3
	rm -rf "$out/inmates"
	make -C inmates -j"$JOBS" O="$out/inmates" TOOLCHAIN="$cc" &&
		test -s "$out/inmates/rtos.bin" && test -s "$out/inmates/rtos-bare.elf" &&
		has_wflags "$log"
}

build_bench-plugin() {
	local cc=$1 out=$2 log=$3
	rm -rf "$out/bench"
	make -C bench/plugin O="$out/bench" TOOLCHAIN="$cc" &&
		test -s "$out/bench/el2count.so" &&
		has_wflags "$log"
}

# Copy driver/ (sources only, not what an in-tree build left there) and
# include/ side by side, as the driver's Kbuild expects ($(src)/../include).
copy_driver() {
	local out=$1 f
	rm -rf "$out/driver-src" "$out/include/haven"
	mkdir -p "$out/driver-src" "$out/include"
	cp -r include/haven "$out/include/haven" || return 1
	if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
		# tracked and new files, without the ignored build products
		git -C "$root" ls-files -z --cached --others --exclude-standard driver |
			while IFS= read -r -d '' f; do
				[ -e "$f" ] || continue # deleted in the work tree
				mkdir -p "$out/driver-src/$(dirname "${f#driver/}")"
				cp "$f" "$out/driver-src/${f#driver/}" || exit 1
			done
	else
		cp -r driver/. "$out/driver-src/" &&
			(cd "$out/driver-src" && rm -f -- *.o *.ko *.mod *.mod.c .*.cmd *.o.d \
				Module.symvers modules.order)
	fi
}

build_driver() {
	local cc=$1 out=$2 log=$3 kdir mk
	case $cc in
	gcc) mk=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
	# the clang tree is modules_prepare only: no Module.symvers, so modpost
	# can only warn about the kernel's symbols (compiler warnings still fail)
	clang) mk=(ARCH=arm64 LLVM=-16 KBUILD_MODPOST_WARN=1) ;;
	esac
	echo "build-check: kernel tree: bash scripts/kernel/build.sh $cc"
	kdir=$(bash scripts/kernel/build.sh "$cc") || return 1
	echo "build-check: KDIR=$kdir"
	copy_driver "$out" || return 1
	make -C "$kdir" -j"$JOBS" M="$out/driver-src" "${mk[@]}" modules &&
		test -s "$out/driver-src/haven.ko" &&
		has_wflags "$out/driver-src/.main.o.cmd"
}

for cc in "${compilers[@]}"; do
	out=$root/build/check-$cc
	mkdir -p "$out/logs"
	for what in hypervisor tools inmates bench-plugin driver; do
		log=$out/logs/$what.log
		start=$SECONDS
		# shellcheck disable=SC2094 # has_wflags reads the log once make is done
		"build_$what" "$cc" "$out" "$log" >"$log" 2>&1 </dev/null
		report "$cc" "$what" $? "$log" $((SECONDS - start))
	done
done

if [ $failed -ne 0 ]; then
	echo "build-check: FAILED ($((SECONDS - total_start))s)"
	exit 1
fi
echo "build-check: all builds clean with ${WFLAGS[*]} ($((SECONDS - total_start))s)"
