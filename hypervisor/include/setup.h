/* SPDX-License-Identifier: GPL-2.0-only */
/* Global state fixed at enable, and the EL2 entry/exit paths. */
#ifndef HAVEN_SETUP_H
#define HAVEN_SETUP_H

#include <haven/firmware.h>
#include <mem_pool.h>
#include <percpu.h>

/* Linux's EL2 state, restored on every CPU when Haven is disabled. */
struct linux_el2 {
	u64 hcr, sctlr, vbar, mdcr, cptr, cnthctl, hstr;
};

struct hv_system {
	const struct haven_fw_header *header;
	const void *config;
	u64 config_size;
	const struct haven_system *sys;
	u64 base, size; /* hypervisor memory */
	struct mem_pool pool;
	struct pt_ops pt_ops;
	struct pt_root el2_pt;
	struct linux_el2 linux;
	u64 cpus_in_haven; /* bitmap, updated atomically */
	volatile bool disabling; /* parked CPUs power off */
	bool sealed; /* the final layout runs: no more changes until reboot */
};

/* A configuration refusal in one register: code, cell + 1, region + 1. */
#define HAVEN_CFG_DETAIL(res)                                                  \
	((u64)(res).code | (u64)((res).cell + 1) << 8 | (u64)((res).region + 1) << 16)

extern struct hv_system hv;

/* entry.S */
void __noreturn leave_haven(struct trap_frame *f, u64 sctlr, u64 vbar);
void dcache_inval_range(u64 start, u64 size);
void dcache_clean_inval_range(u64 start, u64 size);
extern const char el2_vectors[];

/* MPIDR affinity fields Aff3..Aff0 (Arm ARM D19.2.101) */
static inline u64 mpidr_affinity(u64 mpidr)
{
	return mpidr & 0xff00ffffffUL;
}

/* The platform CPU index with this affinity, or -1. */
int cpu_by_mpidr(u64 mpidr);
/* Undo the units on this CPU and take it out of Haven's CPU set. */
void cpu_detach(struct per_cpu *cpu);

/* Return this CPU to Linux's stub with status in x0 (and detail in x1). */
void __noreturn cpu_leave(struct trap_frame *f, long status, u64 detail);
/* Prepare EL2 for a CPU's cell (vectors, traps, stage-2, GIC). */
int cpu_enter_cell(struct per_cpu *cpu);

#endif
