// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * From start.S to inmate_main(), the way out (inmate_exit), and the report
 * of an unexpected exception.
 */
#include "inmate.h"

HAVEN_STATIC_ASSERT(sizeof(struct exception_frame) == 272,
		    "vectors.S FULL_FRAME");

static void __noreturn park(void)
{
	for (;;) {
		irq_disable();
		wfi();
	}
}

void __noreturn inmate_start(hv_u64 comm_ipa, hv_u64 el)
{
	if (el != 1) {
		/* not at EL1: no MMU set-up or PSCI call would be right */
		printf("inmate: entered at EL%lu, needs EL1\n", el);
		console_flush();
		park();
	}
	mmu_init(comm_ipa);
	comm_init(comm_ipa);
	inmate_main();
	inmate_exit();
}

void __noreturn inmate_exit(void)
{
	irq_disable();
	timer_stop();
	console_flush();
	psci_system_off();
	park();
}

void __noreturn inmate_fail(void)
{
	comm_ack(HAVEN_COMM_FAILED);
	inmate_exit();
}

static const char *const vector_names[16] = {
	"sync from EL1t",  "IRQ from EL1t",  "FIQ from EL1t",
	"SError from EL1t", "sync from EL1h",  "IRQ from EL1h",
	"FIQ from EL1h",   "SError from EL1h", "sync from EL0/64",
	"IRQ from EL0/64", "FIQ from EL0/64", "SError from EL0/64",
	"sync from EL0/32", "IRQ from EL0/32", "FIQ from EL0/32",
	"SError from EL0/32",
};

void __noreturn exception_fatal(hv_u64 vector, const struct exception_frame *f)
{
	static bool in_fatal;
	hv_u64 esr = read_sysreg(esr_el1);

	if (in_fatal) /* the report or the exit faulted as well */
		park();
	in_fatal = true;

	printf("inmate: unexpected %s: ESR 0x%lx (EC 0x%lx) ELR 0x%lx FAR 0x%lx SPSR 0x%lx SP 0x%lx\n",
	       vector_names[vector & 15], esr, esr >> 26, f->elr,
	       read_sysreg(far_el1), f->spsr, f->sp);
	printf("inmate: x0 0x%lx x1 0x%lx x29 0x%lx x30 0x%lx\n", f->x[0],
	       f->x[1], f->x[29], f->x[30]);
	inmate_fail();
}
