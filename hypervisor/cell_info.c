// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read-only queries about a cell for the root (HAVEN_HC_CELL_INFO and
 * HAVEN_HC_CELL_REGION): state, CPUs, counters, the comm page's figures
 * and the declared regions. No lock: each value is read once.
 */
#include <cell.h>
#include <lib.h>
#include <smmu.h>
#include <setup.h>
#include <sysregs.h>

static u64 rtos_field(const struct haven_comm_page *p, u64 n)
{
	switch (n) {
	case 0: return READ_ONCE(p->rtos.releases);
	case 1: return READ_ONCE(p->rtos.completions);
	case 2: return READ_ONCE(p->rtos.deadline_misses);
	case 3: return READ_ONCE(p->rtos.worst_response_ticks);
	default: return READ_ONCE(p->rtos.num_tasks);
	}
}

/* The cell's loaded image, for a test that it is intact: its first loadable region. */
static long mem_sum(const struct cell *c, u64 bytes, u64 *value)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++) {
		if (!(r[i].flags & HAVEN_MEM_LOADABLE))
			continue;
		if (bytes == 0 || bytes > r[i].size)
			return HAVEN_E_INVAL;
		*value = fnv1a64(FNV1A64_INIT, (const void *)r[i].phys_start, bytes);
		return HAVEN_OK;
	}
	return HAVEN_E_NODEV;
}

long cell_info(u64 id, u64 key, u64 arg, u64 *value)
{
	struct cell *c = id == 0 ? &root_cell : created_cell(id);
	u64 name = 0;
	u32 i;

	if (!c)
		return HAVEN_E_NOCELL;
	switch (key) {
	case HAVEN_CELL_INFO_STATE: *value = READ_ONCE(c->state); break;
	case HAVEN_CELL_INFO_CPUS: *value = c->cpus; break;
	case HAVEN_CELL_INFO_FAILED_CPUS: *value = READ_ONCE(c->failed_cpus); break;
	case HAVEN_CELL_INFO_NAME:
		if (arg >= HAVEN_NAME_LEN / 8)
			return HAVEN_E_INVAL;
		for (i = 0; i < 8; i++)
			name |= (u64)(u8)c->name[arg * 8 + i] << (8 * i);
		*value = name;
		break;
	case HAVEN_CELL_INFO_UPTIME:
		*value = c->starts ? read_sysreg(cntpct_el0) - c->start_time : 0;
		break;
	case HAVEN_CELL_INFO_HEARTBEAT:
		*value = c->comm ? READ_ONCE(c->comm->heartbeat) : 0;
		break;
	case HAVEN_CELL_INFO_STAT:
		if (arg >= HAVEN_STAT_COUNT)
			return HAVEN_E_INVAL;
		*value = __atomic_load_n(&c->stats[arg], __ATOMIC_RELAXED);
		break;
	case HAVEN_CELL_INFO_FAULTS: *value = READ_ONCE(c->faults); break;
	case HAVEN_CELL_INFO_STARTS: *value = c->starts; break;
	case HAVEN_CELL_INFO_RESET: *value = READ_ONCE(c->reset_requested); break;
	case HAVEN_CELL_INFO_RTOS:
		if (arg > 4)
			return HAVEN_E_INVAL;
		*value = c->comm ? rtos_field(c->comm, arg) : 0;
		break;
	case HAVEN_CELL_INFO_NUM_REGIONS: *value = c->cfg->num_mem_regions; break;
	case HAVEN_CELL_INFO_DENIED: *value = READ_ONCE(c->denied); break;
	case HAVEN_CELL_INFO_DMA_FAULTS:
		smmu_poll_events(); /* the interrupt may still be on its way */
		*value = READ_ONCE(c->dma_faults);
		break;
	case HAVEN_CELL_INFO_MEM_SUM:
		if (c == &root_cell)
			return HAVEN_E_NODEV; /* the root's memory is its own to read */
		return mem_sum(c, arg, value);
	case HAVEN_CELL_INFO_REGION_FLAGS:
		if (arg >= c->cfg->num_mem_regions)
			return HAVEN_E_INVAL;
		*value = cell_regions(c)[arg].flags;
		break;
	default:
		return HAVEN_E_INVAL;
	}
	return HAVEN_OK;
}

long cell_region(u64 id, u64 index, struct trap_frame *f)
{
	struct cell *c = id == 0 ? &root_cell : created_cell(id);
	const struct haven_mem_region *r;

	if (!c)
		return HAVEN_E_NOCELL;
	if (index >= c->cfg->num_mem_regions)
		return HAVEN_E_INVAL;
	r = &cell_regions(c)[index];
	f->x[1] = r->phys_start;
	f->x[2] = r->virt_start;
	f->x[3] = r->size;
	return HAVEN_OK;
}
