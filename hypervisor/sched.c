// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler of CPUs shared by cells (one vCPU per cell on the CPU).
 *
 * Policy, per shared CPU, re-evaluated at every event (the EL2 timer, a
 * vCPU's WFI/WFE, an interrupt or wake-up for another vCPU, a park):
 *   1. the vCPU holding the CPU is charged the counter ticks since the
 *      last event, if it runs on its budget. It holds the CPU from the
 *      decision to run it until it is switched away, idles or parks:
 *      Haven's work for its exceptions and its switch-in included, or a
 *      cell could make Haven work for it at no cost; a vCPU that gives the
 *      CPU up (WFI, WFE) also pays for the switch to the next one;
 *   2. at each of its period boundaries (epoch + k * period) a vCPU's
 *      budget is refilled to its full value, whatever it did before;
 *   3. the CPU goes to the highest-priority runnable vCPU with budget left
 *      (charged); if there is none, to slack: the highest-priority runnable
 *      best-effort vCPU, else the highest-priority runnable one whose budget
 *      is spent (not charged);
 *   4. the EL2 physical timer (CNTHP) is set for the earliest of: the
 *      running vCPU's budget running out, the next refill, the timer
 *      deadline of an idle vCPU.
 * A vCPU in WFI without a pending interrupt is idle until an interrupt or
 * its own timer; WFE yields to another runnable vCPU. So a budgeted vCPU
 * gets its budget in every period while runnable, minus the higher
 * priorities' interference the config checker bounds (config_check).
 */
#include <cell.h>
#include <config_check.h>
#include <gic.h>
#include <lib.h>
#include <sched.h>
#include <sysregs.h>
#include <traps.h>
#include <unit.h>
#include <vcpu.h>

#define CNTHP_ENABLE 1UL
#define CNT_CTL_ENABLE 1UL
#define CNT_CTL_IMASK 2UL
#define CNT_CTL_ISTATUS 4UL
#define NEVER (~0UL)

static struct vcpu vcpus[SCHED_MAX_VCPUS];
static struct sched_cpu sched_cpus[CONFIG_MAX_CPUS];

static u64 now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static u64 us_to_ticks(u32 us)
{
	return read_sysreg(cntfrq_el0) * us / 1000000;
}

static void bind_vcpu(struct sched_cpu *sc, struct vcpu *v, u32 id, u32 cpu,
		      bool comm_cpu)
{
	const struct haven_sched *s = &haven_cfg_cell(hv.config, id)->sched;

	memset(v, 0, sizeof(*v));
	v->comm_cpu = comm_cpu;
	v->cell = &cells[id];
	v->cpu = cpu;
	v->park.parked = true;
	v->budget = us_to_ticks(s->budget_us);
	v->period = us_to_ticks(s->period_us);
	v->prio = s->priority;
	v->remaining = v->budget;
	v->next_refill = sc->epoch + v->period;
	vgic_reset(v);
	sc->vcpu[sc->num++] = v;
}

/* At enable: a vCPU for each cell on each shared CPU (checked to fit). */
static int sched_setup(void)
{
	u64 shared = haven_cfg_shared_cpus(hv.sys), bound = 0;
	u32 i, id, n = 0;

	for (i = 0; i < CONFIG_MAX_CPUS; i++) {
		struct sched_cpu *sc = &sched_cpus[i];

		per_cpu_data[i].sched = 0;
		memset(sc, 0, sizeof(*sc));
		if (!(shared & BIT(i)))
			continue;
		sc->epoch = sc->last = now();
		for (id = 1; id <= hv.sys->num_cells; id++)
			if ((haven_cfg_cell(hv.config, id)->cpus & BIT(i)) &&
			    n < SCHED_MAX_VCPUS) {
				/* the comm page tells of a cell's first shared CPU */
				bind_vcpu(sc, &vcpus[n++], id, i, !(bound & BIT(id)));
				bound |= BIT(id);
			}
	}
	return 0;
}

HV_UNIT(5, sched, .init = sched_setup);

struct vcpu *sched_vcpu(const struct cell *c, u32 cpu)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	u32 i;

	for (i = 0; i < sc->num; i++)
		if (sc->vcpu[i]->cell == c)
			return sc->vcpu[i];
	return 0;
}

