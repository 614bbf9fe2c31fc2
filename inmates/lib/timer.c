// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The EL1 virtual timer (CNTV_*, PPI PLAT_TIMER_VIRT_INTID) and counter. */
#include "inmate.h"

#define CNTV_CTL_ENABLE (1U << 0)

hv_u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0) & 0xffffffff;
}

hv_u64 timer_now(void)
{
	isb(); /* not read early, out of program order */
	return read_sysreg(cntvct_el0);
}

void timer_set(hv_u64 cval)
{
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}
