/* SPDX-License-Identifier: GPL-2.0-only */
/* Cells: a configuration, a stage-2 address space and a set of CPUs. */
#ifndef HAVEN_CELL_H
#define HAVEN_CELL_H

#include <hv.h>
#include <paging.h>

struct cell {
	const struct haven_cell *cfg;
	const char *name;
	u32 id;
	u32 vmid;
	u64 cpus;
	struct pt_root s2;
};

extern struct cell root_cell;

static inline bool cell_owns_irq(const struct cell *c, u32 irq)
{
	return irq < HAVEN_MAX_IRQS && (c->cfg->irqs[irq / 64] >> (irq % 64)) & 1;
}

/* stage2.c */
int stage2_map_region(struct cell *c, const struct haven_mem_region *r);
int stage2_map_ro(struct cell *c, u64 ipa, u64 pa, u64 size);
void stage2_cpu_enter(struct cell *c);

#endif
