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
struct sched_cpu;

/*
 * A CPU's place in one cell: parked in Haven or running, and where it
 * enters when woken. A dedicated CPU has one (in its per_cpu), a CPU
 * shared by cells one per cell (sched.c) plus its own for the root.
 */
struct vcpu_park {
	volatile bool parked, wake;
	volatile bool stop_request; /* park at the next Haven SGI */
	u64 entry, context; /* published by the release of wake */
};

/* interrupts waiting for a free list register */
struct irq_queue {
	u32 entry[IRQ_QUEUE_LEN]; /* INTID, bit 31: HW */
	u32 head, len;
};

struct per_cpu {
	u8 stack[HV_STACK_SIZE]; /* first: stack top is the struct's end */
	u32 index;
	u64 mpidr;
	struct cell *cell;
	u64 gicr_base; /* this CPU's redistributor (RD frame) */
	u32 num_lrs;
	bool in_haven; /* running its cell */
	struct vcpu_park park; /* of a dedicated CPU, or of the root */
	struct sched_cpu *sched; /* a CPU shared by cells, else 0 */
	u64 *cell_stats; /* the cell's counters, next to these */
	struct irq_queue *queue; /* the running vCPU's */
	struct irq_queue own_queue;
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
