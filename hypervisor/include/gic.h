/* SPDX-License-Identifier: GPL-2.0-only */
/* GICv3: distributor filtering and interrupt delivery through list registers. */
#ifndef HAVEN_GIC_H
#define HAVEN_GIC_H

#include <percpu.h>
#include <setup.h>

struct cell;
struct mmio_access;

/* gicd.c: emulate a cell's access to the distributor page */
void gicd_mmio(struct cell *c, struct mmio_access *a);
bool gicd_contains(u64 addr);
void gicd_set_pending(u32 irq, bool pending);
/* disable and unpend the interrupts of mask, INTIDs 64 * word.. */
void gicd_quiesce(u32 word, u64 mask);
/* Haven's own SPIs (the SMMU's): enabled and routed to this CPU, or off */
void gicd_claim_spi(u32 irq);
void gicd_release_spi(u32 irq);

/* the SGI/PPI configuration page of one of the cell's redistributors */
void gic_private_mmio(struct cell *c, struct mmio_access *a, u64 page);

/* gicr.c: a trapped redistributor access; false if not one Haven emulates */
bool gicr_mmio(struct cell *c, struct mmio_access *a);
/* leave the configuration pages of frames in [pa, pa + size) unmapped */
int gicr_unmap_config_pages(struct cell *c, u64 ipa, u64 pa, u64 size);

/* direct_irq.c: cells with direct interrupt delivery */
long direct_irq_check(u64 *detail);
void direct_irq_take(const struct cell *c);
void direct_cpu_enter(struct per_cpu *cpu);
void direct_cpu_exit(struct per_cpu *cpu);
void handle_fiq(struct trap_frame *f);
/* a direct cell's distributor/redistributor write of owned bits, and read */
u64 direct_irq_write(u64 base, u64 value, u64 owned, u32 size);
u64 direct_irq_read(u64 base, u64 cur, u32 size);

/* irq.c; lower_irq (entry.S) calls irq_fast, then handle_irq unless it returned 0 */
u64 irq_fast(void);
void handle_irq(struct trap_frame *f, u32 acked);
void irq_poll(struct trap_frame *f);
int gic_inject(struct per_cpu *cpu, u32 intid, bool hw);
/* emulate a trapped ICC_SGI1R_EL1 write */
void gic_send_sgi(struct cell *c, u64 sgi1r);
/* send SGI intid to one physical CPU */
void gic_sgi_to_cpu(u32 cpu, u32 intid);
/* queue an interrupt for a list register (-1: queue full, logged) */
int irq_queue_push(struct irq_queue *q, u32 cpu, u32 intid, bool hw);
void gic_refill_lrs(struct per_cpu *cpu);
/* gic_lr.S */
u64 read_lr(u32 n);
void write_lr(u32 n, u64 v);
/* a register of the CPU's redistributor SGI/PPI page (GICR_SGI_BASE + off) */
volatile u32 *sgi_frame_reg(struct per_cpu *cpu, u32 off);
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define HAVEN_SGI 15 /* Haven's own; a cell's writes of it are dropped */
#define HAVEN_HYP_TIMER_PPI 26 /* CNTHP (Arm BSA): the scheduler's timer */

/* Haven's own private interrupts, its SGI and maintenance PPI: no cell's */
static inline u32 gic_havens_private_irqs(void)
{
	return 1U << hv.sys->platform.maintenance_irq | 1U << HAVEN_SGI |
	       1U << HAVEN_HYP_TIMER_PPI;
}

#endif
