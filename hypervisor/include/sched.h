/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPUs shared by cells: one vCPU per cell on the CPU, scheduled at EL2 by
 * (budget, period, priority) with the EL2 physical timer (sched.c), and a
 * full switch of the EL1 state between them (vcpu_switch.c, vgic.c).
 */
#ifndef HAVEN_SCHED_H
#define HAVEN_SCHED_H

#include <haven/comm.h>
#include <percpu.h>

struct mmio_access;

#define SCHED_MAX_VCPUS 8 /* over all shared CPUs */

enum vcpu_state {
	VCPU_OFF, /* parked: waits for a wake (start, CPU_ON) */
	VCPU_RUNNABLE,
	VCPU_IDLE, /* in WFI: runnable again at an interrupt or its timer */
};

/* EL1 state of a descheduled vCPU (vcpu_switch.c) */
struct el1_context {
	u64 sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	u64 tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr, spsr;
	u64 esr, far, afsr0, afsr1, par, cpacr, cntkctl, csselr, mdscr, mdccint, oslk;
	u64 cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	u64 pmcr, pmcnten, pminten, pmovs, pmuserenr, pmselr, pmccntr, pmccfiltr;
	u64 pmevcntr[31], pmevtyper[31];
	u64 bvr[16], bcr[16], wvr[16], wcr[16];
	u64 fpcr, fpsr;
	__uint128_t q[32];
};

/* The GIC side of a descheduled vCPU (vgic.c) */
struct vgic_state {
	u64 lr[16];
	u64 ap1r[4];
	u64 vmcr;
	struct irq_queue queue;
	u32 sgi_pending; /* set by senders (atomic), drained when it runs */
	/* its emulated redistributor's SGI/PPI configuration */
	u32 enabled, group, cfg[2];
	u8 prio[32];
};

struct vcpu {
	struct vcpu_park park;
	struct cell *cell;
	u32 cpu;
	u32 state; /* enum vcpu_state */
	bool fresh; /* woken: enters with a reset state, not a saved one */
	/* reservation, in counter ticks */
	u64 budget, period, remaining, next_refill;
	u32 prio;
	u64 ran; /* ticks on the CPU since enable */
	bool comm_cpu; /* the cell's comm page describes this vCPU (its first) */
	/* its time holding the CPU, and since when it holds it (0: not) */
	u64 held_ticks, held_since;
	struct trap_frame frame;
	struct vgic_state gic;
	struct el1_context el1;
};

struct sched_cpu {
	struct vcpu *vcpu[HAVEN_MAX_CELLS];
	u32 num;
	struct vcpu *cur; /* loaded in the CPU, or 0 */
	bool charged; /* cur runs on its budget (not in slack) */
	bool need_resched;
	u64 last; /* counter at the last accounting */
	u64 epoch;
	u64 switches;
};

/* sched.c */
struct vcpu *sched_vcpu(const struct cell *c, u32 cpu); /* or 0 */
struct vcpu_park *vcpu_park_of(const struct cell *c, u32 cpu);
bool sched_has_work(u32 cpu); /* a vCPU on it is woken or running */
/* events on this (shared) CPU */
void sched_enter(struct trap_frame *f);
void sched_reschedule(struct trap_frame *f);
void sched_park_current(struct trap_frame *f, const char *why);
void sched_wfx(struct trap_frame *f, bool wfe);
void sched_timer_irq(struct per_cpu *cpu);
void sched_route_irq(struct per_cpu *cpu, u32 intid);
void sched_send_sgi(struct vcpu *v, u32 intid);
/* the cell's reservation for its comm page */
void sched_comm_info(const struct cell *c, struct haven_comm_sched *info);

/* vcpu_switch.c */
void vcpu_save(struct vcpu *v, struct trap_frame *f);
void vcpu_restore(struct vcpu *v, struct trap_frame *f);
void vcpu_enter(struct per_cpu *cpu, struct vcpu *v);

/* vgic.c */
void vgic_save(struct per_cpu *cpu, struct vcpu *v);
void vgic_restore(struct per_cpu *cpu, struct vcpu *v);
void vgic_reset(struct vcpu *v);
void vgic_drop(struct per_cpu *cpu, struct vcpu *v);
bool vgic_has_pending(struct per_cpu *cpu, struct vcpu *v);
void vgic_drain_sgis(struct per_cpu *cpu, struct vcpu *v);
void vgic_send_sgi(struct vcpu *v, u32 intid);
bool vgicr_mmio(struct vcpu *v, struct mmio_access *a, u64 off);

/* vcpu_fp.S */
void vcpu_save_fpsimd(__uint128_t *q);
void vcpu_load_fpsimd(const __uint128_t *q);

#endif
