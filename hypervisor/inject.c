// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exception injection into EL1: what the CPU would do on taking the
 * exception itself (Arm ARM D1.10.2): save PC/PSTATE in ELR/SPSR_EL1,
 * report in ESR/FAR_EL1, enter VBAR_EL1 + offset at EL1h, DAIF masked.
 */
#include <sysregs.h>
#include <traps.h>

#define VEC_CURRENT_SP0 0x000
#define VEC_CURRENT_SPX 0x200
#define VEC_LOWER_A64 0x400
#define FSC_SYNC_EXTERNAL 0x10

static void enter_el1_vector(struct trap_frame *f, u64 esr)
{
	u64 mode = f->spsr & SPSR_MODE_MASK, offset;

	if (mode == 0) /* EL0t */
		offset = VEC_LOWER_A64;
	else if (mode == 4) /* EL1t */
		offset = VEC_CURRENT_SP0;
	else
		offset = VEC_CURRENT_SPX;
	write_sysreg(elr_el1, f->elr);
	write_sysreg(spsr_el1, f->spsr);
	write_sysreg(esr_el1, esr);
	f->elr = read_sysreg(vbar_el1) + offset;
	f->spsr = SPSR_DAIF | SPSR_EL1H;
}

void inject_external_abort(struct trap_frame *f, u64 esr, u64 far)
{
	u32 ec = ESR_EC(esr);
	bool from_el0 = (f->spsr & SPSR_MODE_MASK) == 0;
	bool instr = ec == EC_IABT_LOW || ec == EC_IABT_CUR;
	u64 new_ec = instr ? (from_el0 ? EC_IABT_LOW : EC_IABT_CUR) :
			     (from_el0 ? EC_DABT_LOW : EC_DABT_CUR);
	/* keep WnR for data aborts; report a synchronous external abort */
	u64 iss = (instr ? 0 : (esr & BIT(6))) | FSC_SYNC_EXTERNAL;

	write_sysreg(far_el1, far);
	enter_el1_vector(f, new_ec << 26 | ESR_IL | iss);
}

void inject_undef(struct trap_frame *f)
{
	enter_el1_vector(f, (u64)EC_UNKNOWN << 26 | ESR_IL);
}

void skip_instruction(struct trap_frame *f)
{
	f->elr += 4;
}
