// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI for the root cell (DEN0022). CPU_ON and CPU_OFF go to the firmware,
 * but a CPU switched on comes up in Haven first, which then enters the
 * cell at the requested address. Discovery calls are answered here.
 */
#include <cell.h>
#include <sched.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>
#include <vcpu.h>

#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND 0xc4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xc4000003U
#define PSCI_AFFINITY_INFO 0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000aU
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMC64_BIT 0x40000000U

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define AFFINITY_ON 0
#define AFFINITY_OFF 1
#define PSCI_TOS_NOT_PRESENT 2

extern const char haven_entry[];

static u64 firmware_smc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn, x1 asm("x1") = a1, x2 asm("x2") = a2,
				      x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

static s64 psci_cpu_on(struct cell *c, u64 mpidr, u64 entry, u64 context)
{
	int cpu = cpu_by_mpidr(mpidr);
	struct per_cpu *target;

	if (cpu < 0 || !(c->cpus & (1UL << cpu))) {
		cell_deny(c, "PSCI CPU_ON of MPIDR 0x%lx, not its CPU\n", mpidr);
		return PSCI_INVALID_PARAMS;
	}
	if (READ_ONCE(c->stopping))
		return PSCI_DENIED;
	target = &per_cpu_data[cpu];
	if (c != &root_cell && sched_vcpu(c, (u32)cpu))
		return cpu_wake(c, (u32)cpu, entry, context) ? PSCI_SUCCESS : PSCI_ALREADY_ON;
	if (READ_ONCE(target->in_haven))
		return PSCI_ALREADY_ON;
	if (cpu_wake(c, (u32)cpu, entry, context))
		return PSCI_SUCCESS;
	if (c != &root_cell)
		return PSCI_DENIED; /* a cell's CPUs are parked or running */
	/* not parked (it was off at enable): start it through the firmware */
	/* the firmware starts the CPU in haven_entry with the MMU off */
	target->park.entry = entry;
	target->park.context = context;
	dcache_clean_inval_range((u64)&target->park.entry, 2 * sizeof(u64));
	return (s64)firmware_smc(PSCI_CPU_ON, mpidr, (u64)haven_entry,
				 HAVEN_ENTRY_CPU_ON | (u64)cpu);
}

/* Start the cell on this CPU where its CPU_ON asked, as if reset into EL1. */
void psci_enter_cell(struct trap_frame *f, u32 cpu)
{
	vcpu_reset(f, per_cpu_data[cpu].park.entry, per_cpu_data[cpu].park.context);
}

void __noreturn psci_power_off(struct per_cpu *cpu, const char *why)
{
	printk("CPU %u: powered off (%s)\n", cpu->index, why);
	dcache_clean_inval_range(hv.base, hv.size);
	__atomic_store_n(&cpu->park.parked, false, __ATOMIC_RELEASE);
	firmware_smc(PSCI_CPU_OFF, 0, 0, 0);
	panic("CPU %u: firmware CPU_OFF failed\n", cpu->index);
}

/*
 * The CPU stays in Haven, parked, until a CPU_ON for it; then it enters
 * its cell at the requested address with a clean EL1 state. Returns the
 * new x0 (the CPU_ON context), as the SMC's result.
 */
static s64 psci_cpu_off(struct trap_frame *f, struct cell *c)
{
	if (c != &root_cell)
		cell_cpu_off(c, this_cpu()->index);
	cpu_park(f, "CPU_OFF");
	return (s64)f->x[0];
}

/* Parked CPUs look off to the cell; running ones on; others ask the firmware. */
static s64 psci_affinity_info(struct cell *c, u64 mpidr, u64 level)
{
	int cpu = cpu_by_mpidr(mpidr);

	if (cpu < 0 || !(c->cpus & (1UL << cpu)) || level != 0)
		return PSCI_INVALID_PARAMS;
	if (cpu_is_parked(c, (u32)cpu))
		return AFFINITY_OFF;
	if (c != &root_cell && sched_vcpu(c, (u32)cpu))
		return AFFINITY_ON;
	if (READ_ONCE(per_cpu_data[cpu].in_haven))
		return AFFINITY_ON;
	return (s64)firmware_smc(PSCI_AFFINITY_INFO, mpidr, 0, 0);
}

