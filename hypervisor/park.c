// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parked CPUs: a CPU that is in no running cell waits in Haven (after a
 * PSCI CPU_OFF, when its cell stops or fails, before its cell starts).
 * cpu_wake() hands it an entry point; it then enters the cell that owns it
 * at that moment with a reset EL1 state. A running CPU of a cell is made to
 * park by a stop request and Haven's SGI.
 */
#include <cell.h>
#include <gic.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>
#include <vcpu.h>

/*
 * Park this CPU until cpu_wake(); returns with the frame set up to enter
 * the CPU's cell. At disable a parked CPU powers off instead.
 */
void cpu_park(struct trap_frame *f, const char *why)
{
	struct per_cpu *cpu = this_cpu();

	cpu_detach(cpu);
	printk("CPU %u parked in Haven (%s)\n", cpu->index, why);
	cpu->wake = false;
	__atomic_store_n(&cpu->parked, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&cpu->wake, __ATOMIC_ACQUIRE)) {
		if (READ_ONCE(hv.disabling))
			psci_power_off(cpu, "disable");
		wfe();
	}
	/*
	 * A stop request that was sent while this CPU was on its way here (the
	 * sender saw it not parked yet) is spent: cleared on waking, not on
	 * parking, or its SGI would park the CPU again in its next owner.
	 */
	WRITE_ONCE(cpu->stop_request, false);
	vcpu_reset(f, cpu->wake_entry, cpu->wake_context);
	if (cpu_enter_cell(cpu))
		psci_power_off(cpu, "cannot enter its cell");
	printk("CPU %u entered cell '%s' at 0x%lx\n", cpu->index, cpu->cell->name,
	       cpu->wake_entry);
}

/*
 * Take a parked CPU out of its park (the claim: a second waker loses) and
 * let it enter its cell at entry with x0 = context.
 */
bool cpu_wake(u32 index, u64 entry, u64 context)
{
	struct per_cpu *target = &per_cpu_data[index];
	bool parked = true;

	if (!__atomic_compare_exchange_n(&target->parked, &parked, false, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return false;
	target->wake_entry = entry;
	target->wake_context = context;
	/* entry and context are published by the release of wake */
	__atomic_store_n(&target->wake, true, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	return true;
}

bool cpu_is_parked(u32 index)
{
	return __atomic_load_n(&per_cpu_data[index].parked, __ATOMIC_ACQUIRE);
}

/* Ask a CPU running a cell to park: it sees the request at Haven's SGI. */
void cpu_request_stop(u32 index)
{
	WRITE_ONCE(per_cpu_data[index].stop_request, true);
	dsb(ish);
	gic_sgi_to_cpu(index, HAVEN_SGI);
}

/* Haven's SGI arrived: park if asked to (true), otherwise it was stale. */
bool cpu_handle_stop_request(struct trap_frame *f)
{
	if (!READ_ONCE(this_cpu()->stop_request))
		return false;
	cpu_park(f, "cell stopped");
	return true;
}
