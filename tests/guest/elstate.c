// SPDX-License-Identifier: GPL-2.0-only
/*
 * elstate.ko: the hostile suite's look, from the root Linux, at the EL1
 * state a CPU came back with (tests/qemu/hostile.sh). Loaded right after
 * the CPU returned from a cell (the cell planted its registers, see
 * inmates/tests/hostile_state.c), it reads them on that CPU and prints, like
 * the cell's own check,
 *
 *   elstate: HOSTILE: leak NAME=0xVALUE (reset 0xRESET, mask 0xMASK)
 *   elstate: HOSTILE: checked N values
 *   elstate: HOSTILE: observed=reset-state|leaked leaks=0xN
 *
 * and stays loaded doing nothing (rmmod it).
 *
 * Linux itself re-initialises most of that state when it brings a CPU
 * online: the PMU driver stops, zeroes and unconfigures the counters and
 * turns off EL0 access and overflow interrupts, hw_breakpoint clears the
 * breakpoints and watchpoints, the debug monitors unlock the OS lock and
 * double lock and set MDSCR_EL1, the timer driver programs the physical
 * timer (the root runs at EL1 having booted at EL2) and CNTKCTL_EL1's access
 * and event-stream enable bits, and FP/SIMD and the thread registers belong
 * to whichever task runs. What is read here is what this kernel
 * (scripts/kernel/guest.config: no KVM, no RAS, no PID in CONTEXTIDR, no
 * event stream) leaves alone, so it can only be Haven's reset or the
 * previous owner's: the PMU event types, cycle counter filter and counter
 * selection, the virtual timer, CNTKCTL_EL1's event stream divider and
 * direction, the claim tags, CONTEXTIDR_EL1, CSSELR_EL1 and DISR_EL1.
 */
#include <linux/module.h>
#include <linux/smp.h>
#include <asm/arm_pmuv3.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>

static unsigned int cpu = 2;
module_param(cpu, uint, 0444);
MODULE_PARM_DESC(cpu, "the CPU to read (default 2)");

#define MAX_VALUES 48

struct value {
	const char *name;
	int n; /* instance, -1: none */
	u64 value, mask, reset;
};

static struct value values[MAX_VALUES];
static unsigned int num_values;

static void add(const char *name, int n, u64 value, u64 mask, u64 reset)
{
	if (num_values < MAX_VALUES)
		values[num_values++] = (struct value){ name, n, value, mask, reset };
}

/* on the CPU: the registers, with Haven's reset values (vcpu.c, vcpu_pmu_debug.c) */
static void read_state(void *unused)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 pmuver = (dfr0 >> 8) & 0xf;
	unsigned int n, counters;

	if (pmuver && pmuver != 0xf) {
		counters = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
		for (n = 0; n < counters && n < 31; n++)
			add("pmevtyper", n, read_pmevtypern(n), ~0ULL, 0);
		add("pmccfiltr_el0", -1, read_sysreg(pmccfiltr_el0), ~0ULL, 0);
		if (counters >= 2)
			add("pmselr_el0", -1, read_sysreg(pmselr_el0), 0x1f, 0);
	}
	add("cntv_cval_el0", -1, read_sysreg(cntv_cval_el0), ~0ULL, 0);
	add("cntv_ctl_el0", -1, read_sysreg(cntv_ctl_el0), 3, 0);
	/* EVNTDIR and EVNTI: Linux rewrites the other bits */
	add("cntkctl_el1", -1, read_sysreg(cntkctl_el1), 0xf8, 0);
	add("dbgclaim", -1, read_sysreg(dbgclaimclr_el1), 0xff, 0);
	add("contextidr_el1", -1, read_sysreg(contextidr_el1), ~0ULL, 0);
	add("csselr_el1", -1, read_sysreg(csselr_el1), 0xf, 0);
	if ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf)
		add("disr_el1", -1, read_sysreg_s(SYS_DISR_EL1), ~0ULL, 0);
}

static int __init elstate_init(void)
{
	unsigned int i, leaks = 0;
	int err;

	err = smp_call_function_single(cpu, read_state, NULL, 1);
	if (err) {
		pr_err("elstate: HOSTILE: cannot run on CPU %u: %d\n", cpu, err);
		return err;
	}
	for (i = 0; i < num_values; i++) {
		const struct value *v = &values[i];

		if (!((v->value ^ v->reset) & v->mask))
			continue;
		leaks++;
		if (v->n >= 0)
			pr_info("elstate: HOSTILE: leak %s%d=0x%llx (reset 0x%llx, mask 0x%llx)\n",
				v->name, v->n, v->value, v->reset, v->mask);
		else
			pr_info("elstate: HOSTILE: leak %s=0x%llx (reset 0x%llx, mask 0x%llx)\n",
				v->name, v->value, v->reset, v->mask);
	}
	pr_info("elstate: HOSTILE: checked %u values on CPU %u\n", num_values, cpu);
	pr_info("elstate: HOSTILE: observed=%s leaks=0x%x\n",
		leaks ? "leaked" : "reset-state", leaks);
	return 0;
}

static void __exit elstate_exit(void)
{
}

module_init(elstate_init);
module_exit(elstate_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Haven test: EL1 state a CPU brought back to the root");
