// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Catching expected synchronous exceptions (inmate.h). vectors.S calls
 * exception_catch() for every exception but IRQs before it reports one as
 * fatal; only synchronous exceptions from EL1h inside an open window are
 * taken here: the first is recorded, all are counted, and more than
 * FAULT_CATCH_MAX in one window are fatal (an access that faults in a loop
 * would otherwise never end).
 */
#include "inmate.h"

#define VECTOR_SYNC_EL1H 4

static volatile bool window_open;
static struct fault_record caught;

void fault_catch_begin(void)
{
	caught.taken = false;
	caught.count = 0;
	__asm__ volatile("" ::: "memory");
	window_open = true;
	__asm__ volatile("dsb sy; isb" ::: "memory"); /* nothing earlier faults in it */
}

bool fault_catch_end(struct fault_record *f)
{
	__asm__ volatile("dsb sy; isb" ::: "memory"); /* the accesses have completed */
	window_open = false;
	__asm__ volatile("" ::: "memory");
	*f = caught;
	return f->taken;
}

bool exception_catch(hv_u64 vector, struct exception_frame *f)
{
	hv_u64 esr, far;

	if (vector != VECTOR_SYNC_EL1H || !window_open)
		return false;
	if (caught.count >= FAULT_CATCH_MAX) {
		window_open = false;
		return false;
	}
	esr = read_sysreg(esr_el1);
	far = read_sysreg(far_el1);
	if (!caught.count++) {
		caught.taken = true;
		caught.esr = esr;
		caught.far = far;
		caught.elr = f->elr;
	}
	if (ESR_EC(esr) == ESR_EC_IABT_CUR && far == f->elr)
		f->elr = f->x[30]; /* fetched from where it branched to: back to the caller */
	else
		f->elr += 4; /* A64: every instruction is 4 bytes */
	return true;
}
