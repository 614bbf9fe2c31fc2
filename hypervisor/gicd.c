// SPDX-License-Identifier: GPL-2.0-only
/*
 * GIC distributor filter. The distributor is never mapped into a cell;
 * every access traps here and only touches interrupts the cell owns:
 * writes to foreign bits are dropped, reads of them return zero
 * (GICv3 spec 12.9). Routing may only name the cell's own CPUs.
 */
#include <cell.h>
#include <gic.h>
#include <mmio.h>
#include <setup.h>
#include <spinlock.h>
#include <sysregs.h>

#define GICD_CTLR 0x0000
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_IROUTER 0x6100 /* IROUTER<32> */
#define GICD_IROUTER_END 0x7fe0
#define GICD_IDREGS 0xffd0
#define IROUTER_IRM (1UL << 31)
#define GICD_TYPER 0x0004
/* no LPIs or message-based SPIs for a cell: the ITS stays the root's */
#define GICD_TYPER_CELL_HIDDEN (BIT(17) | BIT(16))

/* read-modify-write of shared registers: one cell at a time */
static spinlock_t gicd_lock;

bool gicd_contains(u64 addr)
{
	const struct haven_platform *p = &hv.sys->platform;

	return addr >= p->gicd_base && addr < p->gicd_base + p->gicd_size;
}

/*
 * The interrupts the cell's configuration gives it among the n from first
 * (n <= 32 and first a multiple of n, as a naturally aligned register
 * access gives them): one word of its ownership bitmap, no loop.
 */
static u32 declared_irqs(const struct cell *c, u32 first, u32 n)
{
	u32 bits;

	if (first >= HAVEN_MAX_IRQS)
		return 0;
	bits = (u32)(READ_ONCE(c->irqs[first / 64]) >> (first % 64));
	return n < 32 ? bits & ((u32)BIT(n) - 1) : bits;
}

/* Of those, the ones it may touch: never Haven's own SGI or maintenance PPI. */
static u32 touchable_irqs(u32 declared, u32 first)
{
	return first < 32 ? declared & ~(gic_havens_private_irqs() >> first) : declared;
}

/* One bit per interrupt spread to a field of bits_per_irq (1, 2 or 8) bits each. */
static inline u64 spread_fields(u32 bits, u32 bits_per_irq)
{
	u64 x = bits;

	if (bits_per_irq == 2) {
		/* 16 interrupts: bit i to bits 2i and 2i + 1 */
		x &= 0xffff;
		x = (x | x << 8) & 0x00ff00ffUL;
		x = (x | x << 4) & 0x0f0f0f0fUL;
		x = (x | x << 2) & 0x33333333UL;
		x = (x | x << 1) & 0x55555555UL;
		return x * 3;
	}
	if (bits_per_irq == 8) /* 4 interrupts: bit i to byte i (no carries) */
		return ((x & 0xf) * 0x00204081UL & 0x01010101UL) * 0xff;
	return x;
}

/*
 * Kinds of refused writes, each logged once per start (cell_deny.c): the
 * distributor's banks by offset (IGROUPR 1 ... ICACTIVER 7, IPRIORITYR 8,
 * ICFGR 24, IGRPMODR 26), IROUTER, and the same for a redistributor's SGI page.
 */
#define DENY_KIND_IROUTER 27
#define DENY_KIND_SGI_PAGE 28

static u32 deny_kind(u64 reg, u64 base)
{
	u32 bank = (u32)(base >> 7);

	if (bank > 8 && bank < 24)
		bank = 8; /* IPRIORITYR spans eight banks */
	return reg == hv.sys->platform.gicd_base ? (u32)BIT(bank) : (u32)BIT(DENY_KIND_SGI_PAGE);
}

static u64 size_mask(u32 size)
{
	return size == 8 ? ~0UL : (1UL << (size * 8)) - 1;
}

/*
 * Foreign bits a write tries to touch: any foreign bit written as 1 to a
 * set/clear register, or a foreign field written with another value than
 * it holds. Writing back what is there (a Linux cell initialising whole
 * priority or configuration registers) is no violation.
 */
static u64 foreign_change(u64 value, u64 cur, u64 foreign, bool set_clear)
{
	return (set_clear ? value : value ^ cur) & foreign;
}

