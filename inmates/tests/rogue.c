// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rogue.bin: a Haven cell that does one forbidden thing, so that a test can
 * check that Haven contains it. The mode is the little-endian u64 at
 * ROGUE_MODE_ADDR, loaded there as a second image, e.g.
 *   havenctl cell load rogue rogue.bin mode.bin@0x40180000
 *
 *   1  memory  write, then read, 0x50000000 (root RAM, not mapped into the
 *              cell: a stage-2 fault)
 *   2  smc     SMC #0 with the unknown function ID 0x82000042
 *   3  hvc     HVC #0 with 0xc60000ff, in Haven's range but no Haven call
 *   4  deaf    like idle, but never acknowledges a shutdown (Haven has to
 *              stop it when the root's timeout expires)
 *   5  block   for a cell with direct interrupt delivery: tries to keep
 *              Haven from ever taking its CPU back. Its timer PPI at
 *              priority 0 (the highest), acknowledged and never ended (the
 *              running priority stays there), priority mask 0, Group 0
 *              disabled, PSTATE.DAIF all masked; then deaf
 *   else idle  heartbeat in the comm page every 10 ms (busy-waiting on the
 *              counter), a console line every second, and the shutdown
 *              handshake: ack, then PSCI SYSTEM_OFF
 *
 * Each step is printed before it is taken, so the console shows how far the
 * cell got. If the forbidden access returns, the cell prints what it got,
 * "rogue: survived", and exits (PSCI SYSTEM_OFF).
 */
#include "inmate.h"

#define ROGUE_MODE_ADDR HV_U64(0x40180000)
#define ROGUE_FOREIGN_ADDR HV_U64(0x50000000)
#define ROGUE_MARK HV_U64(0x4555474f52) /* "ROGUE", little-endian */
#define ROGUE_SMC_FN 0x82000042U
#define ROGUE_HVC_FN 0xc60000ffU
#define HEARTBEAT_MS 10
#define BEATS_PER_LINE 100

HAVEN_STATIC_ASSERT(ROGUE_MODE_ADDR >= PLAT_RAM_BASE + PLAT_IMAGE_MAX,
		    "the mode word is clear of the image");

enum rogue_mode { MODE_IDLE, MODE_MEMORY, MODE_SMC, MODE_HVC, MODE_DEAF, MODE_BLOCK };

static const char *const mode_names[] = { "idle", "memory", "smc", "hvc", "deaf", "block" };

#define VTIMER_PPI 27

#define SMCCC_CALL(insn, fn)                                                   \
	({                                                                     \
		register hv_u64 x0 __asm__("x0") = (fn);                       \
		__asm__ volatile(insn                                          \
				 : "+r"(x0)                                    \
				 :                                             \
				 : "x1", "x2", "x3", "x4", "x5", "x6", "x7",   \
				   "x8", "x9", "x10", "x11", "x12", "x13",     \
				   "x14", "x15", "x16", "x17", "memory");      \
		x0;                                                            \
	})

static hv_u64 read_mode(void)
{
	/* written by the loader, not by this CPU: no stale line of it here */
	__asm__ volatile("dc civac, %0; dsb sy" ::"r"(ROGUE_MODE_ADDR)
			 : "memory");
	return *(const volatile hv_u64 *)ROGUE_MODE_ADDR;
}

static void __noreturn idle(bool listen)
{
	hv_u64 freq = comm_counter_freq();
	hv_u64 next = timer_now(), beats = 0;

	if (!freq)
		freq = timer_freq();
	if (!freq) {
		printf("rogue: counter frequency unknown\n");
		inmate_fail();
	}
	for (;;) {
		if (listen && comm_cell_state() == HAVEN_COMM_SHUTDOWN_REQUESTED) {
			printf("rogue: shutdown acknowledged\n");
			console_flush();
			comm_ack(HAVEN_COMM_SHUT_DOWN);
			inmate_exit();
		}
		comm_heartbeat();
		if (++beats % BEATS_PER_LINE == 0)
			printf("rogue: heartbeat %lu\n", beats);
		next += freq * HEARTBEAT_MS / 1000;
		while (timer_now() < next)
			;
	}
}

/* Everything a cell could try at EL1 to keep Haven's interrupt out. */
static void block(void)
{
	hv_u32 intid;

	if (gic_init())
		inmate_fail();
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	gic_enable_ppi(VTIMER_PPI, 0);
	timer_set(timer_now());
	do
		intid = gic_ack();
	while (intid != VTIMER_PPI);
	timer_stop();
	write_sysreg(icc_pmr_el1, 0);
	write_sysreg(s3_0_c12_c12_6, 0); /* ICC_IGRPEN0_EL1 */
	isb();
	printf("rogue: blocking: INTID %u acknowledged at priority 0 and never ended, PMR 0x%lx, IGRPEN0 0, DAIF masked\n",
	       intid, read_sysreg(icc_pmr_el1));
}

int inmate_main(void)
{
	volatile hv_u64 *foreign = (volatile hv_u64 *)ROGUE_FOREIGN_ADDR;
	hv_u64 mode = read_mode(), ret;

	if (mode >= ARRAY_SIZE(mode_names))
		mode = MODE_IDLE;
	printf("rogue: started, mode %s\n", mode_names[mode]);

	switch (mode) {
	case MODE_MEMORY:
		printf("rogue: touching 0x%llx\n", ROGUE_FOREIGN_ADDR);
		*foreign = ROGUE_MARK;
		ret = *foreign;
		printf("rogue: read 0x%lx\n", ret);
		break;
	case MODE_SMC:
		printf("rogue: unknown SMC 0x%x\n", ROGUE_SMC_FN);
		ret = SMCCC_CALL("smc #0", ROGUE_SMC_FN);
		printf("rogue: SMC returned 0x%lx\n", ret);
		break;
	case MODE_HVC:
		printf("rogue: unknown HVC 0x%x\n", ROGUE_HVC_FN);
		ret = SMCCC_CALL("hvc #0", ROGUE_HVC_FN);
		printf("rogue: HVC returned 0x%lx\n", ret);
		break;
	case MODE_BLOCK:
		block();
		idle(false);
	case MODE_DEAF:
		idle(false);
	default:
		idle(true);
	}
	printf("rogue: survived\n");
	return 0;
}
