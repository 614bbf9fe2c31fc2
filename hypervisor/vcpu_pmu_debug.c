// SPDX-License-Identifier: GPL-2.0-only
/*
 * PMU and self-hosted debug state back to reset for the next owner of a CPU
 * (Arm ARM D13 and D2): counters stopped, zeroed and unconfigured, no
 * overflow interrupts, no EL0 access; breakpoints and watchpoints off, no
 * claim tags or debug communications interrupts; the OS lock locked and the
 * OS double lock unlocked, as a Cold reset leaves them (a PSCI CPU_ON brings
 * the CPU up from power-off). Only implemented registers are touched (the
 * others are UNDEFINED).
 *
 * And MDCR_EL2 for the cell a CPU runs: Linux's (its hyp stub gives every
 * counter to EL1 and traps nothing), with event counting at EL2 prohibited
 * (HPMD, FEAT_PMUv3p1; and cycle counting, HCCD, FEAT_PMUv3p5) unless the
 * cell has HAVEN_CELL_PMU_EL2: otherwise a cell could count what Haven does
 * on its CPU, for itself and for others (PMEVTYPER<n>_EL0.NSH).
 */
#include <cell.h>
#include <setup.h>
#include <sysregs.h>
#include <unit.h>
#include <vcpu.h>

#define PMCR_P BIT(1) /* reset event counters */
#define PMCR_C BIT(2) /* reset the cycle counter */
#define DFR0_DOUBLELOCK(d) (((d) >> 36) & 0xf) /* 0xf: not implemented */
#define OSLAR_OSLK BIT(0)
#define MDCR_HPMD BIT(17) /* no event counting at EL2 */
#define MDCR_HCCD BIT(23) /* no cycle counting at EL2 */
#define PMUVER_V3P1 4 /* FEAT_PMUv3p1: MDCR_EL2.HPMD */
#define PMUVER_V3P5 6 /* FEAT_PMUv3p5: MDCR_EL2.HCCD */
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

/* Set on every entry into a cell (pmu_cpu_init) and vCPU switch (vcpu_enter). */
void vcpu_pmu_el2(const struct cell *c)
{
	u64 ver = DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));
	u64 mdcr = hv.linux.mdcr & ~(MDCR_HPMD | MDCR_HCCD);

	if (!(c->cfg->flags & HAVEN_CELL_PMU_EL2) && vcpu_has_pmu()) {
		if (ver >= PMUVER_V3P1)
			mdcr |= MDCR_HPMD;
		if (ver >= PMUVER_V3P5)
			mdcr |= MDCR_HCCD;
	}
	write_sysreg(mdcr_el2, mdcr);
	isb();
}

static int pmu_init(void)
{
	u64 ver = DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));

	if (vcpu_has_pmu() && ver < PMUVER_V3P1)
		printk("PMU without FEAT_PMUv3p1: cells can count Haven's EL2 events\n");
	return 0;
}

/* after the cell unit (rank 2), which sets cpu->cell */
static int pmu_cpu_init(struct per_cpu *cpu)
{
	vcpu_pmu_el2(cpu->cell);
	return 0;
}

static void pmu_cpu_exit(struct per_cpu *cpu)
{
	(void)cpu;
	write_sysreg(mdcr_el2, hv.linux.mdcr);
	isb();
}

HV_UNIT(3, pmu, .init = pmu_init, .cpu_init = pmu_cpu_init,
	.cpu_exit = pmu_cpu_exit);
