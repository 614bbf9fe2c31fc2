// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GIC side of vCPUs on a shared CPU. The virtual CPU interface (list
 * registers, active priorities, VMCR; GIC spec 12.4) is saved and loaded
 * with the vCPU; interrupts that arrive for a descheduled vCPU wait in its
 * queue and enter list registers when it runs again. The redistributor's
 * SGI/PPI configuration is per vCPU and emulated: the physical one holds
 * the running vCPU's enables, and cells' SGIs to a shared CPU are software
 * (a pending bitmap plus Haven's SGI as a doorbell). A HW-linked PPI that a
 * descheduled vCPU still has in a list register (its timer) has its
 * physical active state saved with it (as KVM does), so the next vCPU's
 * timer interrupt is not held back by it.
 */
#include <cell.h>
#include <gic.h>
#include <lib.h>
#include <mmio.h>
#include <sched.h>
#include <sysregs.h>

#define GICR_SGI_BASE 0x10000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_TYPER_LPIS 0xbUL /* PLPIS, VLPIS, DirectLPI: no LPIs here */
#define GICR_PIDR2 0xffe8
#define GICR_IGROUPR0 0x0080
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04
#define SGI_CFG 0xaaaaaaaaU /* SGIs are edge-triggered, read-only */

static u32 num_aprs(void)
{
	u32 pre = (u32)((read_sysreg(ICH_VTR_EL2) >> 26) & 7) + 1;

	return pre > 5 ? 1U << (pre - 5) : 1;
}

static void access_aprs(u64 *ap, bool save)
{
	u32 n = num_aprs();

#define APR(i)                                                                 \
	if ((i) < n) {                                                         \
		if (save)                                                      \
			ap[i] = read_sysreg(ich_ap1r##i##_el2);                \
		else                                                           \
			write_sysreg(ich_ap1r##i##_el2, ap[i]);                \
	}
	APR(0) APR(1) APR(2) APR(3)
#undef APR
}

/* The cell's SGIs and PPIs (Haven's private ones never are). */
static u32 owned_private(const struct cell *c)
{
	return (u32)c->irqs[0] & ~gic_havens_private_irqs();
}

static bool hw_ppi(u64 lr)
{
	return (lr & ICH_LR_HW) && (lr & ICH_LR_STATE_MASK) &&
	       ((lr >> ICH_LR_PINTID_SHIFT) & 0x3ff) < 32;
}

static u32 lr_pintid(u64 lr)
{
	return (lr >> ICH_LR_PINTID_SHIFT) & 0x3ff;
}

/* The physical PPI enables are the running vCPU's (SGIs stay software). */
static void apply_enables(struct per_cpu *cpu, const struct vcpu *v)
{
	u32 on = v ? v->gic.enabled & owned_private(v->cell) & 0xffff0000U : 0;

	*sgi_frame_reg(cpu, GICR_ICENABLER0) = ~(on | gic_havens_private_irqs());
	*sgi_frame_reg(cpu, GICR_ISENABLER0) = on | gic_havens_private_irqs();
	dsb(sy);
}

void vgic_save(struct per_cpu *cpu, struct vcpu *v)
{
	u32 n;

	for (n = 0; n < cpu->num_lrs; n++) {
		u64 lr = read_lr(n);

		v->gic.lr[n] = lr;
		if (hw_ppi(lr))
			*sgi_frame_reg(cpu, GICR_ICACTIVER0) = BIT(lr_pintid(lr));
		write_lr(n, 0);
	}
	access_aprs(v->gic.ap1r, true);
	v->gic.vmcr = read_sysreg(ICH_VMCR_EL2);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	apply_enables(cpu, 0);
}

/* cpu->queue is already v's (vcpu_enter). */
void vgic_restore(struct per_cpu *cpu, struct vcpu *v)
{
	u32 n;

	write_sysreg(ICH_VMCR_EL2, v->gic.vmcr);
	access_aprs(v->gic.ap1r, false);
	for (n = 0; n < cpu->num_lrs; n++) {
		if (hw_ppi(v->gic.lr[n]))
			*sgi_frame_reg(cpu, GICR_ISACTIVER0) = BIT(lr_pintid(v->gic.lr[n]));
		write_lr(n, v->gic.lr[n]);
	}
	apply_enables(cpu, v);
	isb();
	gic_refill_lrs(cpu);
	vgic_drain_sgis(cpu, v);
}

void vgic_reset(struct vcpu *v)
{
	memset(&v->gic, 0, sizeof(v->gic));
	v->gic.cfg[0] = SGI_CFG;
}

/* A parking vCPU's interrupts end with it (HW-linked ones deactivated). */
void vgic_drop(struct per_cpu *cpu, struct vcpu *v)
{
	struct irq_queue *q = &v->gic.queue;
	u32 n;

	for (n = 0; n < cpu->num_lrs; n++) {
		u64 lr = read_lr(n);

		if ((lr & ICH_LR_HW) && (lr & ICH_LR_STATE_MASK))
			write_sysreg(ICC_DIR_EL1, lr_pintid(lr));
		write_lr(n, 0);
	}
	for (; q->len; q->len--, q->head = (q->head + 1) % IRQ_QUEUE_LEN)
		if (q->entry[q->head] >> 31)
			write_sysreg(ICC_DIR_EL1, q->entry[q->head] & 0x3ff);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	write_sysreg(ICH_VMCR_EL2, 0);
	apply_enables(cpu, 0);
	vgic_reset(v);
}

/* Does the running vCPU have an interrupt to take (WFI completes)? */
bool vgic_has_pending(struct per_cpu *cpu, struct vcpu *v)
{
	u32 n;

	if (cpu->queue->len ||
	    (READ_ONCE(v->gic.sgi_pending) & v->gic.enabled))
		return true;
	for (n = 0; n < cpu->num_lrs; n++)
		if (read_lr(n) & ICH_LR_PENDING)
			return true;
	return false;
}

/* The running vCPU's enabled software SGIs into list registers. */
void vgic_drain_sgis(struct per_cpu *cpu, struct vcpu *v)
{
	u32 sgis = __atomic_fetch_and(&v->gic.sgi_pending, ~v->gic.enabled,
				      __ATOMIC_SEQ_CST) & v->gic.enabled;

	while (sgis) {
		u32 i = (u32)__builtin_ctz(sgis);

		sgis &= sgis - 1;
		gic_inject(cpu, i, false);
	}
}

void vgic_send_sgi(struct vcpu *v, u32 intid)
{
	__atomic_or_fetch(&v->gic.sgi_pending, BIT(intid), __ATOMIC_SEQ_CST);
}

/* --- the emulated redistributor frame of a shared CPU ---------------------- */

static bool rd_base_read(struct mmio_access *a, u64 frame, u64 off)
{
	if (a->write)
		return true; /* RD_base: writes ignored (no LPIs, no power control) */
	if ((off == GICR_TYPER && a->size == 8) || (off == GICR_TYPER && a->size == 4))
		a->value = mmio_read(frame + off, a->size) & ~GICR_TYPER_LPIS;
	else if ((off == GICR_TYPER + 4 || off == GICR_PIDR2 || off == GICR_IIDR) &&
		 a->size == 4)
		a->value = mmio_read(frame + off, 4);
	else
		a->value = 0; /* GICR_CTLR, GICR_WAKER, ...: nothing enabled, awake */
	return true;
}

static void set_bits(u32 *reg, u32 owned, bool write, u64 *value, bool set, bool clear)
{
	if (!write) {
		*value = *reg;
		return;
	}
	if (set)
		*reg |= (u32)*value & owned;
	else if (clear)
		*reg &= ~((u32)*value & owned);
	else
		*reg = (*reg & ~owned) | ((u32)*value & owned);
}

static void priority_access(struct vcpu *v, struct mmio_access *a, u64 off, u32 owned)
{
	u32 first = (u32)(off - GICR_IPRIORITYR), i;

	if (!a->write)
		a->value = 0;
	for (i = 0; i < a->size; i++) {
		if (a->write && (owned & BIT(first + i)))
			v->gic.prio[first + i] = (u8)(a->value >> (8 * i));
		else if (!a->write)
			a->value |= (u64)v->gic.prio[first + i] << (8 * i);
	}
}

static u32 cfg_owned(u32 owned, u32 first)
{
	u32 m = 0, i;

	for (i = 0; i < 16; i++)
		if (owned & BIT(first + i))
			m |= 3U << (2 * i);
	return m;
}

static void sgi_base_access(struct vcpu *v, struct mmio_access *a, u64 off)
{
	u32 owned = owned_private(v->cell);
	u64 unused = 0, *value = &a->value;

	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32 &&
	    (a->size == 1 || (a->size == 4 && !(off & 3)))) {
		priority_access(v, a, off, owned);
		return;
	}
	if (a->size != 4)
		value = &unused;
	switch (off) {
	case GICR_IGROUPR0:
		set_bits(&v->gic.group, owned, a->write, value, false, false);
		break;
	case GICR_ISENABLER0:
	case GICR_ICENABLER0:
		set_bits(&v->gic.enabled, owned, a->write, value, off == GICR_ISENABLER0,
			 off == GICR_ICENABLER0);
		break;
	case GICR_ISPENDR0:
		if (a->write)
			__atomic_or_fetch(&v->gic.sgi_pending, (u32)*value & owned & 0xffff,
					  __ATOMIC_SEQ_CST);
		else
			*value = READ_ONCE(v->gic.sgi_pending);
		break;
	case GICR_ICPENDR0:
		if (a->write)
			__atomic_and_fetch(&v->gic.sgi_pending, ~((u32)*value & owned),
					   __ATOMIC_SEQ_CST);
		else
			*value = READ_ONCE(v->gic.sgi_pending);
		break;
	case GICR_ICFGR0:
		if (!a->write)
			*value = SGI_CFG;
		break;
	case GICR_ICFGR1:
		set_bits(&v->gic.cfg[1], cfg_owned(owned, 16), a->write, value, false, false);
		break;
	default: /* active state, group modifier, NSACR: RAZ/WI */
		if (!a->write)
			*value = 0;
	}
	if (!a->write && value == &unused)
		a->value = 0;
}

/*
 * A trapped access to the redistributor frame of a shared CPU, at offset
 * off in the frame (RD_base, then SGI_base). The running vCPU's physical
 * enables follow its emulated ones at once.
 */
bool vgicr_mmio(struct vcpu *v, struct mmio_access *a, u64 off)
{
	struct per_cpu *cpu = this_cpu();
	u64 frame = a->addr - off;

	if (off < GICR_SGI_BASE)
		return rd_base_read(a, frame, off);
	sgi_base_access(v, a, off - GICR_SGI_BASE);
	if (a->write && cpu->sched && cpu->sched->cur == v) {
		apply_enables(cpu, v);
		vgic_drain_sgis(cpu, v);
	}
	return true;
}
