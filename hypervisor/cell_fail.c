// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell stops on its own CPU: it failed (a trap Haven does not handle), it
 * powered itself off, or its last CPU went off. The CPU parks; the cell's
 * other CPUs are asked to park too. Nothing here takes the cells lock: the
 * root may hold it while it waits for these CPUs (cell_control.c).
 */
#include <cell.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>

static const char *ec_name(u64 ec)
{
	switch (ec) {
	case EC_DABT_LOW: return "data abort";
	case EC_IABT_LOW: return "instruction abort";
	case EC_SMC64: return "SMC";
	case EC_HVC64: return "HVC";
	case EC_SYS64: return "system register access";
	default: return "exception";
	}
}

static void stop_other_cpus(const struct cell *c, u32 self)
{
	u32 i;

	for (i = 0; i < hv.sys->platform.num_cpus; i++)
		if ((c->cpus & BIT(i)) && i != self && !cpu_is_parked(c, i))
			cpu_request_stop(c, i);
}

/*
 * The single failure path for a cell: report (cell, CPU, exception class,
 * address, PC), mark it failed, stop it. The root and other cells go on.
 */
void cell_fail(struct trap_frame *f, u64 esr, const char *what, u64 addr)
{
	struct per_cpu *cpu = this_cpu();
	struct cell *c = cpu->cell;

	__atomic_fetch_add(&c->faults, 1, __ATOMIC_RELAXED);
	__atomic_or_fetch(&c->failed_cpus, BIT(cpu->index), __ATOMIC_SEQ_CST);
	WRITE_ONCE(c->stopping, true);
	__atomic_store_n(&c->state, HAVEN_CELL_FAILED, __ATOMIC_SEQ_CST);
	if (c->comm)
		WRITE_ONCE(c->comm->cell_state, HAVEN_COMM_FAILED);
	printk("cell '%s' FAILED: CPU %u, %s (EC 0x%lx, ESR 0x%lx): %s 0x%lx, PC 0x%lx\n",
	       c->name, cpu->index, ec_name(ESR_EC(esr)), ESR_EC(esr), esr, what, addr,
	       f->elr);
	stop_other_cpus(c, cpu->index);
	cpu_park(f, "cell failed");
}

/*
 * PSCI SYSTEM_OFF or SYSTEM_RESET from a cell: the cell stops (failed if it
 * said so). After a reset the root may start it again (HAVEN_CELL_INFO_RESET).
 */
void cell_stop_self(struct trap_frame *f, bool reset)
{
	struct per_cpu *cpu = this_cpu();
	struct cell *c = cpu->cell;

	WRITE_ONCE(c->stopping, true);
	WRITE_ONCE(c->reset_requested, reset);
	if (c->comm && READ_ONCE(c->comm->cell_ack) == HAVEN_COMM_FAILED) {
		__atomic_or_fetch(&c->failed_cpus, BIT(cpu->index), __ATOMIC_SEQ_CST);
		__atomic_store_n(&c->state, HAVEN_CELL_FAILED, __ATOMIC_SEQ_CST);
		printk("cell '%s' FAILED: CPU %u, the cell reported a failure and powered off, PC 0x%lx\n",
		       c->name, cpu->index, f->elr);
	} else {
		cell_mark_stopped(c);
		printk("cell '%s' %s (CPU %u)\n", c->name,
		       reset ? "asked for a reset" : "powered off", cpu->index);
	}
	stop_other_cpus(c, cpu->index);
	cpu_park(f, "cell off");
}

/* PSCI CPU_OFF in a cell: when its last running CPU goes, the cell is off. */
void cell_cpu_off(struct cell *c, u32 cpu)
{
	u32 i;

	for (i = 0; i < hv.sys->platform.num_cpus; i++)
		if ((c->cpus & BIT(i)) && i != cpu && !cpu_is_parked(c, i))
			return;
	cell_mark_stopped(c);
}
