// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parked CPUs: a CPU that is in no running cell waits in Haven (after a
 * PSCI CPU_OFF, when its cell stops or fails, before its cell starts).
 * cpu_wake() hands it an entry point; it then enters the cell that owns it
 * at that moment with a reset EL1 state. A running CPU of a cell is made to
 * park by a stop request and Haven's SGI.
 *
 * On a CPU shared by cells, each cell has its own vCPU, parked or not
 * (sched.c); the CPU waits here only while none of them runs.
 */
#include <cell.h>
#include <gic.h>
#include <sched.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>
#include <vcpu.h>

/*
 * Wait until this CPU has something to run: the root or the cell owning
 * the CPU woke it (its own park), or a cell woke its vCPU on this shared
 * CPU. Returns with the frame set up to enter it. At disable a waiting
 * CPU powers off instead.
 */
void cpu_wait(struct trap_frame *f, const char *why)
{
	struct per_cpu *cpu = this_cpu();

	cpu_detach(cpu);
	printk("CPU %u parked in Haven (%s)\n", cpu->index, why);
	for (;;) {
		if (__atomic_load_n(&cpu->park.wake, __ATOMIC_ACQUIRE))
			break;
		if (READ_ONCE(hv.disabling))
			psci_power_off(cpu, "disable");
		if (sched_has_work(cpu->index)) {
			if (cpu_enter_cell(cpu))
				psci_power_off(cpu, "cannot enter its cell");
			sched_enter(f);
			return;
		}
		wfe();
	}
	cpu->park.wake = false;
	/*
	 * A stop request that was sent while this CPU was on its way here (the
	 * sender saw it not parked yet) is spent: cleared on waking, not on
	 * parking, or its SGI would park the CPU again in its next owner.
	 */
	WRITE_ONCE(cpu->park.stop_request, false);
	vcpu_reset(f, cpu->park.entry, cpu->park.context);
	if (cpu_enter_cell(cpu))
		psci_power_off(cpu, "cannot enter its cell");
	printk("CPU %u entered cell '%s' at 0x%lx\n", cpu->index, cpu->cell->name,
	       cpu->park.entry);
}

/*
 * Park this CPU (or, on a shared CPU, the running vCPU) until cpu_wake();
 * returns with the frame set up to run what runs next.
 */
void cpu_park(struct trap_frame *f, const char *why)
{
	struct per_cpu *cpu = this_cpu();

	if (cpu->sched) {
		sched_park_current(f, why);
		return;
	}
	cpu->park.wake = false;
	__atomic_store_n(&cpu->park.parked, true, __ATOMIC_RELEASE);
	cpu_wait(f, why);
}

/*
 * Take the cell's parked CPU out of its park (the claim: a second waker
 * loses) and let it enter the cell at entry with x0 = context.
 */
bool cpu_wake(const struct cell *c, u32 index, u64 entry, u64 context)
{
	struct vcpu_park *p = vcpu_park_of(c, index);
	bool parked = true;

	if (!__atomic_compare_exchange_n(&p->parked, &parked, false, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return false;
	p->entry = entry;
	p->context = context;
	/* entry and context are published by the release of wake */
	__atomic_store_n(&p->wake, true, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	if (p != &per_cpu_data[index].park && index != this_cpu()->index)
		gic_sgi_to_cpu(index, HAVEN_SGI); /* its CPU may be running another vCPU */
	return true;
}

bool cpu_is_parked(const struct cell *c, u32 index)
{
	return __atomic_load_n(&vcpu_park_of(c, index)->parked, __ATOMIC_ACQUIRE);
}

bool cpu_stop_requested(const struct cell *c, u32 index)
{
	return READ_ONCE(vcpu_park_of(c, index)->stop_request);
}

/* Ask the cell's CPU to park: it sees the request at Haven's SGI. */
void cpu_request_stop(const struct cell *c, u32 index)
{
	WRITE_ONCE(vcpu_park_of(c, index)->stop_request, true);
	dsb(ish);
	gic_sgi_to_cpu(index, HAVEN_SGI);
}

/* Haven's SGI arrived: park if asked to (true), otherwise it was stale. */
bool cpu_handle_stop_request(struct trap_frame *f)
{
	if (!READ_ONCE(this_cpu()->park.stop_request))
		return false;
	cpu_park(f, "cell stopped");
	return true;
}