/* Disable: wake parked CPUs so they power off, and wait until they have. */
void psci_release_parked(void)
{
	u32 i;

	WRITE_ONCE(hv.disabling, true);
	dsb(ish);
	sev();
	for (i = 0; i < hv.sys->platform.num_cpus && i < CONFIG_MAX_CPUS; i++)
		while (__atomic_load_n(&per_cpu_data[i].park.parked, __ATOMIC_ACQUIRE))
			asm volatile("yield");
}

static s64 psci_features(const struct cell *c, u32 fn)
{
	switch (fn) {
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
		return PSCI_SUCCESS;
	case SMCCC_VERSION:
		/* a cell sees SMCCC 1.0: no firmware services behind Haven */
		return c == &root_cell ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

static s64 psci_call(struct trap_frame *f, struct cell *c, u32 fn)
{
	switch (fn) {
	case PSCI_VERSION:
		return 0x10001; /* 1.1 */
	case PSCI_CPU_ON:
		return psci_cpu_on(c, f->x[1], f->x[2], f->x[3]);
	case PSCI_CPU_OFF:
		return psci_cpu_off(f, c);
	case PSCI_AFFINITY_INFO:
		return psci_affinity_info(c, f->x[1], f->x[2]);
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		if (c != &root_cell) {
			/* a cell's machine is the cell: it stops (to restart) */
			cell_stop_self(f, fn == PSCI_SYSTEM_RESET);
			return (s64)f->x[0];
		}
		/* the root cell owns the machine */
		printk("root cell: %s\n", fn == PSCI_SYSTEM_OFF ? "system off" : "system reset");
		return (s64)firmware_smc(fn, 0, 0, 0);
	case PSCI_FEATURES:
		return psci_features(c, (u32)f->x[1]);
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		if (c != &root_cell)
			return PSCI_NOT_SUPPORTED;
		/* firmware discovery must answer as it did at boot */
		return (s64)firmware_smc(fn, f->x[1], 0, 0);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* An SMC on the cell's allow-list goes to the firmware: x1-x7 in, x0-x3 out. */
static bool smc_allowed(const struct cell *c, u32 fn)
{
	u32 i;

	for (i = 0; i < c->cfg->num_smcs && i < HAVEN_MAX_SMCS; i++)
		if (c->cfg->smc_allow[i] == fn)
			return true;
	return false;
}

static void forward_smc(struct trap_frame *f)
{
	register u64 x0 asm("x0") = f->x[0], x1 asm("x1") = f->x[1], x2 asm("x2") = f->x[2],
				      x3 asm("x3") = f->x[3], x4 asm("x4") = f->x[4],
				      x5 asm("x5") = f->x[5], x6 asm("x6") = f->x[6],
				      x7 asm("x7") = f->x[7];

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
		       "+r"(x6), "+r"(x7)
		     :
		     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
		       "x17", "memory");
	f->x[0] = x0;
	f->x[1] = x1;
	f->x[2] = x2;
	f->x[3] = x3;
}

/*
 * PSCI and SMCCC discovery are emulated; SMCs on the cell's allow-list pass
 * to the firmware; any other SMC is refused (NOT_SUPPORTED), or fails a
 * cell whose fault policy is "fail".
 */
void handle_smc(struct trap_frame *f)
{
	struct cell *c = this_cpu()->cell;
	u32 fn = (u32)f->x[0];
	bool psci = (fn & ~SMC64_BIT & 0xff000000U) == 0x84000000U ||
		    fn == SMCCC_VERSION || fn == SMCCC_ARCH_FEATURES;

	count_trap(psci ? HAVEN_STAT_PSCI : HAVEN_STAT_SMC_OTHER);
	if (!psci && f->x[0] >> 32 == 0 && smc_allowed(c, fn)) {
		skip_instruction(f); /* a trapped SMC returns to the SMC itself */
		forward_smc(f);
		return;
	}
	if (!psci && c != &root_cell && !(c->cfg->flags & HAVEN_CELL_FAULT_ABORT)) {
		cell_fail(f, read_sysreg(esr_el2), "unknown SMC", fn);
		return;
	}
	skip_instruction(f);
	if (!psci)
		cell_deny(c, "SMC 0x%x, not on its allow-list\n", fn);
	f->x[0] = (u64)(psci ? psci_call(f, c, fn) : PSCI_NOT_SUPPORTED);
}
