// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls (include/haven/hypercall.h). Every argument is checked here;
 * root-only calls are refused from any other cell.
 */
#include <cell.h>
#include <console.h>
#include <lib.h>
#include <smmu.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>

extern const char __console_start[], __image_start[], __rela_end[];

/* What never changes after enable: code, constants, relocated pointers, config. */
static u64 image_sum(void)
{
	u64 h = fnv1a64(FNV1A64_INIT, __image_start, (u64)(__rela_end - __image_start));

	return fnv1a64(h, hv.config, hv.config_size);
}

static long hc_info(u64 key, u64 *value)
{
	switch (key) {
	case HAVEN_INFO_ABI_VERSION: *value = HAVEN_ABI_VERSION; break;
	case HAVEN_INFO_NUM_CPUS: *value = hv.sys->platform.num_cpus; break;
	case HAVEN_INFO_ONLINE_CPUS: *value = READ_ONCE(hv.cpus_in_haven); break;
	case HAVEN_INFO_MEM_BASE: *value = hv.base; break;
	case HAVEN_INFO_MEM_SIZE: *value = hv.size; break;
	case HAVEN_INFO_POOL_PAGES: *value = hv.pool.pages; break;
	case HAVEN_INFO_POOL_USED: *value = hv.pool.used; break;
	case HAVEN_INFO_CONSOLE_OFFSET: *value = (u64)__console_start - hv.base; break;
	case HAVEN_INFO_SEALED: *value = READ_ONCE(hv.sealed); break;
	case HAVEN_INFO_FINAL_CELLS: *value = hv.sys->final_cells; break;
	case HAVEN_INFO_COUNTER_FREQ: *value = read_sysreg(cntfrq_el0); break;
	case HAVEN_INFO_IMAGE_SUM: *value = image_sum(); break;
	case HAVEN_INFO_DMA_UNASSIGNED: *value = smmu_unassigned_faults(); break;
	default: return HAVEN_E_INVAL;
	}
	return HAVEN_OK;
}

static long hc_cpu_stat(u64 cpu, u64 kind, u64 *value)
{
	if (cpu >= hv.sys->platform.num_cpus || cpu >= CONFIG_MAX_CPUS ||
	    kind >= HAVEN_STAT_COUNT)
		return HAVEN_E_INVAL;
	*value = READ_ONCE(per_cpu_data[cpu].stats[kind]);
	return HAVEN_OK;
}

/* Up to 48 bytes from x2..x7; the count is checked, the bytes are just bytes. */
static long hc_console_write(struct cell *c, const struct trap_frame *f)
{
	u64 len = f->x[1];
	char buf[HAVEN_CONSOLE_WRITE_MAX];
	u64 i;

	if (len == 0 || len > HAVEN_CONSOLE_WRITE_MAX)
		return HAVEN_E_INVAL;
	for (i = 0; i < len; i++)
		buf[i] = (char)(f->x[2 + i / 8] >> (8 * (i % 8)));
	console_write_cell(&c->console, c->name, buf, len);
	return (long)len;
}

void handle_hvc(struct trap_frame *f)
{
	struct cell *c = this_cpu()->cell;
	u64 value = 0;
	long ret;

	count_trap(HAVEN_STAT_HVC);
	if (f->x[0] == HAVEN_HC_CONSOLE_WRITE) {
		f->x[0] = (u64)hc_console_write(c, f);
		return;
	}
	if (f->x[0] != HAVEN_HC_PROBE && c != &root_cell) {
		cell_deny(c, "hypercall 0x%lx (x1 0x%lx), the root's only\n", f->x[0], f->x[1]);
		f->x[0] = (u64)HAVEN_E_PERM;
		return;
	}
	switch (f->x[0]) {
	case HAVEN_HC_PROBE:
		value = HAVEN_PROBE_MAGIC;
		ret = HAVEN_OK;
		break;
	case HAVEN_HC_INFO:
		ret = hc_info(f->x[1], &value);
		break;
	case HAVEN_HC_CPU_STAT:
		ret = hc_cpu_stat(f->x[1], f->x[2], &value);
		break;
	case HAVEN_HC_DISABLE:
		if (READ_ONCE(hv.sealed)) {
			ret = HAVEN_E_SEALED;
			break;
		}
		if (cells_exist()) {
			ret = HAVEN_E_BUSY;
			break;
		}
		printk("CPU %u: disable\n", this_cpu()->index);
		smmu_shutdown(); /* the first CPU to leave hands it back */
		psci_release_parked();
		cpu_leave(f, HAVEN_OK, 0);
	case HAVEN_HC_CELL_CREATE:
		ret = cell_create(f->x[1], f->x[2], f->x[3], &value);
		break;
	case HAVEN_HC_CELL_LOAD:
		ret = cell_load(f->x[1]);
		break;
	case HAVEN_HC_CELL_START:
		ret = cell_start(f->x[1], f->x[2], f->x[3]);
		break;
	case HAVEN_HC_CELL_SHUTDOWN:
		ret = cell_shutdown(f->x[1], f->x[2], &value);
		break;
	case HAVEN_HC_CELL_DESTROY:
		ret = cell_destroy(f->x[1]);
		break;
	case HAVEN_HC_CELL_INFO:
		ret = cell_info(f->x[1], f->x[2], f->x[3], &value);
		break;
	case HAVEN_HC_VUART_INPUT:
		ret = cell_vuart_input(f->x[1], f->x[3], f->x[2], &value);
		break;
	case HAVEN_HC_CELL_REGION:
		/* returns three values: x1..x3 */
		f->x[0] = (u64)cell_region(f->x[1], f->x[2], f);
		return;
	default:
		ret = HAVEN_E_NOSYS;
		break;
	}
	f->x[0] = (u64)ret;
	f->x[1] = value;
}
