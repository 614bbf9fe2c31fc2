#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make bench` runs and its report is complete (bench/check.py): the quick
# mode (BENCH_QUICK=1, the same measurements with shorter workload runs),
# written to build/bench-check/ so that bench/ keeps the last full run.
# Benchmarks are not timed tests: no figure is judged against a target.
# Exit status: 0 passed, 1 failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
out=build/bench-check
rm -rf "$out"
make --no-print-directory bench BENCH_QUICK=1 BENCH_OUT=$out || {
	echo "FAIL: make bench failed"
	exit 1
}
/usr/bin/python3 bench/check.py $out
