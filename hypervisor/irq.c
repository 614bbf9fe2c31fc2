// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt delivery. Physical interrupts trap to EL2 (HCR_EL2.IMO); Haven
 * acknowledges them, drops the priority (ICC_CTLR_EL1.EOImode = 1) and puts
 * them into a list register of the virtual CPU interface. SPIs and PPIs go
 * in with the HW bit, so the guest's own deactivation deactivates the
 * physical interrupt (GICv3 spec 4.4.1 and 12.4.11).
 */
#include <cell.h>
#include <gic.h>
#include <sched.h>
#include <setup.h>
#include <smmu.h>
#include <sysregs.h>
#include <unit.h>

#define INTID_SPURIOUS 1020
#define INTID_LPI_BASE 8192
#define GUEST_PRIORITY 0xa0UL
#define GICR_SGI_BASE 0x10000
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1UL << 4)
#define GICR_FRAME_SIZE 0x20000

/* take_irqs: nothing acknowledged yet (irq_fast did not take one) */
#define ACK_NONE 0xffffffffU
/* irq_fast: the rest is handle_irq's, with the acknowledged INTID */
#define IRQ_SLOW (1UL << 32)

/* INTIDs 0-31 of a cell's, as opposed to Haven's own (irq_fast) */
static u32 cells_private_irqs;

static u64 lr_value(u32 intid, bool hw)
{
	u64 lr = ICH_LR_PENDING | ICH_LR_GROUP1 | GUEST_PRIORITY << ICH_LR_PRIO_SHIFT | intid;

	if (hw)
		lr |= ICH_LR_HW | (u64)intid << ICH_LR_PINTID_SHIFT;
	return lr;
}

/* Queue an interrupt for a list register; -1 (lost, logged) if full. */
int irq_queue_push(struct irq_queue *q, u32 cpu, u32 intid, bool hw)
{
	if (q->len == IRQ_QUEUE_LEN) {
		printk("CPU %u: interrupt %u lost, queue full\n", cpu, intid);
		return -1;
	}
	q->entry[(q->head + q->len++) % IRQ_QUEUE_LEN] = intid | (hw ? 1U << 31 : 0);
	return 0;
}

/* gic_inject() with some list register in use: empty are the free ones. */
static __attribute__((noinline)) int inject_busy(struct per_cpu *cpu, u32 intid, bool hw,
						 u64 empty, u64 all)
{
	u64 used = ~empty & all;

	while (used) {
		u32 n = (u32)__builtin_ctzl(used);
		u64 lr = read_lr(n);

		used &= used - 1;
		if ((lr & ICH_LR_VINTID_MASK) == intid) {
			write_lr(n, lr | ICH_LR_PENDING);
			return 0;
		}
	}
	if (empty) {
		write_lr((u32)__builtin_ctzl(empty), lr_value(intid, hw));
		return 0;
	}
	if (irq_queue_push(cpu->queue, cpu->index, intid, hw))
		return -1;
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | ICH_HCR_UIE);
	return 0;
}

/*
 * Put an interrupt into a list register. A software interrupt already in
 * one is merged (an LR may not hold the same vINTID twice); without a free
 * register it waits in the vCPU's queue until the underflow maintenance
 * interrupt. Returns 0, or -1 if even the queue is full (then it is lost,
 * and logged). ICH_ELRSR_EL2 names the free registers: only those in use
 * are read, and with all free (the common case) none.
 */
int gic_inject(struct per_cpu *cpu, u32 intid, bool hw)
{
	u64 all = (2UL << (cpu->num_lrs - 1)) - 1;
	u64 empty = read_sysreg(ICH_ELRSR_EL2) & all;

	if (empty != all)
		return inject_busy(cpu, intid, hw, empty, all);
	write_lr(0, lr_value(intid, hw));
	return 0;
}

/* Move queued interrupts into list registers that became free. */
void gic_refill_lrs(struct per_cpu *cpu)
{
	struct irq_queue *q = cpu->queue;
	u32 len = q->len;

	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	q->len = 0;
	while (len--) {
		u32 e = q->entry[q->head];

		q->head = (q->head + 1) % IRQ_QUEUE_LEN;
		gic_inject(cpu, e & ~(1U << 31), e >> 31);
	}
}

/* Haven's SGI: a stop request (dedicated CPU) or a scheduling event. */
static bool havens_sgi(struct per_cpu *cpu, struct trap_frame *f)
{
	if (cpu->sched) {
		cpu->sched->need_resched = true;
		return false;
	}
	return cpu_handle_stop_request(f); /* parked and restarted: a new context */
}