/* A write of such a register: mask the fields it may touch, foreign those it does not own. */
static __attribute__((noinline)) void write_irq_field(struct cell *c, struct mmio_access *a,
						       u64 reg, u64 base, u64 mask, u64 foreign,
						       u32 first_irq, bool set_clear)
{
	u64 cur = mmio_read(a->addr, a->size);

	if (cell_direct_irq(c))
		a->value = direct_irq_write(base, a->value, mask, a->size);
	if (foreign_change(a->value, cur, foreign, set_clear))
		cell_deny_kind(c, deny_kind(reg, base), "%s write 0x%lx at +0x%lx changes INTIDs from %u it does not own\n",
			  reg == hv.sys->platform.gicd_base ? "GICD" : "GICR SGI page",
			  a->value, a->addr - reg, first_irq);
	if (set_clear) {
		/* write-1-to-set/clear: zero bits have no effect */
		mmio_write(a->addr, a->value & mask, a->size);
		return;
	}
	spin_lock(&gicd_lock);
	mmio_write(a->addr, (mmio_read(a->addr, a->size) & ~mask) | (a->value & mask),
		   a->size);
	spin_unlock(&gicd_lock);
}

/* Registers with a field of bits_per_irq bits per interrupt, starting at base. */
static void access_irq_field(struct cell *c, struct mmio_access *a, u64 reg,
			     u64 base, u32 bits_per_irq, bool set_clear)
{
	u32 first_irq = (u32)((a->addr - reg - base) * 8 / bits_per_irq);
	u32 declared = declared_irqs(c, first_irq, a->size * 8 / bits_per_irq);
	/* the fields the cell may touch */
	u64 mask = spread_fields(touchable_irqs(declared, first_irq), bits_per_irq);
	u64 cur;

	if (a->write) {
		/* Haven's SGI and maintenance PPI are kept silently: Linux clears them all */
		write_irq_field(c, a, reg, base, mask,
				~spread_fields(declared, bits_per_irq) & size_mask(a->size),
				first_irq, set_clear);
		return;
	}
	cur = mmio_read(a->addr, a->size);
	a->value = (cell_direct_irq(c) ? direct_irq_read(base, cur, a->size) : cur) & mask;
}

/* IROUTER: the target must be one of the cell's CPUs (no 1-of-N unless all). */
static bool route_allowed(struct cell *c, u64 route)
{
	int cpu;

	if (route & IROUTER_IRM)
		return c->cpus == (1UL << hv.sys->platform.num_cpus) - 1;
	cpu = cpu_by_mpidr(route);
	return cpu >= 0 && (c->cpus & (1UL << cpu));
}

static void access_irouter(struct cell *c, struct mmio_access *a, u64 reg)
{
	u32 irq = (u32)((a->addr - reg - 0x6000) / 8);
	u64 word = a->addr & ~7UL;

	if (!cell_owns_irq(c, irq) || (a->size != 8 && a->size != 4)) {
		if (a->write && a->value != mmio_read(a->addr, a->size))
			cell_deny_kind(c, BIT(DENY_KIND_IROUTER), "GICD_IROUTER%u <- 0x%lx: INTID %u is not its own\n", irq,
				  a->value, irq);
		a->value = 0;
		return;
	}
	if (!a->write) {
		a->value = mmio_read(a->addr, a->size);
		return;
	}
	spin_lock(&gicd_lock);
	if (a->size == 4) {
		u64 old = mmio_read(word, 8);
		u32 shift = (a->addr & 4) * 8;

		a->value = (old & ~(0xffffffffUL << shift)) | (a->value & 0xffffffffUL) << shift;
	}
	if (route_allowed(c, a->value))
		mmio_write(word, a->value, 8);
	else
		cell_deny(c, "GICD_IROUTER%u <- 0x%lx: not one of its CPUs\n", irq, a->value);
	spin_unlock(&gicd_lock);
}

/*
 * The SGI/PPI configuration page of a redistributor frame of one of the
 * cell's CPUs (GICv3 spec 12.10): the same per-interrupt registers as the
 * distributor's first words, for INTIDs 0-31. Filtered like the
 * distributor, so that a cell cannot disable, unpend, deactivate, regroup
 * or reprioritise Haven's SGI and maintenance PPI; other offsets RAZ/WI.
 */
