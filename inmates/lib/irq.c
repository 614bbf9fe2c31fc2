// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The IRQ entry (called from vectors.S with IRQs masked) and the per-level
 * account of time taken by interrupts. Level n is the code that runs with
 * n interrupt handlers active below it: 0 is the main program, 1 a handler's
 * tail that interrupted it, and so on. Each entry and exit is an
 * observation for meas.c, and so is the end of the handler, before the tail.
 */
#include "inmate.h"

#define IRQ_MAX_LEVELS 40
#define GIC_SPURIOUS 1020 /* 1020..1023 are special INTIDs */

static void (*irq_handler)(hv_u32 intid);
static void (*irq_tail)(void);
static volatile unsigned int irq_level;
static volatile hv_u64 irq_stolen[IRQ_MAX_LEVELS];
static volatile hv_u64 irq_stolen_recv[IRQ_MAX_LEVELS];
static volatile hv_u64 irq_entered;

void irq_init(void (*handler)(hv_u32 intid), void (*tail)(void))
{
	irq_handler = handler;
	irq_tail = tail;
}

hv_u64 irq_stolen_ticks(void)
{
	return irq_stolen[irq_level];
}

hv_u64 irq_stolen_received(void)
{
	return irq_stolen_recv[irq_level];
}

hv_u64 irq_entry_ticks(void)
{
	return irq_entered;
}

void irq_entry(void)
{
	unsigned int level = irq_level;
	hv_u64 start, end, recv0;
	hv_u32 intid;
	bool watched;

	if (level + 1 >= IRQ_MAX_LEVELS) {
		printf("inmate: IRQs nested %u deep\n", level + 1);
		inmate_fail();
	}
	watched = meas_irq_enter(&start);
	irq_entered = start;
	recv0 = meas_received();
	irq_level = level + 1;
	intid = gic_ack();
	if (intid < GIC_SPURIOUS) {
		if (irq_handler)
			irq_handler(intid);
		gic_eoi(intid);
		if (irq_tail) {
			meas_observe();
			irq_tail();
		}
	}
	irq_level = level;
	end = meas_irq_exit(watched);
	irq_stolen_recv[level] += meas_received() - recv0;
	irq_stolen[level] += end - start;
}
