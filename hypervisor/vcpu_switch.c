// SPDX-License-Identifier: GPL-2.0-only
/*
 * The full switch between two vCPUs of a shared CPU: the guest registers
 * (trap frame), the EL1 system registers, the EL1 virtual and physical
 * timers, FP/SIMD, the PMU, breakpoints and watchpoints (everything a cell
 * can reach at EL1 without a trap, Arm ARM D1.9), the GIC virtual CPU
 * interface (vgic.c) and the stage-2 (VMID-tagged: no TLB flush needed).
 * A descheduled vCPU's timers are disabled in the hardware: sched.c wakes
 * it from their saved compare values.
 */
#include <cell.h>
#include <lib.h>
#include <sched.h>
#include <sysregs.h>
#include <vcpu.h>


#define EL1_REGS(X)                                                            \
	X(sctlr, sctlr_el1) X(ttbr0, ttbr0_el1) X(ttbr1, ttbr1_el1)            \
	X(tcr, tcr_el1) X(mair, mair_el1) X(amair, amair_el1)                  \
	X(vbar, vbar_el1) X(contextidr, contextidr_el1)                        \
	X(tpidr_el0, tpidr_el0) X(tpidrro_el0, tpidrro_el0)                    \
	X(tpidr_el1, tpidr_el1) X(sp_el0, sp_el0) X(sp_el1, sp_el1)            \
	X(elr, elr_el1) X(spsr, spsr_el1) X(esr, esr_el1) X(far, far_el1)      \
	X(afsr0, afsr0_el1) X(afsr1, afsr1_el1) X(par, par_el1)                \
	X(cpacr, cpacr_el1) X(cntkctl, cntkctl_el1) X(csselr, csselr_el1)      \
	X(mdscr, mdscr_el1) X(mdccint, mdccint_el1)                            \
	X(cntv_cval, cntv_cval_el0)                                            \
	X(cntp_cval, cntp_cval_el0) X(cntv_ctl, cntv_ctl_el0)                  \
	X(cntp_ctl, cntp_ctl_el0)

static void save_pmu(struct el1_context *e)
{
	u64 i, n;

	e->pmcr = read_sysreg(pmcr_el0);
	write_sysreg(pmcr_el0, e->pmcr & ~1UL); /* stop before reading */
	isb();
	n = PMCR_N(e->pmcr);
	e->pmcnten = read_sysreg(pmcntenset_el0);
	e->pminten = read_sysreg(pmintenset_el1);
	e->pmovs = read_sysreg(pmovsset_el0);
	e->pmuserenr = read_sysreg(pmuserenr_el0);
	e->pmselr = read_sysreg(pmselr_el0);
	e->pmccntr = read_sysreg(pmccntr_el0);
	e->pmccfiltr = read_sysreg(pmccfiltr_el0);
	for (i = 0; i < n; i++) {
		write_sysreg(pmselr_el0, i);
		isb();
		e->pmevcntr[i] = read_sysreg(pmxevcntr_el0);
		e->pmevtyper[i] = read_sysreg(pmxevtyper_el0);
	}
}

static void restore_pmu(const struct el1_context *e)
{
	u64 i, n = PMCR_N(read_sysreg(pmcr_el0));

	for (i = 0; i < n; i++) {
		write_sysreg(pmselr_el0, i);
		isb();
		write_sysreg(pmxevcntr_el0, e->pmevcntr[i]);
		write_sysreg(pmxevtyper_el0, e->pmevtyper[i]);
	}
	write_sysreg(pmselr_el0, e->pmselr);
	write_sysreg(pmccntr_el0, e->pmccntr);
	write_sysreg(pmccfiltr_el0, e->pmccfiltr);
	write_sysreg(pmuserenr_el0, e->pmuserenr);
	write_sysreg(pmcntenclr_el0, ~e->pmcnten);
	write_sysreg(pmcntenset_el0, e->pmcnten);
	write_sysreg(pmintenclr_el1, ~e->pminten);
	write_sysreg(pmintenset_el1, e->pminten);
	write_sysreg(pmovsclr_el0, ~e->pmovs);
	write_sysreg(pmovsset_el0, e->pmovs);
	write_sysreg(pmcr_el0, e->pmcr & ~6UL); /* never the P and C resets */
	isb();
}

