// SPDX-License-Identifier: GPL-2.0-only
/*
 * PMU and self-hosted debug state back to reset for the next owner of a CPU
 * (Arm ARM D13 and D2): counters stopped, zeroed and unconfigured, no
 * overflow interrupts, no EL0 access; breakpoints and watchpoints off, no
 * claim tags or debug communications interrupts; the OS lock locked and the
 * OS double lock unlocked, as a Cold reset leaves them (a PSCI CPU_ON brings
 * the CPU up from power-off). Only implemented registers are touched (the
 * others are UNDEFINED).
 */
#include <sysregs.h>
#include <vcpu.h>

#define PMCR_P BIT(1) /* reset event counters */
#define PMCR_C BIT(2) /* reset the cycle counter */
#define DFR0_DOUBLELOCK(d) (((d) >> 36) & 0xf) /* 0xf: not implemented */
#define OSLAR_OSLK BIT(0)
#define DBGCLAIM_ALL 0xffUL

static void reset_pmu(void)
{
	u64 n = PMCR_N(read_sysreg(pmcr_el0)), i;

	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	write_sysreg(pmuserenr_el0, 0);
	write_sysreg(pmccfiltr_el0, 0);
	for (i = 0; i < n; i++) {
		write_sysreg(pmselr_el0, i);
		isb();
		write_sysreg(pmxevtyper_el0, 0);
	}
	write_sysreg(pmselr_el0, 0);
	write_sysreg(pmcr_el0, PMCR_P | PMCR_C); /* E = 0: disabled */
	isb();
}

#define CLEAR_BRP(n, count)                                                    \
	do {                                                                   \
		if ((n) < (count)) {                                           \
			write_sysreg(dbgbcr##n##_el1, 0);                       \
			write_sysreg(dbgbvr##n##_el1, 0);                       \
		}                                                              \
	} while (0)
#define CLEAR_WRP(n, count)                                                    \
	do {                                                                   \
		if ((n) < (count)) {                                           \
			write_sysreg(dbgwcr##n##_el1, 0);                       \
			write_sysreg(dbgwvr##n##_el1, 0);                       \
		}                                                              \
	} while (0)

static void reset_debug(u64 dfr0)
{
	u64 b = DFR0_BRPS(dfr0), w = DFR0_WRPS(dfr0);

	if (DFR0_DOUBLELOCK(dfr0) != 0xf)
		write_sysreg(osdlr_el1, 0);
	write_sysreg(oslar_el1, OSLAR_OSLK);
	isb();
	CLEAR_BRP(0, b); CLEAR_BRP(1, b); CLEAR_BRP(2, b); CLEAR_BRP(3, b);
	CLEAR_BRP(4, b); CLEAR_BRP(5, b); CLEAR_BRP(6, b); CLEAR_BRP(7, b);
	CLEAR_BRP(8, b); CLEAR_BRP(9, b); CLEAR_BRP(10, b); CLEAR_BRP(11, b);
	CLEAR_BRP(12, b); CLEAR_BRP(13, b); CLEAR_BRP(14, b); CLEAR_BRP(15, b);
	CLEAR_WRP(0, w); CLEAR_WRP(1, w); CLEAR_WRP(2, w); CLEAR_WRP(3, w);
	CLEAR_WRP(4, w); CLEAR_WRP(5, w); CLEAR_WRP(6, w); CLEAR_WRP(7, w);
	CLEAR_WRP(8, w); CLEAR_WRP(9, w); CLEAR_WRP(10, w); CLEAR_WRP(11, w);
	CLEAR_WRP(12, w); CLEAR_WRP(13, w); CLEAR_WRP(14, w); CLEAR_WRP(15, w);
	write_sysreg(mdscr_el1, 0); /* with the OS lock locked: all its fields */
	write_sysreg(dbgclaimclr_el1, DBGCLAIM_ALL);
	write_sysreg(mdccint_el1, 0);
	write_sysreg(contextidr_el1, 0);
	isb();
}

bool vcpu_has_pmu(void)
{
	u64 pmuver = DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));

	/* 0: no PMU; 0xf: IMPLEMENTATION DEFINED, not the architected one */
	return pmuver && pmuver != 0xf;
}

void vcpu_reset_pmu_debug(void)
{
	if (vcpu_has_pmu())
		reset_pmu();
	reset_debug(read_sysreg(id_aa64dfr0_el1));
}