struct vcpu_park *vcpu_park_of(const struct cell *c, u32 cpu)
{
	struct vcpu *v = c != &root_cell ? sched_vcpu(c, cpu) : 0;

	return v ? &v->park : &per_cpu_data[cpu].park;
}

/* A woken vCPU on this CPU: it has something to run. */
bool sched_has_work(u32 cpu)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	u32 i;

	for (i = 0; i < sc->num; i++)
		if (READ_ONCE(sc->vcpu[i]->park.wake) || sc->vcpu[i]->state != VCPU_OFF)
			return true;
	return false;
}

void sched_comm_info(const struct cell *c, struct haven_comm_sched *info)
{
	u32 i;

	for (i = 0; i < CONFIG_MAX_CPUS; i++) {
		struct vcpu *v = sched_vcpu(c, i);

		if (v && v->comm_cpu) {
			info->epoch = sched_cpus[i].epoch;
			info->period_ticks = v->period;
			info->budget_ticks = v->budget;
			info->cpu = i;
			info->priority = v->prio;
			return;
		}
	}
}

/* --- the ledger, accounting and choice ------------------------------------ */

/* The comm page that shows v's ledger, if any. */
static volatile struct haven_comm_sched *ledger(struct vcpu *v)
{
	return v->comm_cpu && v->cell->comm ? &v->cell->comm->sched : 0;
}

/*
 * v holds the CPU from t on. The ledger of each vCPU's time holding the CPU
 * (what its budget is charged from, slack included) is shown in its cell's
 * comm page (comm.h), so that its measurements can tell Haven's time for it
 * from another cell's.
 */
static void ledger_start(struct vcpu *v, u64 t)
{
	volatile struct haven_comm_sched *s = ledger(v);

	v->held_since = t;
	if (s)
		s->held_since = t;
}

/* v held the CPU for d more ticks, though its stretch has ended. */
static void ledger_add(struct vcpu *v, u64 d)
{
	volatile struct haven_comm_sched *s = ledger(v);

	v->held_ticks += d;
	if (s)
		s->held_ticks = v->held_ticks;
}

/* v stops holding the CPU at t (switched away, idle or parked). */
static void ledger_stop(struct vcpu *v, u64 t)
{
	volatile struct haven_comm_sched *s = ledger(v);
	u64 since = v->held_since;

	if (!since)
		return;
	v->held_since = 0;
	if (s)
		s->held_since = 0;
	ledger_add(v, t - since);
}

/* d ticks of v's on the CPU; from its budget if charged. */
static void charge(struct vcpu *v, u64 d, bool charged)
{
	v->ran += d;
	if (charged)
		v->remaining = v->remaining > d ? v->remaining - d : 0;
}

static void account(struct sched_cpu *sc, u64 t)
{
	struct vcpu *cur = sc->cur;
	u32 i;

	/* woken while loaded (its interrupt taken in the idle loop) */
	if (cur && !cur->held_since && cur->state == VCPU_RUNNABLE)
		ledger_start(cur, sc->last);
	if (cur && cur->held_since)
		charge(cur, t - sc->last, sc->charged);
	sc->last = t;
	for (i = 0; i < sc->num; i++) {
		struct vcpu *v = sc->vcpu[i];

		if (v->period && t >= v->next_refill) {
			v->remaining = v->budget;
			v->next_refill = sc->epoch + ((t - sc->epoch) / v->period + 1) * v->period;
		}
	}
}

/* The timer's condition is met and it is enabled, unmasked (D11.2.4). */
static bool timer_firing(u64 ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}

