// SPDX-License-Identifier: GPL-2.0-only
/*
 * Direct interrupt delivery (HAVEN_CELL_DIRECT_IRQ) for a cell that owns
 * its CPUs outright. HCR_EL2.IMO is clear on them: physical IRQs go to the
 * cell's EL1 and its Group 1 ICC_* accesses (IAR1, EOIR1, HPPIR1, BPR1,
 * AP1Rn, IGRPEN1) reach the physical CPU interface. HCR_EL2.FMO stays set:
 * Haven's own private interrupts are Group 0 there, signalled as FIQ and
 * taken at EL2 whatever the cell's PSTATE.F (Arm ARM D1.3.6: an interrupt
 * routed to a higher Exception level is not masked by PSTATE).
 *
 * With FMO set the cell reaches only virtual copies (ICV_*, in ICH_VMCR_EL2)
 * of the Group 0 registers (IAR0, EOIR0, BPR0, AP0Rn, IGRPEN0) and of the
 * common ones, PMR, CTLR, DIR and RPR (GIC spec IHI 0069 12.2, "Virtual
 * accesses" of each register; the same in QEMU's icv_access()), and its
 * SGI register writes still trap (12.2.20-22: when IMO or FMO is 1), so
 * gic_send_sgi() keeps filtering targets. So the cell cannot mask Haven's
 * Group 0 SGI with the priority mask, the Group 0 enable or PSTATE.F, and
 * cannot change the physical EOI mode (0: its EOIR1 drops the priority and
 * deactivates; its DIR only reaches the virtual interface).
 *
 * What the cell could still do is hold the running priority at or above
 * Haven's: acknowledge an interrupt of priority 0 and never end it. So its
 * priority writes get the GIC's own Non-secure view (GIC spec 4.8.6,
 * Non-secure accesses to a Group 1 priority with GICD_CTLR.DS == 0): the
 * value is stored as (value >> 1) | 0x80 and read back shifted left. Its
 * interrupts then have priority 0x80 or lower and Haven's, 0, preempts any
 * of them. It cannot make an interrupt Group 0 either: group bits it owns
 * read and stay 1, group modifiers 0.
 */
#include <cell.h>
#include <gic.h>
#include <mmio.h>
#include <setup.h>
#include <sysregs.h>

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_GRP0 BIT(0)
#define GICD_CTLR_DS BIT(6) /* one Security state: Group 0 is Non-secure EL2's */
#define GICD_CTLR_RWP BIT(31)
#define GICD_IGROUPR 0x0080
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IGRPMODR 0x0d00
#define GICD_IROUTER 0x6000
#define GICR_IGROUPR0 0x0080
#define GICR_IPRIORITYR 0x0400
#define INTID_SPURIOUS 1020
#define HAVEN_PRIORITY 0x00 /* above every priority a direct cell can set */

/* the priorities of Haven's private interrupts before a direct cell came */
static u8 saved_prio[CONFIG_MAX_CPUS][32];

static volatile u8 *gicr_prio(struct per_cpu *cpu, u32 intid)
{
	return (volatile u8 *)(cpu->gicr_base + 0x10000 + GICR_IPRIORITYR + intid);
}

static u64 gicd(u64 off)
{
	return hv.sys->platform.gicd_base + off;
}

/* A direct cell's write of owned bits of a register bank at base. */
u64 direct_irq_write(u64 base, u64 value, u64 owned, u32 size)
{
	u64 v = 0;
	u32 i;

	if (base == GICD_IGROUPR)
		return value | owned; /* Group 1 only */
	if (base == GICD_IGRPMODR)
		return value & ~owned;
	if (base != GICD_IPRIORITYR)
		return value;
	for (i = 0; i < size; i++)
		v |= (((value >> (8 * i)) & 0xff) >> 1 | 0x80) << (8 * i);
	return (value & ~owned) | (v & owned);
}

/* What a direct cell reads of a priority register (cur: the hardware's). */
u64 direct_irq_read(u64 base, u64 cur, u32 size)
{
	u64 v = 0;
	u32 i;

	if (base != GICD_IPRIORITYR)
		return cur;
	for (i = 0; i < size; i++)
		v |= (((cur >> (8 * i)) << 1) & 0xff) << (8 * i);
	return v;
}

/*
 * Before a direct cell is created: Group 0 must be Non-secure EL2's, which
 * it is only with GICD_CTLR.DS set (no Secure world owning it; QEMU virt
 * without secure=on). Then make sure the distributor forwards Group 0.
 */
long direct_irq_check(u64 *detail)
{
	u32 ctlr = (u32)mmio_read(gicd(GICD_CTLR), 4);

	if (!(ctlr & GICD_CTLR_DS)) {
		*detail = ctlr;
		return HAVEN_E_HW;
	}
	if (!(ctlr & GICD_CTLR_ENABLE_GRP0)) {
		mmio_write(gicd(GICD_CTLR), ctlr | GICD_CTLR_ENABLE_GRP0, 4);
		while (mmio_read(gicd(GICD_CTLR), 4) & GICD_CTLR_RWP)
			;
	}
	return HAVEN_OK;
}

/* Haven's SPI: routed away from the cell's CPUs, to this (the root's) CPU. */
static void route_away(const struct cell *c, u32 irq)
{
	int cpu = cpu_by_mpidr(mmio_read(gicd(GICD_IROUTER + irq * 8), 8));

	if (irq && cpu >= 0 && (c->cpus & BIT(cpu)))
		mmio_write(gicd(GICD_IROUTER + irq * 8),
			   mpidr_affinity(read_sysreg(mpidr_el1)), 8);
}

