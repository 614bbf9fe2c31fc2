/* SPDX-License-Identifier: GPL-2.0-only */
/* The EL1 state a CPU starts a cell with. */
#ifndef HAVEN_VCPU_H
#define HAVEN_VCPU_H

#include <percpu.h>

/*
 * Put EL1 into its reset state (MMU and caches off, no vectors, timers
 * off, FP/SIMD registers zero) and aim the frame at entry with x0 = arg,
 * so a cell never sees what ran on the CPU before.
 */
void vcpu_reset(struct trap_frame *f, u64 entry, u64 arg);

/* vcpu_pmu_debug.c: PMU counters and breakpoints/watchpoints to reset */
void vcpu_reset_pmu_debug(void);
/* the architected PMU is there (its registers exist) */
bool vcpu_has_pmu(void);
struct cell;
/* MDCR_EL2 for c: counting at EL2 prohibited unless c has HAVEN_CELL_PMU_EL2 */
void vcpu_pmu_el2(const struct cell *c);

/* vcpu_fp.S */
void vcpu_zero_fpsimd(void);

#endif
