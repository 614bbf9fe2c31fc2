// SPDX-License-Identifier: GPL-2.0-only
/*
 * benchwork: the root cell's side of `make bench` (bench/README.md), a
 * static arm64 program run in the guest Linux.
 *
 *   benchwork now
 *       prints "now TICKS" (CNTVCT_EL0): a virtual-time stamp
 *   benchwork run CPU ROUNDS
 *       pinned to CPU, runs ROUNDS rounds of a CPU- and memory-bound
 *       workload and prints
 *         work: ticks=T freq=F rounds=R check=X el2=E0,E1,...
 *       T: the counter ticks the rounds took (virtual time under -icount);
 *       E<n>: instructions retired at EL2 on CPU n meanwhile (a per-CPU
 *       perf counter, INST_RETIRED with only EL2 included; -1 if perf has
 *       no PMU). X is a checksum, so that the work cannot be optimised out.
 *       The rounds begin and end with a bench marker (HINT #127, a NOP)
 *       at which `make bench`'s QEMU plugin writes its exact per-CPU
 *       counts of Haven's instructions (bench/plugin/el2count.c).
 *
 * A round: 2 Mi steps of an integer hash (CPU-bound) and a pass over a
 * 16 MiB buffer, one 64-byte line per step in a page-scattered order, read
 * and written (memory- and TLB-bound).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BUF_BYTES (16UL << 20)
#define LINE 64
#define HASH_STEPS (2UL << 20)
#define MAX_CPUS 8

static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

/* a NOP to the CPU; bench/plugin/el2count.c writes its counts at it */
static inline void bench_marker(void)
{
	__asm__ volatile("hint #127" ::: "memory");
}

static inline uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* EL2-only instruction counter of one CPU (all tasks), or -1 */
static int el2_counter(int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.exclude_user = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 0; /* non-VHE arm64: EL2 included (PMEVTYPER.NSH) */
	a.exclude_idle = 0;
	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
}

static uint64_t round_work(uint8_t *buf, uint64_t x)
{
	const uint64_t lines = BUF_BYTES / LINE, pages = BUF_BYTES / 4096;

	for (uint64_t i = 0; i < HASH_STEPS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	/* line i: page (i * 97) mod pages, line (i / pages) within it */
	for (uint64_t i = 0; i < lines; i++) {
		uint64_t page = (i * 97) % pages, line = (i / pages) % (4096 / LINE);
		uint64_t *p = (uint64_t *)(buf + page * 4096 + line * LINE);

		x += *p;
		*p = x;
	}
	return x;
}

static int run(int cpu, long rounds)
{
	int fd[MAX_CPUS];
	long long el2[MAX_CPUS];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t t0, t1, x = 88172645463325252ULL;
	uint8_t *buf;
	cpu_set_t set;

	if (ncpu > MAX_CPUS)
		ncpu = MAX_CPUS;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("benchwork: sched_setaffinity");
		return 1;
	}
	buf = malloc(BUF_BYTES);
	if (!buf) {
		perror("benchwork: malloc");
		return 1;
	}
	memset(buf, 1, BUF_BYTES); /* faulted in before the measurement */
	for (long c = 0; c < ncpu; c++)
		fd[c] = el2_counter((int)c);
	bench_marker();
	t0 = counter();
	for (long r = 0; r < rounds; r++)
		x = round_work(buf, x);
	t1 = counter();
	bench_marker();
	for (long c = 0; c < ncpu; c++)
		if (fd[c] < 0 || read(fd[c], &el2[c], sizeof(el2[c])) != sizeof(el2[c]))
			el2[c] = -1;
	printf("work: ticks=%llu freq=%llu rounds=%ld check=%llx el2=",
	       (unsigned long long)(t1 - t0), (unsigned long long)counter_freq(),
	       rounds, (unsigned long long)x);
	for (long c = 0; c < ncpu; c++)
		printf("%s%lld", c ? "," : "", el2[c]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("now %llu\n", (unsigned long long)counter());
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "run"))
		return run(atoi(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: benchwork now | benchwork run CPU ROUNDS\n");
	return 2;
}
