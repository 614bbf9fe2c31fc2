/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU state of the hypervisor, reached through TPIDR_EL2. */
#ifndef HAVEN_PERCPU_H
#define HAVEN_PERCPU_H

#include <haven/hypercall.h>
#include <hv.h>

#define HV_STACK_SIZE 8192
#define IRQ_QUEUE_LEN 64

/* Registers of the interrupted guest, saved by the exception vectors. */
struct trap_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

struct cell;

struct per_cpu {
	u8 stack[HV_STACK_SIZE]; /* first: stack top is the struct's end */
	u32 index;
	u64 mpidr;
	struct cell *cell;
	u64 gicr_base; /* this CPU's redistributor (RD frame) */
	u32 num_lrs;
	bool in_haven; /* running its cell */
	/* parked in Haven; cpu_wake() sets the entry and then wake */
	volatile bool parked, wake;
	volatile bool stop_request; /* park at the next Haven SGI */
	u64 wake_entry, wake_context;
	u64 *cell_stats; /* the cell's counters, next to these */
	/* interrupts waiting for a free list register */
	u32 irq_queue[IRQ_QUEUE_LEN];
	u32 irq_queue_head, irq_queue_len;
	u64 stats[HAVEN_STAT_COUNT];
} __aligned(PAGE_SIZE);

extern struct per_cpu per_cpu_data[CONFIG_MAX_CPUS];

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *pc;

	asm volatile("mrs %0, tpidr_el2" : "=r"(pc));
	return pc;
}

static inline void count_trap(enum haven_stat kind)
{
	struct per_cpu *cpu = this_cpu();

	cpu->stats[kind]++;
	if (cpu->cell_stats)
		__atomic_fetch_add(&cpu->cell_stats[kind], 1, __ATOMIC_RELAXED);
}

#endif
