/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared by the parts of hostile.bin (tests/qemu/hostile.sh): what an
 * attack saw, and the attacks kept outside hostile.c.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "inmate.h"

#define MAX_VALUES 4

/* What an attack saw: a token and up to MAX_VALUES key=value details. */
struct result {
	const char *observed;
	unsigned int n;
	const char *key[MAX_VALUES];
	hv_u64 value[MAX_VALUES];
};

void note(struct result *r, const char *key, hv_u64 value);

/*
 * hostile_state.c: the CPU state a cell leaves behind. state_plant() puts
 * recognisable values into the PMU, debug, timer, FP/SIMD and other EL1/EL0
 * registers ("planted" if every one held); the cell must then stop without
 * touching them. state_check(), the first thing of the next start on the
 * CPU, reads them all and compares each with its reset value
 * ("reset-state", or "leaked" and a line per register that was not).
 */
void state_plant(struct result *r);
void state_check(struct result *r);

/* hostile_fp.S: FP/SIMD access (this C is built with general registers only) */
void fpsimd_load(const hv_u64 q[64]); /* q0-q31 <- q[2n], q[2n + 1] */
void fpsimd_store(hv_u64 q[64]);
hv_u64 fpcr_read(void);
void fpcr_write(hv_u64 v);
hv_u64 fpsr_read(void);
void fpsr_write(hv_u64 v);

#endif