static bool timer_due(u64 ctl, u64 cval, u64 t)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE && cval <= t;
}

/* The earliest enabled, unmasked timer deadline of a saved vCPU. */
static u64 timer_deadline(const struct vcpu *v)
{
	u64 d = NEVER;

	if (timer_due(v->el1.cntv_ctl, v->el1.cntv_cval, NEVER))
		d = v->el1.cntv_cval;
	if (timer_due(v->el1.cntp_ctl, v->el1.cntp_cval, NEVER) && v->el1.cntp_cval < d)
		d = v->el1.cntp_cval;
	return d;
}

/* No vCPU in the CPU: interrupts taken at EL2 are charged to no cell. */
static void unload(struct per_cpu *cpu)
{
	cpu->queue = &cpu->own_queue;
	cpu->cell_stats = 0;
}

static void stop_timers(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
}

/* Wakes, stops and timer expiries of the vCPUs that are not running. */
static void update_states(struct per_cpu *cpu, struct sched_cpu *sc, u64 t)
{
	u32 i;

	if (sc->cur && sc->cur->state != VCPU_OFF &&
	    (READ_ONCE(sc->cur->gic.sgi_pending) & sc->cur->gic.enabled)) {
		vgic_drain_sgis(cpu, sc->cur);
		sc->cur->state = VCPU_RUNNABLE;
	}
	for (i = 0; i < sc->num; i++) {
		struct vcpu *v = sc->vcpu[i];

		if (v->state != VCPU_OFF && READ_ONCE(v->park.stop_request)) {
			if (v == sc->cur) {
				ledger_stop(v, t);
				stop_timers();
				vgic_drop(cpu, v);
				sc->cur = 0;
				unload(cpu);
			}
			v->state = VCPU_OFF;
			WRITE_ONCE(v->park.wake, false);
			__atomic_store_n(&v->park.parked, true, __ATOMIC_RELEASE);
			printk("CPU %u: vCPU of '%s' parked (cell stopped)\n", cpu->index,
			       v->cell->name);
		}
		if (v->state == VCPU_OFF && __atomic_load_n(&v->park.wake, __ATOMIC_ACQUIRE)) {
			WRITE_ONCE(v->park.wake, false);
			WRITE_ONCE(v->park.stop_request, false);
			v->fresh = true;
			v->state = VCPU_RUNNABLE;
		}
		if (v->state == VCPU_IDLE && v != sc->cur &&
		    (v->gic.queue.len || (READ_ONCE(v->gic.sgi_pending) & v->gic.enabled) ||
		     timer_deadline(v) <= t))
			v->state = VCPU_RUNNABLE;
	}
}

/* Step 3 of the policy; avoid is a vCPU that yielded (WFE), if others can run. */
static struct vcpu *pick(struct sched_cpu *sc, struct vcpu *avoid, bool *charged)
{
	struct vcpu *best = 0, *slack = 0;
	u32 i;

	for (i = 0; i < sc->num; i++) {
		struct vcpu *v = sc->vcpu[i];

		if (v->state != VCPU_RUNNABLE || v == avoid)
			continue;
		if (v->budget && v->remaining) {
			if (!best || v->prio > best->prio)
				best = v;
		} else if (!slack || (!v->budget && slack->budget) ||
			   (!v->budget == !slack->budget && v->prio > slack->prio)) {
			slack = v;
		}
	}
	*charged = best != 0;
	if (!best && !slack && avoid && avoid->state == VCPU_RUNNABLE)
		return pick(sc, 0, charged);
	return best ? best : slack;
}

