// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root cell: Linux, which loaded Haven, keeps running on stage-2
 * tables built from exactly its configured regions. Hypervisor memory and
 * everything unlisted stay unmapped. The console ring is the one exception,
 * mapped read-only so the driver can read the log without a hypercall.
 */
#include <cell.h>
#include <config_check.h>
#include <setup.h>
#include <sysregs.h>
#include <unit.h>

extern const char __console_start[], __console_end[];

struct cell root_cell;

static int root_cell_init(void)
{
	const struct haven_mem_region *r;
	u32 i;

	root_cell.cfg = &hv.sys->root;
	root_cell.name = root_cell.cfg->name;
	root_cell.id = 0;
	root_cell.vmid = 1;
	root_cell.cpus = root_cell.cfg->cpus;
	root_cell.s2.table = (u64 *)mem_pool_alloc(&hv.pool);
	root_cell.s2.start_level = 1;
	if (!root_cell.s2.table)
		return trace_error(HAVEN_E_NOMEM);

	r = haven_cfg_regions(hv.config, root_cell.cfg);
	for (i = 0; i < root_cell.cfg->num_mem_regions; i++)
		if (stage2_map_region(&root_cell, &r[i]))
			return trace_error(HAVEN_E_NOMEM);
	if (stage2_map_ro(&root_cell, (u64)__console_start, (u64)__console_start,
			  (u64)(__console_end - __console_start)))
		return trace_error(HAVEN_E_NOMEM);
	printk("root cell '%s': %u regions, %lu pool pages used\n",
	       root_cell.name, root_cell.cfg->num_mem_regions, hv.pool.used);
	return 0;
}

static int root_cell_cpu_init(struct per_cpu *cpu)
{
	if (!(root_cell.cpus & (1UL << cpu->index)))
		return trace_error(HAVEN_E_PERM);
	cpu->cell = &root_cell;
	/* the root keeps seeing the real IDs (it owns this CPU 1:1) */
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	stage2_cpu_enter(&root_cell);
	write_sysreg(hcr_el2, HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_TSC |
				      HCR_RW | HCR_FB | HCR_BSU_IS);
	isb();
	return 0;
}

static void root_cell_cpu_exit(struct per_cpu *cpu)
{
	cpu->cell = 0;
}

HV_UNIT(5, root_cell, .init = root_cell_init, .cpu_init = root_cell_cpu_init,
	.cpu_exit = root_cell_cpu_exit);
