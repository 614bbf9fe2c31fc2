// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cell table and the CPU side of a cell. The root cell (Linux, which
 * loaded Haven) runs on stage-2 tables built from exactly its configured
 * regions; hypervisor memory and everything unlisted stay unmapped. The
 * console ring is the one exception, mapped read-only so the driver can
 * read the log without a hypercall. Other cells are built by cell_control.c.
 */
#include <cell.h>
#include <config_check.h>
#include <lib.h>
#include <setup.h>
#include <sysregs.h>
#include <unit.h>

extern const char __console_start[], __console_end[];

struct cell cells[HAVEN_MAX_CELLS];

const struct haven_mem_region *cell_regions(const struct cell *c)
{
	return haven_cfg_regions(hv.config, c->cfg);
}

/* The cell that owns a CPU now: a created cell holding it, else the root. */
struct cell *cell_of_cpu(u32 cpu)
{
	u32 i;

	for (i = 1; i < HAVEN_MAX_CELLS; i++)
		if (READ_ONCE(cells[i].state) != HAVEN_CELL_NONE &&
		    (cells[i].cpus & BIT(cpu)))
			return &cells[i];
	return &root_cell;
}

static int root_cell_init(void)
{
	const struct haven_mem_region *r;
	u32 i;

	root_cell.cfg = &hv.sys->root;
	root_cell.name = root_cell.cfg->name;
	root_cell.id = 0;
	root_cell.vmid = 1;
	root_cell.cpus = root_cell.cfg->cpus;
	memcpy(root_cell.irqs, root_cell.cfg->irqs, sizeof(root_cell.irqs));
	root_cell.state = HAVEN_CELL_RUNNING;
	root_cell.s2.table = (u64 *)mem_pool_alloc(&hv.pool);
	root_cell.s2.start_level = 1;
	if (!root_cell.s2.table)
		return trace_error(HAVEN_E_NOMEM);

	r = cell_regions(&root_cell);
	for (i = 0; i < root_cell.cfg->num_mem_regions; i++)
		if (stage2_map_region(&root_cell, &r[i]))
			return trace_error(HAVEN_E_NOMEM);
	if (stage2_map(&root_cell, (u64)__console_start, (u64)__console_start,
		       (u64)(__console_end - __console_start), HAVEN_MEM_READ))
		return trace_error(HAVEN_E_NOMEM);
	printk("root cell '%s': %u regions, %lu pool pages used\n",
	       root_cell.name, root_cell.cfg->num_mem_regions, hv.pool.used);
	return 0;
}

/* Runs first among the units: the others look at cpu->cell. */
static int cell_cpu_init(struct per_cpu *cpu)
{
	struct cell *c = cell_of_cpu(cpu->index);

	if (!(c->cpus & BIT(cpu->index)))
		return trace_error(HAVEN_E_PERM);
	cpu->cell = c;
	cpu->cell_stats = c->stats;
	/* every cell sees the real IDs (it owns this CPU 1:1) */
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	stage2_cpu_enter(c);
	write_sysreg(hcr_el2, cell_direct_irq(c) ? HCR_DIRECT : HCR_GUEST);
	isb();
	return 0;
}

static void cell_cpu_exit(struct per_cpu *cpu)
{
	cpu->cell = 0;
	cpu->cell_stats = 0;
}

HV_UNIT(2, cell, .init = root_cell_init, .cpu_init = cell_cpu_init,
	.cpu_exit = cell_cpu_exit);