static void program_timer(struct sched_cpu *sc, u64 t)
{
	u64 next = NEVER;
	u32 i;

	if (sc->cur && sc->cur->state == VCPU_RUNNABLE && sc->charged)
		next = t + sc->cur->remaining;
	for (i = 0; i < sc->num; i++) {
		struct vcpu *v = sc->vcpu[i];

		if (v->state == VCPU_OFF)
			continue;
		if (v->period && v->next_refill < next)
			next = v->next_refill;
		if (v != sc->cur && v->state == VCPU_IDLE && timer_deadline(v) < next)
			next = timer_deadline(v);
	}
	write_sysreg(cnthp_cval_el2, next);
	write_sysreg(cnthp_ctl_el2, next == NEVER ? 0 : CNTHP_ENABLE);
	isb();
}

/* --- switching ------------------------------------------------------------ */

/* Load next (not the loaded vCPU) in place of the loaded one, if any. */
static void switch_to(struct per_cpu *cpu, struct sched_cpu *sc, struct trap_frame *f,
		      struct vcpu *next)
{
	struct vcpu *prev = sc->cur;

	if (prev) {
		vcpu_save(prev, f);
		vgic_save(cpu, prev);
	}
	sc->cur = next;
	sc->switches++;
	vcpu_enter(cpu, next);
	if (next->fresh) {
		next->fresh = false;
		next->held_ticks = 0; /* a new ledger */
		ledger_add(next, 0);
		vgic_reset(next);
		vcpu_reset(f, next->park.entry, next->park.context);
		printk("CPU %u: vCPU of '%s' entered at 0x%lx\n", cpu->index,
		       next->cell->name, next->park.entry);
	} else {
		vcpu_restore(next, f);
	}
	vgic_restore(cpu, next);
}

/* No vCPU is loaded and none is runnable, or none exists any more. */
static bool all_off(const struct sched_cpu *sc)
{
	u32 i;

	for (i = 0; i < sc->num; i++)
		if (sc->vcpu[i]->state != VCPU_OFF)
			return false;
	return true;
}

static void decide(struct per_cpu *cpu, struct sched_cpu *sc, struct trap_frame *f,
		   struct vcpu *avoid)
{
	u64 t = now();
	struct vcpu *next, *prev;
	bool prev_charged = sc->charged;

	account(sc, t);
	update_states(cpu, sc, t);
	next = pick(sc, avoid, &sc->charged);
	prev = sc->cur;
	/*
	 * Without a next, an idle vCPU stays loaded (its timer is live) and
	 * charged is false; a parked one was unloaded when it parked.
	 */
	if (next && next != prev) {
		/* one that gave the CPU up pays for the switch, else the next */
		bool gave_up = prev && (prev->state != VCPU_RUNNABLE || prev == avoid);

		if (prev)
			ledger_stop(prev, t);
		switch_to(cpu, sc, f, next);
		if (gave_up) {
			u64 t2 = now();

			charge(prev, t2 - t, prev_charged);
			ledger_add(prev, t2 - t);
			t = sc->last = t2;
		}
		ledger_start(next, t);
	} else if (prev && prev->state == VCPU_RUNNABLE) {
		if (!prev->held_since)
			ledger_start(prev, t);
	} else if (prev) {
		ledger_stop(prev, t); /* idle */
	}
	program_timer(sc, t);
}

/*
 * Re-evaluate after an event; returns with a vCPU loaded into the frame,
 * after idling at EL2 if nothing is runnable, or with the CPU parked in
 * Haven (cpu_park) once no vCPU is left on it.
 */
void sched_reschedule(struct trap_frame *f)
{
	struct per_cpu *cpu = this_cpu();
	struct sched_cpu *sc = cpu->sched;

	sc->need_resched = false;
	decide(cpu, sc, f, 0);
	while (!sc->cur || sc->cur->state != VCPU_RUNNABLE) {
		if (!sc->cur && all_off(sc)) {
			/* every cell on it stopped: wait like any CPU in Haven */
			cpu->sched = 0;
			cpu_wait(f, "no vCPU left");
			return;
		}
		asm volatile("wfi" ::: "memory");
		sc->last = now(); /* idle time is nobody's */
		irq_poll(f);
		sc->need_resched = false;
		decide(cpu, sc, f, 0);
	}
}