void gic_private_mmio(struct cell *c, struct mmio_access *a, u64 page)
{
	u64 off = a->addr - page;

	if (a->size != 4 && !(a->size == 1 && off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32))
		goto ignore;
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 4)
		access_irq_field(c, a, page, GICD_IGROUPR, 1, false);
	else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR && (off & 0x7f) < 4)
		access_irq_field(c, a, page, off & ~0x7fUL, 1, true);
	else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32)
		access_irq_field(c, a, page, GICD_IPRIORITYR, 8, false);
	else if (off >= GICD_ICFGR && off < GICD_ICFGR + 8)
		access_irq_field(c, a, page, GICD_ICFGR, 2, false);
	else if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 4)
		access_irq_field(c, a, page, GICD_IGRPMODR, 1, false);
	else
		goto ignore;
	return;
ignore:
	if (!a->write)
		a->value = 0;
}

/* Disable and clear the pending state of the interrupts of mask (64 INTIDs from 64 * word). */
void gicd_quiesce(u32 word, u64 mask)
{
	u64 base = hv.sys->platform.gicd_base + word * 8;

	if (!mask || word * 64 >= hv.sys->platform.num_irqs)
		return;
	mmio_write(base + GICD_ICENABLER, mask & 0xffffffffUL, 4);
	mmio_write(base + GICD_ICENABLER + 4, mask >> 32, 4);
	mmio_write(base + GICD_ICPENDR, mask & 0xffffffffUL, 4);
	mmio_write(base + GICD_ICPENDR + 4, mask >> 32, 4);
}

/*
 * One of Haven's own SPIs (smmu.c): edge-triggered (the SMMU pulses its
 * wired interrupts, SMMUv3 spec 3.18), group 1, enabled, routed to this CPU.
 */
void gicd_claim_spi(u32 irq)
{
	u64 base = hv.sys->platform.gicd_base;
	u64 icfgr = base + GICD_ICFGR + irq / 16 * 4;

	mmio_write(icfgr, mmio_read(icfgr, 4) | 2UL << (irq % 16 * 2), 4);
	mmio_write(base + GICD_IGROUPR + irq / 32 * 4,
		   mmio_read(base + GICD_IGROUPR + irq / 32 * 4, 4) | BIT(irq % 32), 4);
	mmio_write(base + GICD_IPRIORITYR + irq, 0x80, 1);
	mmio_write(base + GICD_IROUTER - 0x100 + irq * 8, mpidr_affinity(read_sysreg(mpidr_el1)), 8);
	mmio_write(base + GICD_ISENABLER + irq / 32 * 4, BIT(irq % 32), 4);
}

void gicd_release_spi(u32 irq)
{
	gicd_quiesce(irq / 64, BIT(irq % 64));
}

/* Pending state of an SPI without a device behind it (vuart.c). */
void gicd_set_pending(u32 irq, bool pending)
{
	u64 reg = hv.sys->platform.gicd_base + (pending ? GICD_ISPENDR : GICD_ICPENDR);

	mmio_write(reg + irq / 32 * 4, 1UL << (irq % 32), 4);
}

void gicd_mmio(struct cell *c, struct mmio_access *a)
{
	u64 reg = hv.sys->platform.gicd_base;
	u64 off = a->addr - reg;

	/* all registers take 32-bit accesses; priorities also bytes, routes 64 bits */
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END) {
		access_irouter(c, a, reg);
		return;
	}
	if (a->size != 4 && !(a->size == 1 && off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400))
		goto ignore;
	if (off >= GICD_IGROUPR && off < GICD_ISENABLER)
		access_irq_field(c, a, reg, GICD_IGROUPR, 1, false);
	else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR)
		access_irq_field(c, a, reg, off & ~0x7fUL, 1, true);
	else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
		access_irq_field(c, a, reg, GICD_IPRIORITYR, 8, false);
	else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		access_irq_field(c, a, reg, GICD_ICFGR, 2, false);
	else if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80)
		access_irq_field(c, a, reg, GICD_IGRPMODR, 1, false);
	else if (off < 0x10 || off >= GICD_IDREGS)
		/* CTLR, TYPER, IIDR, TYPER2, ID registers: read-only view */
		goto read_only;
	else
		goto ignore;
	return;

read_only:
	if (!a->write) {
		a->value = mmio_read(a->addr, a->size);
		if (off == GICD_TYPER && c != &root_cell)
			a->value &= ~GICD_TYPER_CELL_HIDDEN;
		return;
	}
ignore:
	/* GICD_CTLR is the root's: other cells' writes of it are expected */
	if (a->write && !(off == GICD_CTLR && c != &root_cell))
		cell_deny(c, "GICD write 0x%lx (size %u) at +0x%lx ignored\n", a->value,
			  a->size, off);
	a->value = 0;
}