/*
 * At create, after the cell got its SPIs: they are Group 1 (a previous
 * owner may have left one Group 0), and Haven's own SPIs (the SMMU's) do
 * not target the cell's CPUs, where the cell would acknowledge them.
 */
void direct_irq_take(const struct cell *c)
{
	const struct haven_platform *p = &hv.sys->platform;
	u32 w;

	for (w = 1; w < p->num_irqs / 32 && w < HAVEN_MAX_IRQS / 32; w++)
		mmio_write(gicd(GICD_IGROUPR + w * 4),
			   mmio_read(gicd(GICD_IGROUPR + w * 4), 4) |
				   (u32)(c->irqs[w / 2] >> (w % 2 * 32)), 4);
	if (p->smmu_size) {
		route_away(c, p->smmu_event_irq);
		route_away(c, p->smmu_gerror_irq);
	}
}

/*
 * The CPU enters the direct cell (after gic_cpu_init's reset of the cell's
 * private interrupts): Haven's private interrupts become Group 0 at the
 * highest priority, the cell's Group 1; the physical interface starts from
 * its reset state but for the priority mask, which the cell cannot reach
 * (it writes ICV_PMR_EL1), all open.
 */
void direct_cpu_enter(struct per_cpu *cpu)
{
	u32 haven = gic_havens_private_irqs(), i;

	write_sysreg(ICH_HCR_EL2, 0); /* no virtual interrupts, no maintenance */
	for (i = 0; i < 32; i++) {
		if (!(haven & BIT(i)))
			continue;
		saved_prio[cpu->index][i] = *gicr_prio(cpu, i);
		*gicr_prio(cpu, i) = HAVEN_PRIORITY;
	}
	*sgi_frame_reg(cpu, GICR_IGROUPR0) = ~haven;
	*sgi_frame_reg(cpu, GICR_ISENABLER0) = haven;
	dsb(sy);
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR0_EL1, 0); /* the minimum: finest preemption */
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 0); /* the cell enables its group */
	write_sysreg(ICC_IGRPEN0_EL1, 1);
	isb();
}

static void clear_aprs(void)
{
	u32 bits = ICC_CTLR_PRIBITS(read_sysreg(ICC_CTLR_EL1));

	write_sysreg(ICC_AP1R0_EL1, 0);
	if (bits >= 6)
		write_sysreg(ICC_AP1R1_EL1, 0);
	if (bits >= 7) {
		write_sysreg(ICC_AP1R2_EL1, 0);
		write_sysreg(ICC_AP1R3_EL1, 0);
	}
}

/* The cell's SPIs that are active and routed to this CPU: deactivated. */
static void deactivate_spis(const struct cell *c, u64 mpidr)
{
	u32 n = hv.sys->platform.num_irqs, irq;

	for (irq = 32; irq < n && irq < HAVEN_MAX_IRQS; irq++) {
		u64 bank = irq / 32 * 4;
		u32 bit = BIT(irq % 32);

		if (cell_owns_irq(c, irq) &&
		    (mmio_read(gicd(GICD_ISACTIVER + bank), 4) & bit) &&
		    mpidr_affinity(mmio_read(gicd(GICD_IROUTER + irq * 8), 8)) ==
			    mpidr_affinity(mpidr))
			mmio_write(gicd(GICD_ICACTIVER + bank), bit, 4);
	}
}

/*
 * The CPU leaves the direct cell (it parks: stop, CPU_OFF, failure). The
 * cell may have left interrupts acknowledged and not ended: they are
 * deactivated in the redistributor and distributor, and only then the
 * active priorities cleared, 0 being the value that is consistent with no
 * interrupt being active (GIC spec 12.2.2; writing it while priorities are
 * still active is UNPREDICTABLE). Groups off, reset binary point, priority
 * mask and EOI mode: the next owner starts from the reset interface.
 */
void direct_cpu_exit(struct per_cpu *cpu)
{
	u32 haven = gic_havens_private_irqs(), i;

	write_sysreg(ICC_IGRPEN1_EL1, 0);
	write_sysreg(ICC_IGRPEN0_EL1, 0);
	isb();
	*sgi_frame_reg(cpu, GICR_ICENABLER0) = ~haven;
	*sgi_frame_reg(cpu, GICR_ICPENDR0) = ~haven;
	*sgi_frame_reg(cpu, GICR_ICACTIVER0) = ~haven;
	deactivate_spis(cpu->cell, cpu->mpidr);
	dsb(sy);
	clear_aprs();
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_PMR_EL1, 0);
	for (i = 0; i < 32; i++)
		if (haven & BIT(i))
			*gicr_prio(cpu, i) = saved_prio[cpu->index][i];
	*sgi_frame_reg(cpu, GICR_IGROUPR0) = ~0U; /* as Linux keeps them */
	dsb(sy);
	isb();
}

/*
 * A Group 0 interrupt taken from a direct cell: Haven's stop SGI (or, were
 * they ever to fire there, its maintenance and scheduler PPIs, which are
 * unused on a dedicated CPU). EOImode is 0: EOIR0 also deactivates.
 */
void handle_fiq(struct trap_frame *f)
{
	struct per_cpu *cpu = this_cpu();

	for (;;) {
		u32 intid = (u32)read_sysreg(ICC_IAR0_EL1) & 0xffffff;

		if (intid >= INTID_SPURIOUS)
			return;
		write_sysreg(ICC_EOIR0_EL1, intid);
		isb();
		count_trap(HAVEN_STAT_IRQ);
		if (intid == HAVEN_SGI) {
			if (cpu_handle_stop_request(f))
				return; /* parked and restarted: a new context */
			continue;
		}
		printk("CPU %u: Group 0 interrupt %u dropped\n", cpu->index, intid);
	}
}