/*
 * Deliver intid, acknowledged already (ACK_NONE: nothing yet), and every
 * other pending physical interrupt. Returns false if the CPU parked on the
 * way (the frame is a new context).
 */
static bool take_irqs(struct per_cpu *cpu, struct trap_frame *f, u32 intid)
{
	if (intid == ACK_NONE) {
		/* a cell can disable the maintenance PPI in its redistributor frame */
		if (cpu->queue->len)
			gic_refill_lrs(cpu);
		intid = (u32)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
	}
	for (;; intid = (u32)read_sysreg(ICC_IAR1_EL1) & 0xffffff) {
		if (intid >= INTID_SPURIOUS && intid < INTID_LPI_BASE)
			return true;
		write_sysreg(ICC_EOIR1_EL1, intid); /* priority drop only */
		if (intid == hv.sys->platform.maintenance_irq) {
			write_sysreg(ICC_DIR_EL1, intid);
			count_trap(HAVEN_STAT_MAINTENANCE);
			gic_refill_lrs(cpu);
			continue;
		}
		count_trap(HAVEN_STAT_IRQ);
		if (intid >= 32 && smmu_handle_irq(intid)) {
			write_sysreg(ICC_DIR_EL1, intid);
			continue;
		}
		if (intid == HAVEN_SGI || intid == HAVEN_HYP_TIMER_PPI) {
			write_sysreg(ICC_DIR_EL1, intid);
			if (intid == HAVEN_HYP_TIMER_PPI) {
				count_trap(HAVEN_STAT_SCHED);
				sched_timer_irq(cpu);
			}
			else if (havens_sgi(cpu, f))
				return false;
			continue;
		}
		if (cpu->sched) {
			if (intid < 16)
				write_sysreg(ICC_DIR_EL1, intid); /* cells' SGIs are software here */
			else
				sched_route_irq(cpu, intid);
			continue;
		}
		if (intid >= 32 && intid < INTID_SPURIOUS && !cell_owns_irq(cpu->cell, intid)) {
			/* routed here before its owner changed: not this cell's */
			write_sysreg(ICC_DIR_EL1, intid);
			printk("CPU %u: SPI %u dropped, not owned by '%s'\n", cpu->index,
			       intid, cpu->cell->name);
			continue;
		}
		if (intid < 16) {
			/* SGIs are deactivated here and delivered as software interrupts */
			write_sysreg(ICC_DIR_EL1, intid);
			gic_inject(cpu, intid, false);
		} else {
			/* LPIs have no active state, so no HW link either */
			gic_inject(cpu, intid, intid < INTID_LPI_BASE);
		}
	}
}

/*
 * The common case, called by lower_irq (entry.S) with only the registers
 * a C function may clobber saved: on a CPU of its own (no scheduler) with
 * no interrupt waiting for a list register, one SGI, PPI or SPI of the
 * cell goes into a list register exactly as take_irqs() would put it.
 * Haven's own private interrupts, an SPI the cell does not own (SMMU ones
 * included: config_check.c gives them to no cell), LPIs and anything on a
 * shared CPU go on to handle_irq(): the return value is IRQ_SLOW | the
 * acknowledged INTID (ACK_NONE: none), or 0 when done. Other pending
 * interrupts are not polled for: they trap again at the exception return.
 */
u64 irq_fast(void)
{
	struct per_cpu *cpu = this_cpu();
	u32 intid;

	if (cpu->sched || cpu->queue->len)
		return IRQ_SLOW | ACK_NONE;
	intid = (u32)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
	if (intid < 32 ? !(cells_private_irqs & BIT(intid)) :
			 intid >= INTID_SPURIOUS || !cell_owns_irq(cpu->cell, intid)) {
		if (intid >= INTID_SPURIOUS && intid < INTID_LPI_BASE)
			return 0;
		return IRQ_SLOW | intid;
	}
	write_sysreg(ICC_EOIR1_EL1, intid); /* priority drop only */
	count_trap(HAVEN_STAT_IRQ);
	if (intid < 16)
		write_sysreg(ICC_DIR_EL1, intid); /* an SGI: software, as above */
	gic_inject(cpu, intid, intid >= 16);
	return 0;
}

void handle_irq(struct trap_frame *f, u32 acked)
{
	struct per_cpu *cpu = this_cpu();

	if (take_irqs(cpu, f, acked) && cpu->sched && cpu->sched->need_resched)
		sched_reschedule(f);
}

/* The scheduler's idle loop: interrupts taken at EL2 (sched.c). */
void irq_poll(struct trap_frame *f)
{
	take_irqs(this_cpu(), f, ACK_NONE);
}

