// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronous traps from a cell, dispatched by exception class through one
 * table. Whatever has no handler takes the single failure path: a non-root
 * cell fails (cell_fail.c); the root, which owns the machine, is logged and
 * gets an undefined instruction or an external abort, like on hardware.
 */
#include <cell.h>
#include <gic.h>
#include <mmio.h>
#include <mmio_subpage.h>
#include <pci.h>
#include <sched.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>

typedef void (*trap_handler)(struct trap_frame *f, u64 esr);

/* ISS of a trapped MSR/MRS: Op0, Op2, Op1, CRn, Rt, CRm, direction */
#define SYSREG_ISS_MASK 0x3ffc1eUL
#define SYSREG_ISS_ICC_SGI1R (3UL << 20 | 5UL << 17 | 0UL << 14 | 12UL << 10 | 11UL << 1)

static u64 fault_ipa(void)
{
	return (read_sysreg(hpfar_el2) & GENMASK(43, 4)) << 8 |
	       (read_sysreg(far_el2) & 0xfff);
}

static void trap_unhandled(struct trap_frame *f, u64 esr)
{
	struct per_cpu *cpu = this_cpu();

	count_trap(HAVEN_STAT_OTHER);
	if (cpu->cell != &root_cell) {
		cell_fail(f, esr, "syndrome", ESR_ISS(esr));
		return;
	}
	printk("%s: CPU %u: unhandled trap EC 0x%lx ESR 0x%lx at PC 0x%lx\n",
	       cpu->cell->name, cpu->index, ESR_EC(esr), esr, f->elr);
	inject_undef(f);
}

static void trap_hvc(struct trap_frame *f, u64 esr)
{
	(void)esr;
	handle_hvc(f);
}

static void trap_smc(struct trap_frame *f, u64 esr)
{
	(void)esr;
	handle_smc(f);
}

static void trap_sysreg(struct trap_frame *f, u64 esr)
{
	bool read = esr & 1;

	if ((esr & SYSREG_ISS_MASK) == SYSREG_ISS_ICC_SGI1R && !read) {
		count_trap(HAVEN_STAT_SGI);
		gic_send_sgi(this_cpu()->cell, mmio_get_reg(f, (esr >> 5) & 0x1f));
		skip_instruction(f);
		return;
	}
	trap_unhandled(f, esr);
}

/*
 * An emulated access: the GIC distributor, the cell's emulated UART, PCI
 * configuration space, its redistributors' SGI/PPI configuration, or the
 * identification of a frame.
 */
static bool emulate_mmio(struct trap_frame *f, u64 esr, u64 ipa)
{
	u64 iss = ESR_ISS(esr);
	struct cell *c = this_cpu()->cell;
	struct mmio_access a;

	if (ESR_EC(esr) != EC_DABT_LOW || !(iss & ISS_ISV))
		return false;
	a.addr = ipa;
	a.size = 1U << ISS_SAS(iss);
	/* Haven's own access to the device must not fault: natural alignment only */
	if (ipa & (a.size - 1))
		return false;
	a.write = iss & ISS_WNR;
	a.value = a.write ? mmio_get_reg(f, ISS_SRT(iss)) : 0;
	if (gicd_contains(ipa)) {
		count_trap(HAVEN_STAT_GICD);
		gicd_mmio(c, &a);
	} else if (vuart_contains(&c->vuart, ipa)) {
		count_trap(HAVEN_STAT_VUART);
		vuart_mmio(c, &a);
	} else if (pci_mmio(c, &a)) {
		count_trap(HAVEN_STAT_PCI);
	} else if (!gicr_mmio(c, &a)) {
		return false;
	}
	if (!a.write)
		mmio_finish_read(f, iss, a.value, a.size);
	skip_instruction(f);
	return true;
}

static const char *access_kind(u64 esr)
{
	if (ESR_EC(esr) == EC_IABT_LOW)
		return "fetch";
	return ESR_ISS(esr) & ISS_WNR ? "write" : "read";
}

/* The cell's fate for an access outside what it owns (fail, or an abort). */
void stage2_violation(struct trap_frame *f, u64 esr, u64 ipa)
{
	struct per_cpu *cpu = this_cpu();

	count_trap(HAVEN_STAT_ABORT);
	if (cpu->cell != &root_cell && !(cpu->cell->cfg->flags & HAVEN_CELL_FAULT_ABORT)) {
		cell_fail(f, esr, ESR_EC(esr) == EC_IABT_LOW ? "fetch from IPA" :
			  ESR_ISS(esr) & ISS_WNR ? "write to IPA" : "read of IPA", ipa);
		return;
	}
	/* the root, and cells whose policy is abort: like a bus error on hardware */
	__atomic_fetch_add(&cpu->cell->faults, 1, __ATOMIC_RELAXED);
	printk("%s: CPU %u: %s of unowned IPA 0x%lx (ESR 0x%lx, PC 0x%lx, %s): external abort injected\n",
	       cpu->cell->name, cpu->index, access_kind(esr), ipa, esr, f->elr,
	       (f->spsr & SPSR_MODE_MASK) ? "EL1" : "EL0");
	inject_external_abort(f, esr, read_sysreg(far_el2));
}

/* A stage-2 fault: an emulated device, a sub-page window, or a violation. */
static void trap_abort(struct trap_frame *f, u64 esr)
{
	u64 ipa = fault_ipa();

	if (emulate_mmio(f, esr, ipa) || subpage_trap(f, esr, ipa))
		return;
	stage2_violation(f, esr, ipa);
}

/* WFI/WFE: trapped only on shared CPUs, where they give the CPU away. */
static void trap_wfx(struct trap_frame *f, u64 esr)
{
	count_trap(HAVEN_STAT_WFX);
	if (!this_cpu()->sched) {
		skip_instruction(f);
		return;
	}
	sched_wfx(f, ESR_ISS(esr) & 1);
}

static const trap_handler trap_table[64] = {
	[EC_WFX] = trap_wfx,
	[EC_HVC64] = trap_hvc,
	[EC_SMC64] = trap_smc,
	[EC_SYS64] = trap_sysreg,
	[EC_IABT_LOW] = trap_abort,
	[EC_DABT_LOW] = trap_abort,
};

void handle_trap(struct trap_frame *f)
{
	struct per_cpu *cpu = this_cpu();
	u64 esr = read_sysreg(esr_el2);
	trap_handler h = trap_table[ESR_EC(esr)];

	(h ? h : trap_unhandled)(f, esr);
	/* a shared CPU: the trap may have woken or signalled another vCPU */
	if (cpu->sched && cpu->sched->need_resched)
		sched_reschedule(f);
}
