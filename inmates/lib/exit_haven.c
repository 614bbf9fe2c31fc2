// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Haven cell: PSCI SYSTEM_OFF through SMC, which Haven traps and takes as
 * "this cell stops".
 */
#include "inmate.h"

#define PSCI_SYSTEM_OFF 0x84000008U

void psci_system_off(void)
{
	register hv_u64 x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	__asm__ volatile("smc #0"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
			   "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			   "x16", "x17", "memory");
}