#define DBG_PAIR(n, save, e)                                                   \
	case n:                                                                \
		if (save) {                                                    \
			(e)->bvr[n] = read_sysreg(dbgbvr##n##_el1);             \
			(e)->bcr[n] = read_sysreg(dbgbcr##n##_el1);             \
		} else {                                                       \
			write_sysreg(dbgbvr##n##_el1, (e)->bvr[n]);             \
			write_sysreg(dbgbcr##n##_el1, (e)->bcr[n]);             \
		}                                                              \
		break;
#define DBG_WPAIR(n, save, e)                                                  \
	case n:                                                                \
		if (save) {                                                    \
			(e)->wvr[n] = read_sysreg(dbgwvr##n##_el1);             \
			(e)->wcr[n] = read_sysreg(dbgwcr##n##_el1);             \
		} else {                                                       \
			write_sysreg(dbgwvr##n##_el1, (e)->wvr[n]);             \
			write_sysreg(dbgwcr##n##_el1, (e)->wcr[n]);             \
		}                                                              \
		break;
#define SIXTEEN(M, save, e)                                                    \
	M(0, save, e) M(1, save, e) M(2, save, e) M(3, save, e)                \
	M(4, save, e) M(5, save, e) M(6, save, e) M(7, save, e)                \
	M(8, save, e) M(9, save, e) M(10, save, e) M(11, save, e)              \
	M(12, save, e) M(13, save, e) M(14, save, e) M(15, save, e)

/* Breakpoint and watchpoint registers: only those implemented exist. */
static void switch_debug(struct el1_context *e, bool save)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1), i;

	for (i = 0; i < DFR0_BRPS(dfr0); i++)
		switch (i) { SIXTEEN(DBG_PAIR, save, e) }
	for (i = 0; i < DFR0_WRPS(dfr0); i++)
		switch (i) { SIXTEEN(DBG_WPAIR, save, e) }
	/* the OS lock (OSLSR_EL1.OSLK, bit 1; set through OSLAR_EL1) */
	if (save)
		e->oslk = (read_sysreg(oslsr_el1) >> 1) & 1;
	else
		write_sysreg(oslar_el1, e->oslk);
}

/* Save the running vCPU; its timers stop firing on this CPU. */
void vcpu_save(struct vcpu *v, struct trap_frame *f)
{
	struct el1_context *e = &v->el1;

#define SAVE(field, reg) e->field = read_sysreg(reg);
	EL1_REGS(SAVE)
#undef SAVE
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	if (vcpu_has_pmu())
		save_pmu(e);
	switch_debug(e, true);
	e->fpcr = read_sysreg(fpcr);
	e->fpsr = read_sysreg(fpsr);
	vcpu_save_fpsimd(e->q);
	v->frame = *f;
}

void vcpu_restore(struct vcpu *v, struct trap_frame *f)
{
	const struct el1_context *e = &v->el1;

#define RESTORE(field, reg) write_sysreg(reg, e->field);
	EL1_REGS(RESTORE)
#undef RESTORE
	if (vcpu_has_pmu())
		restore_pmu(e);
	switch_debug(&v->el1, false);
	write_sysreg(fpcr, e->fpcr);
	write_sysreg(fpsr, e->fpsr);
	vcpu_load_fpsimd(e->q);
	isb();
	*f = v->frame;
}

/*
 * Make v the CPU's running vCPU: its cell, counters, interrupt queue,
 * stage-2, and the traps of a shared CPU (WFI and WFE give the CPU away).
 */
void vcpu_enter(struct per_cpu *cpu, struct vcpu *v)
{
	cpu->cell = v->cell;
	cpu->cell_stats = v->cell->stats;
	cpu->queue = &v->gic.queue;
	if (v->fresh)
		stage2_cpu_enter(v->cell);
	else
		stage2_cpu_switch(v->cell);
	vcpu_pmu_el2(v->cell);
	write_sysreg(hcr_el2, HCR_GUEST | HCR_TWI | HCR_TWE);
	isb();
}