/* ICC_SGI1R_EL1 for one CPU: INTID, Aff3.Aff2.Aff1, RS, Aff0 target list */
void gic_sgi_to_cpu(u32 cpu, u32 intid)
{
	u64 mpidr = hv.sys->platform.cpu_mpidr[cpu], aff0 = mpidr & 0xff;

	u64 sgir = (u64)intid << 24 | (mpidr & 0xff00UL) << 8 | ((mpidr >> 16) & 0xff) << 32 |
		   ((mpidr >> 32) & 0xff) << 48 | (aff0 / 16) << 44 | 1UL << (aff0 % 16);

	write_sysreg(ICC_SGI1R_EL1, sgir);
	/*
	 * Haven's SGI is Group 0 on a CPU of a direct cell (direct_irq.c): an
	 * SGI register generates only SGIs of its group at the target (GIC
	 * spec 12.2.21, 12.2.22), so send both; the other one is dropped, and
	 * a Haven SGI that finds nothing to do is harmless.
	 */
	if (intid == HAVEN_SGI)
		write_sysreg(ICC_SGI0R_EL1, sgir);
	isb();
}

/*
 * A trapped SGI: ICC_SGI1R_EL1 names targets by Aff3.Aff2.Aff1 and a list
 * of Aff0 values, or all but self (IRM). Only the cell's own CPUs are hit,
 * and Haven's own SGI is never sent for a cell.
 */
void gic_send_sgi(struct cell *c, u64 sgi1r)
{
	const struct haven_platform *p = &hv.sys->platform;
	u32 intid = (sgi1r >> 24) & 0xf;
	u64 irm = (sgi1r >> 40) & 1;
	u64 aff321 = ((sgi1r >> 16) & 0xff) << 8 | ((sgi1r >> 32) & 0xff) << 16 |
		     ((sgi1r >> 48) & 0xffUL) << 32;
	u64 rs = (sgi1r >> 44) & 0xf;
	u32 self = this_cpu()->index, i;
	u64 foreign = 0;

	if (intid == HAVEN_SGI) {
		cell_deny(c, "SGI %u is Haven's own\n", intid);
		return;
	}
	for (i = 0; i < p->num_cpus; i++) {
		u64 mpidr = p->cpu_mpidr[i];
		u64 aff0 = mpidr & 0xff;
		bool hit;

		if (irm)
			hit = i != self;
		else
			hit = (mpidr & 0xff00ffff00UL) == aff321 && aff0 / 16 == rs &&
			      (sgi1r & (1UL << (aff0 % 16)));
		if (hit && (c->cpus & (1UL << i)) && sched_vcpu(c, i))
			sched_send_sgi(sched_vcpu(c, i), intid);
		else if (hit && (c->cpus & (1UL << i)))
			gic_sgi_to_cpu(i, intid);
		else if (hit && !irm)
			foreign |= 1UL << i;
	}
	if (foreign)
		cell_deny(c, "SGI %u to CPUs 0x%lx, not its own\n", intid, foreign);
}

volatile u32 *sgi_frame_reg(struct per_cpu *cpu, u32 off)
{
	return (volatile u32 *)(cpu->gicr_base + GICR_SGI_BASE + off);
}

