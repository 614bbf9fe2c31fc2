/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cells: a configuration, a stage-2 address space, a set of CPUs and the
 * interrupts it owns. Cell 0 is the root (Linux); cell n is the n-th cell
 * declared in system.cell and exists between its create and destroy.
 */
#ifndef HAVEN_CELL_H
#define HAVEN_CELL_H

/* hypercall.h first: comm.h spells the console call only if it is missing */
#include <haven/hypercall.h>
#include <haven/comm.h>
#include <console.h>
#include <hv.h>
#include <paging.h>
#include <vuart.h>

struct per_cpu;
struct trap_frame;

struct cell {
	const struct haven_cell *cfg; /* the declaration in system.cell */
	const char *name;
	u32 id;
	u32 vmid;
	u64 cpus; /* root: shrinks while cells hold CPUs */
	u64 irqs[HAVEN_IRQ_WORDS]; /* root: loses the SPIs of created cells */
	struct pt_root s2;
	u32 state; /* enum haven_cell_state, written with WRITE_ONCE */
	bool stopping; /* its CPUs are being stopped: no CPU_ON */
	bool reset_requested; /* stopped by its PSCI SYSTEM_RESET */
	struct haven_comm_page *comm;
	struct console_stream console;
	struct vuart vuart;
	u64 failed_cpus, faults, starts, start_time;
	u64 denied, dma_faults; /* refused accesses, SMMU faults of its streams */
	u32 denials_logged; /* since its last start (cell_deny.c) */
	u32 denial_kinds_logged; /* bitmap: kinds logged since its last start */
	u64 stats[HAVEN_STAT_COUNT];
};

extern struct cell cells[HAVEN_MAX_CELLS];
#define root_cell (cells[0])

static inline bool cell_owns_irq(const struct cell *c, u32 irq)
{
	return irq < HAVEN_MAX_IRQS && (c->irqs[irq / 64] >> (irq % 64)) & 1;
}

/* its interrupts bypass Haven (direct_irq.c); never the root */
static inline bool cell_direct_irq(const struct cell *c)
{
	return c->cfg->flags & HAVEN_CELL_DIRECT_IRQ;
}

/* cell.c */
struct cell *cell_of_cpu(u32 cpu);
/* the regions of a cell as declared */
const struct haven_mem_region *cell_regions(const struct cell *c);

/* stage2.c */
int stage2_map(struct cell *c, u64 ipa, u64 pa, u64 size, u64 flags);
int stage2_map_region(struct cell *c, const struct haven_mem_region *r);
int stage2_unmap(struct cell *c, u64 ipa, u64 size);
/* 0 and *pa if the cell maps ipa as RAM (Normal memory), else -1 */
int stage2_ram_pa(const struct cell *c, u64 ipa, u64 *pa);
void stage2_cpu_enter(struct cell *c); /* flushes the VMID's stale entries */
void stage2_cpu_switch(struct cell *c);
/* VTCR_EL2 for every cell: T0SZ, SL0, walk attributes, granule, PS */
u64 stage2_vtcr(void);
/* drop the root's stale translations on every CPU (after an unmap) */
void stage2_flush_root(void);

/* cell_memory.c: memory handover between the root and a cell */
int cell_memory_take(struct cell *c);
void cell_memory_give_back(struct cell *c);
int cell_memory_open_loadable(struct cell *c);
void cell_memory_close_loadable(struct cell *c);
void cell_memory_scrub(struct cell *c);
void cell_memory_clean(struct cell *c);
int copy_from_root(void *dst, u64 ipa, u64 size);

/* cell_control.c: lifecycle hypercalls (root only) */
long cell_create(u64 ipa, u64 size, u64 flags, u64 *detail);
long cell_load(u64 id);
long cell_start(u64 id, u64 entry, u64 boot_arg);
/* root: input for a cell's emulated UART */
long cell_vuart_input(u64 id, u64 bytes, u64 count, u64 *taken);
long cell_shutdown(u64 id, u64 flags, u64 *state);
/* a CPU of a cell leaves it (PSCI CPU_OFF): the last one stops the cell */
void cell_cpu_off(struct cell *c, u32 cpu);
void cell_mark_stopped(struct cell *c);
long cell_destroy(u64 id);
/* a created cell other than the root, or 0 */
struct cell *created_cell(u64 id);

/* cell_info.c: read-only queries */
long cell_info(u64 id, u64 key, u64 arg, u64 *value);
long cell_region(u64 id, u64 index, struct trap_frame *f);
bool cells_exist(void);

/*
 * cell_deny.c: Haven refused an access of the cell without a fault (a
 * dropped write, a refused call): counted, and reported on the console.
 */
void cell_deny(struct cell *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* the same, logged only for the first refusal of its kind (a bit) per start */
void cell_deny_kind(struct cell *c, u32 kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cell_fail.c: a cell took a trap Haven does not handle */
void cell_fail(struct trap_frame *f, u64 esr, const char *what, u64 addr);
/* the cell stops itself (PSCI SYSTEM_OFF, or SYSTEM_RESET: reset) */
void cell_stop_self(struct trap_frame *f, bool reset);

/* park.c: CPUs waiting in Haven (CPU_OFF, stopped or unstarted cells) */
void cpu_park(struct trap_frame *f, const char *why);
void cpu_wait(struct trap_frame *f, const char *why);
/* the cell's CPU (its vCPU on a shared CPU) */
bool cpu_wake(const struct cell *c, u32 cpu, u64 entry, u64 context);
void cpu_request_stop(const struct cell *c, u32 cpu);
bool cpu_stop_requested(const struct cell *c, u32 cpu);
bool cpu_is_parked(const struct cell *c, u32 cpu);
bool cpu_handle_stop_request(struct trap_frame *f);

#endif
