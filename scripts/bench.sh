#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make bench`: runs every measurement in QEMU under -icount and writes the
# report (bench/README.md describes the method). Expects `make all fixtures
# bench-tools linux-cell` done (the Makefile's bench target does it).
#
#   scripts/bench.sh [--quick]
#
# --quick: fewer and shorter workload runs (same measurements, same report),
# for `make test`. Environment: BENCH_OUT (report directory, default bench/),
# BENCH_SHIFT (the -icount shift, default 4: one instruction = 16 ns = one
# tick of QEMU's 62.5 MHz counter).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
quick=0
[ "${1:-}" = --quick ] && quick=1
out=${BENCH_OUT:-bench}
shift_n=${BENCH_SHIFT:-4}
work=build/bench
stage=$work/stage
icount="shift=$shift_n,sleep=off"
mkdir -p "$out" "$stage"

if [ $quick = 1 ]; then
	rounds=1 repeat=2 idle_s=2 busy_rounds=1 lrepeat=2
else
	rounds=4 repeat=5 idle_s=10 busy_rounds=3 lrepeat=5
fi

# 1: bare metal, the measurement inmate booted by QEMU at EL1
bare_cmd=(qemu-system-aarch64 -machine virt,gic-version=3 -cpu cortex-a55 -smp 1 -m 128M
	-display none -monitor none -serial stdio -nic none
	-kernel build/inmates/bench-bare.elf -icount "$icount")
echo "bench: bare metal (${bare_cmd[*]})"
timeout 300 "${bare_cmd[@]}" </dev/null >"$work/bare.log" 2>&1 ||
	{ echo "bench: bare-metal run failed, see $work/bare.log" >&2; exit 1; }

# 2: everything under Haven, in one boot of the test platform, with the
# plugin that counts Haven's instructions per CPU (bench/plugin/el2count.c)
# in the hypervisor memory of the bench system
hvmem=$(/usr/bin/python3 tools/haven-config dump build/fixtures/system-bench.cell |
	sed -n 's/^hypervisor memory: \(0x[0-9a-f]*\) size \(0x[0-9a-f]*\)$/\1 \2/p')
[ -n "$hvmem" ] || { echo "bench: no hypervisor memory in build/fixtures/system-bench.cell" >&2; exit 1; }
read -r hv_lo hv_size <<<"$hvmem"
el2log=$root/$work/el2count.log
plugin="$root/$work/el2count.so,lo=$hv_lo,hi=$(printf '0x%x' $((hv_lo + hv_size))),out=$el2log"
rm -f "$el2log"
# the Linux cell's CPUs: its EL2 share counts theirs
cell_cpus=$(/usr/bin/python3 tools/haven-config dump build/fixtures/linux-bench.cell | sed -n 's/^  cpus: //p')
[ -n "$cell_cpus" ] || { echo "bench: no cpus in build/fixtures/linux-bench.cell" >&2; exit 1; }
cp tests/lib/guest.sh "$work/benchwork" "$stage/"
printf 'ROUNDS=%s\nREPEAT=%s\nIDLE_S=%s\nBUSY_ROUNDS=%s\nLREPEAT=%s\n' \
	$rounds $repeat $idle_s $busy_rounds $lrepeat >"$stage/bench.env"
run_cmd=(tools/qemu-run -q -t 1200 --log "$work/haven.log"
	--files "$stage/guest.sh" --files "$stage/benchwork" --files "$stage/bench.env"
	--files build/fixtures --files build/linux-cell bench/guest/scenario.sh -- -icount "$icount" -plugin "$plugin")
echo "bench: under Haven (${run_cmd[*]})"
"${run_cmd[@]}" || { echo "bench: scenario failed, see $work/haven.log" >&2; exit 1; }

# 3: size
slocdata=$(mktemp -d)
trap 'rm -rf "$slocdata"' EXIT
sloccount --datadir "$slocdata" --details hypervisor include/haven >"$work/sloc.txt"
aarch64-linux-gnu-size build/hypervisor/haven.elf >"$work/size.txt"

/usr/bin/python3 bench/report.py --out "$out" --bare "$work/bare.log" --haven "$work/haven.log" --el2count "$el2log" \
	--linux-cell-cpus "$cell_cpus" \
	--sloc "$work/sloc.txt" --size "$work/size.txt" --bin build/haven.bin \
	--shift "$shift_n" --mode "$([ $quick = 1 ] && echo quick || echo full)" \
	--bare-cmd "${bare_cmd[*]}" --haven-cmd "${run_cmd[*]}"