/* Find this CPU's redistributor by its affinity (GICR_TYPER[63:32]). */
static u64 find_gicr(u64 mpidr)
{
	const struct haven_platform *p = &hv.sys->platform;
	u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	u64 frame;

	for (frame = p->gicr_base; frame < p->gicr_base + p->gicr_size;
	     frame += GICR_FRAME_SIZE) {
		u64 typer = *(volatile u64 *)(frame + GICR_TYPER);

		if ((typer >> 32) == aff)
			return frame;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

/*
 * A cell other than the root starts from a clean interface: its SGIs and
 * PPIs disabled, not pending, not active (but Haven's maintenance PPI), and
 * a reset virtual CPU interface (VMCR 0: groups off, priority mask 0).
 * Haven's own maintenance PPI and SGI stay enabled.
 */
static void gic_reset_private_irqs(struct per_cpu *cpu)
{
	u32 keep = gic_havens_private_irqs();

	*sgi_frame_reg(cpu, GICR_ICENABLER0) = ~keep;
	*sgi_frame_reg(cpu, GICR_ICPENDR0) = ~keep;
	*sgi_frame_reg(cpu, GICR_ICACTIVER0) = ~keep;
	dsb(sy);
}

/*
 * Switch the CPU's guest to the virtual CPU interface. The root keeps the
 * state Linux set up on the physical one (priority mask, group enable,
 * binary point, EOI mode), so it does not notice the switch.
 */
static int gic_cpu_init(struct per_cpu *cpu)
{
	bool root = cpu->cell == &root_cell;
	u64 ctlr, vmcr;
	u32 n;

	cpu->gicr_base = find_gicr(cpu->mpidr);
	if (!cpu->gicr_base)
		return trace_error(HAVEN_E_HW);
	cpu->num_lrs = (u32)(read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
	write_sysreg(ICC_SRE_EL2, 0xf); /* SRE, DFB, DIB, EL1 access enable */
	isb();
	ctlr = read_sysreg(ICC_CTLR_EL1);
	if (root) {
		vmcr = (read_sysreg(ICC_PMR_EL1) & 0xff) << ICH_VMCR_VPMR_SHIFT |
		       (read_sysreg(ICC_BPR1_EL1) & 7) << ICH_VMCR_VBPR1_SHIFT |
		       (read_sysreg(ICC_IGRPEN1_EL1) & 1 ? ICH_VMCR_VENG1 : 0) |
		       (ctlr & ICC_CTLR_EOIMODE ? ICH_VMCR_VEOIM : 0) |
		       (ctlr & ICC_CTLR_CBPR ? ICH_VMCR_VCBPR : 0);
	} else {
		vmcr = 0;
		gic_reset_private_irqs(cpu);
	}
	for (n = 0; n < cpu->num_lrs; n++)
		write_lr(n, 0);
	write_sysreg(ICH_AP1R0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, vmcr);
	if (cell_direct_irq(cpu->cell)) {
		direct_cpu_enter(cpu);
		return 0;
	}
	WRITE_ONCE(cells_private_irqs, ~gic_havens_private_irqs());
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	/* EL2 takes the physical interrupts from now on */
	write_sysreg(ICC_CTLR_EL1, ctlr | ICC_CTLR_EOIMODE);
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	/* Haven's own: the maintenance PPI and the stop SGI (Group 1, as Linux left them) */
	*sgi_frame_reg(cpu, GICR_ISENABLER0) =
		gic_havens_private_irqs();
	isb();
	return 0;
}

/*
 * Hand pending interrupts back to the physical interface before leaving
 * (the root, at disable); a stopping cell's interrupts end with it.
 */
static void return_interrupt(struct per_cpu *cpu, u32 intid, bool hw, bool pending)
{
	if (hw)
		write_sysreg(ICC_DIR_EL1, intid);
	if (!pending || intid >= INTID_LPI_BASE || cpu->cell != &root_cell)
		return; /* LPIs cannot be made pending again from here */
	if (intid < 32)
		*sgi_frame_reg(cpu, GICR_ISPENDR0) = 1U << intid;
	else
		gicd_set_pending(intid, true);
}

static void gic_cpu_exit(struct per_cpu *cpu)
{
	u64 vmcr = read_sysreg(ICH_VMCR_EL2), ctlr = read_sysreg(ICC_CTLR_EL1);
	u32 n;

	if (cell_direct_irq(cpu->cell)) {
		direct_cpu_exit(cpu);
		return;
	}
	for (n = 0; n < cpu->num_lrs; n++) {
		u64 lr = read_lr(n);

		if (lr & ICH_LR_STATE_MASK)
			return_interrupt(cpu, (u32)lr, lr & ICH_LR_HW, lr & ICH_LR_PENDING);
		write_lr(n, 0);
	}
	while (cpu->queue->len) {
		u32 e = cpu->queue->entry[cpu->queue->head];

		cpu->queue->head = (cpu->queue->head + 1) % IRQ_QUEUE_LEN;
		cpu->queue->len--;
		return_interrupt(cpu, e & ~(1U << 31), e >> 31, true);
	}
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICC_PMR_EL1, (vmcr >> ICH_VMCR_VPMR_SHIFT) & 0xff);
	write_sysreg(ICC_BPR1_EL1, (vmcr >> ICH_VMCR_VBPR1_SHIFT) & 7);
	write_sysreg(ICC_IGRPEN1_EL1, vmcr & ICH_VMCR_VENG1 ? 1 : 0);
	write_sysreg(ICC_CTLR_EL1, (ctlr & ~ICC_CTLR_EOIMODE) |
					   (vmcr & ICH_VMCR_VEOIM ? ICC_CTLR_EOIMODE : 0));
	isb();
}

HV_UNIT(3, gic, .cpu_init = gic_cpu_init, .cpu_exit = gic_cpu_exit);