/* This CPU leaves its park for the vCPUs woken on it (park.c). */
void sched_enter(struct trap_frame *f)
{
	struct per_cpu *cpu = this_cpu();

	cpu->sched = &sched_cpus[cpu->index];
	cpu->sched->cur = 0;
	cpu->sched->last = now();
	sched_reschedule(f);
}

/* The running vCPU parks (CPU_OFF, its cell stopped or failed). */
void sched_park_current(struct trap_frame *f, const char *why)
{
	struct per_cpu *cpu = this_cpu();
	struct sched_cpu *sc = cpu->sched;
	struct vcpu *v = sc->cur;

	account(sc, now());
	ledger_stop(v, sc->last);
	stop_timers();
	vgic_drop(cpu, v);
	v->state = VCPU_OFF;
	sc->cur = 0;
	unload(cpu);
	WRITE_ONCE(v->park.wake, false);
	__atomic_store_n(&v->park.parked, true, __ATOMIC_RELEASE);
	printk("CPU %u: vCPU of '%s' parked (%s)\n", cpu->index, v->cell->name, why);
	sched_reschedule(f);
}

/* A trapped WFI (idle unless an interrupt is pending) or WFE (yield). */
void sched_wfx(struct trap_frame *f, bool wfe)
{
	struct per_cpu *cpu = this_cpu();
	struct sched_cpu *sc = cpu->sched;
	struct vcpu *v = sc->cur;
	skip_instruction(f); /* WFx traps with ELR at the instruction */
	if (wfe) {
		decide(cpu, sc, f, v);
		return;
	}
	if (vgic_has_pending(cpu, v) || timer_firing(read_sysreg(cntv_ctl_el0)) ||
	    timer_firing(read_sysreg(cntp_ctl_el0)))
		return;
	v->state = VCPU_IDLE; /* it holds the CPU until the decision */
	sched_reschedule(f);
}

/*
 * A physical interrupt on a shared CPU, other than Haven's own: PPIs are
 * the loaded vCPU's (its timers are the ones in the hardware), an SPI its
 * owner's vCPU on this CPU, running or not.
 */
void sched_route_irq(struct per_cpu *cpu, u32 intid)
{
	struct sched_cpu *sc = cpu->sched;
	struct vcpu *v = 0;
	u32 i;

	if (intid < 32) {
		v = sc->cur;
	} else {
		for (i = 0; i < sc->num; i++)
			if (sc->vcpu[i]->state != VCPU_OFF &&
			    cell_owns_irq(sc->vcpu[i]->cell, intid))
				v = sc->vcpu[i];
	}
	if (!v || intid >= 1020) {
		write_sysreg(ICC_DIR_EL1, intid);
		return;
	}
	if (v == sc->cur)
		gic_inject(cpu, intid, true);
	else if (irq_queue_push(&v->gic.queue, cpu->index, intid, true))
		write_sysreg(ICC_DIR_EL1, intid);
	if (v->state == VCPU_IDLE) {
		v->state = VCPU_RUNNABLE;
		sc->need_resched = true;
	}
}

/* The scheduler's timer fired: the next decision is due. */
void sched_timer_irq(struct per_cpu *cpu)
{
	write_sysreg(cnthp_ctl_el2, 0);
	if (cpu->sched)
		cpu->sched->need_resched = true;
}

/* A cell's SGI to one of its vCPUs on a shared CPU: pending, and a doorbell. */
void sched_send_sgi(struct vcpu *v, u32 intid)
{
	struct per_cpu *cpu = this_cpu();

	vgic_send_sgi(v, intid);
	if (v->cpu != cpu->index)
		gic_sgi_to_cpu(v->cpu, HAVEN_SGI);
	else if (cpu->sched)
		cpu->sched->need_resched = true;
}
