// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL1 reset state for a CPU entering a cell (Arm ARM D1.9: the state on
 * warm reset into EL1). Timers, the FP/SIMD file, the cache size selection,
 * the deferred SError record, the PMU and debug registers are cleared as
 * well: nothing of the CPU's previous owner stays.
 */
#include <lib.h>
#include <sysregs.h>
#include <vcpu.h>

#define SCTLR_EL1_RES1 0x30d00800UL /* bits 29, 28, 23, 22, 20, 11 */
#define DISR_EL1 S3_0_C12_C1_1 /* FEAT_RAS: not known to every assembler */
/* write_sysreg() of a register named by a macro (expanded on the way) */
#define write_sysreg_enc(r, v) write_sysreg(r, v)
#define PFR0_RAS(p) (((p) >> 28) & 0xf)

void vcpu_reset(struct trap_frame *f, u64 entry, u64 arg)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	isb();
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(csselr_el1, 0);
	/* a deferred SError record: the previous owner could plant one */
	if (PFR0_RAS(read_sysreg(id_aa64pfr0_el1)))
		write_sysreg_enc(DISR_EL1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
	vcpu_zero_fpsimd();
	vcpu_reset_pmu_debug();
	asm volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();

	memset(f, 0, sizeof(*f));
	f->x[0] = arg;
	f->elr = entry;
	f->spsr = SPSR_DAIF | SPSR_EL1H;
}
