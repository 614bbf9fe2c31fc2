// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * test-comm.elf: Haven's side of the communication page, emulated on a
 * second CPU, so that the Haven variant's handshake (heartbeat, statistics,
 * shutdown acknowledgement, scrub pattern) can be checked under plain QEMU
 * before Haven can start cells. Linked with the bare-metal console and GIC
 * objects and with rtos/run_haven.o (run until shutdown). The exit back end
 * is this file's psci_system_off(): like Haven, it stops only the cell's CPU
 * (PSCI CPU_OFF) and notes that the cell called it; the harness powers the
 * machine off itself. Both harness CPUs run with the MMU off; QEMU has no
 * caches to keep coherent.
 *
 * The page is at HARNESS_COMM, outside the Normal window of lib/platform.h,
 * so the runtime's 2 MiB mapping for it is exercised (needs -m 2G).
 *
 * A reservation (test-comm-shared.elf, harness_period_us != 0, from
 * comm_sched_*.c): the harness writes it into the page's sched block, and
 * until it requests the shutdown CPU 1 plays the other cell on the shared
 * CPU: from the end of the budget to the end of each period it spins on
 * the counter, so that under -icount (one vCPU executes at a time, and
 * virtual time advances with the instructions of all of them) the RTOS sees
 * gaps. CPU 1 measures what it received per period the same way (steps of
 * at most OTHER_GAP_US), so the two can be compared: in each period where
 * both are busy throughout, they received the period between them.
 */
#include "inmate.h"
#include "../rtos/rtos.h"

#define HARNESS_COMM HV_U64(0x80000000)
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_CPU_ON 0xc4000003U
#define SHUTDOWN_AFTER_MS 2500
#define ACK_TIMEOUT_MS 1000
#define OTHER_GAP_US 10

/* the reservation written into the page (comm_sched_*.c); 0: none */
extern const hv_u32 harness_period_us;
extern const hv_u32 harness_budget_us;

hv_u64 harness_cpu0(void);
void __noreturn harness_cpu1(void);
void harness_cpu1_entry(void);

static volatile struct haven_comm_page *const page =
	(volatile struct haven_comm_page *)HARNESS_COMM;
static volatile bool cell_called_off;

static long psci_call(hv_u32 fn, hv_u64 a1, hv_u64 a2)
{
	register hv_u64 x0 __asm__("x0") = fn;
	register hv_u64 x1 __asm__("x1") = a1;
	register hv_u64 x2 __asm__("x2") = a2;
	register hv_u64 x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

static void __noreturn machine_off(void)
{
	console_flush();
	psci_call(PSCI_SYSTEM_OFF, 0, 0);
	for (;;)
		wfi();
}

/*
 * The cell's exit back end (inmate_exit): Haven takes the cell's SYSTEM_OFF
 * as "this cell stops"; here the cell's CPU turns itself off.
 */
void psci_system_off(void)
{
	cell_called_off = true;
	__asm__ volatile("dsb sy" ::: "memory");
	psci_call(PSCI_CPU_OFF, 0, 0);
}

/* CPU 0, before the inmate: fill the page as Haven would, start CPU 1. */
hv_u64 harness_cpu0(void)
{
	hv_u64 mpidr = read_sysreg(mpidr_el1);
	/* the second CPU: next Aff0, or next Aff1 if Aff0 numbers threads */
	hv_u64 cpu1 = mpidr & (1UL << 24) ? 0x100 : 0x1;
	long ret;

	for (unsigned int i = 0; i < HAVEN_COMM_PAGE_SIZE / 4; i++)
		((volatile hv_u32 *)page)[i] = 0;
	for (unsigned int i = 0; i < 8; i++)
		page->magic[i] = (hv_u8)(HAVEN_COMM_MAGIC_U64 >> (8 * i));
	page->counter_freq = timer_freq();
	if (harness_period_us) {
		hv_u64 freq = timer_freq();

		page->sched.epoch = timer_now();
		page->sched.period_ticks = freq * harness_period_us / 1000000;
		page->sched.budget_ticks = freq * harness_budget_us / 1000000;
		page->sched.cpu = 0;
		page->sched.priority = 1;
	}
	page->cell_state = HAVEN_COMM_RUNNING;

	ret = psci_call(PSCI_CPU_ON, cpu1, (hv_u64)harness_cpu1_entry);
	if (ret) {
		printf("harness: CPU_ON 0x%lx failed: %ld\n", cpu1, ret);
		machine_off();
	}
	printf("harness: comm page at 0x%llx\n", HARNESS_COMM);
	return HARNESS_COMM;
}

/*
 * CPU 1 sleeps in WFI on its own virtual timer (IRQs masked at PSTATE, so
 * the pending PPI only wakes it): it then executes next to nothing, so it
 * takes no virtual time from the RTOS under -icount. Its redistributor is
 * frame 1 on QEMU virt; CPU 0's gic_dist_init turned the distributor on.
 */
static void cpu1_gic_init(void)
{
	hv_u64 rd = PLAT_GICR_BASE + PLAT_GICR_STRIDE, sgi = rd + 0x10000;
	hv_u32 bit = 1U << PLAT_TIMER_VIRT_INTID;

	mmio_write32(rd + 0x14, mmio_read32(rd + 0x14) & ~2U); /* WAKER */
	while (mmio_read32(rd + 0x14) & 4U)
		;
	mmio_write32(sgi + 0x80, mmio_read32(sgi + 0x80) | bit); /* group 1 */
	mmio_write32(sgi + 0x100, bit); /* ISENABLER0 */
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static void wait_ticks(hv_u64 ticks)
{
	hv_u64 end = timer_now() + ticks;

	timer_set(end);
	while (timer_now() < end)
		wfi();
	timer_stop();
}

static void wait_until(hv_u64 t)
{
	hv_u64 now = timer_now();

	if (now < t)
		wait_ticks(t - now);
}

/*
 * The other cell, until the counter reaches until: idle (WFI) during the
 * budget of each period, busy for the rest of it. Prints what it received
 * in its busy part of each complete period but the first.
 */
static void other_cell(hv_u64 until)
{
	hv_u64 epoch = page->sched.epoch, len = page->sched.period_ticks;
	hv_u64 budget = page->sched.budget_ticks;
	hv_u64 thr = timer_freq() * OTHER_GAP_US / 1000000;
	hv_u64 k = (timer_now() - epoch) / len + 1;
	hv_u64 n = 0, min = ~0ULL, max = 0, sum = 0;

	for (; epoch + (k + 1) * len <= until; k++) {
		hv_u64 end = epoch + (k + 1) * len, recv = 0, last, now;

		wait_until(epoch + k * len + budget);
		last = timer_now();
		while ((now = timer_now()) < end) {
			if (now - last <= thr)
				recv += now - last;
			last = now;
		}
		if (n++ == 0)
			continue; /* the first: the RTOS was starting */
		sum += recv;
		if (recv < min)
			min = recv;
		if (recv > max)
			max = recv;
	}
	n = n ? n - 1 : 0;
	printf("harness: other cell: %lu periods of %lu ticks, busy after the budget of %lu, received min/avg/max %lu/%lu/%lu ticks\n",
	       n, len, budget, n ? min : 0, n ? sum / n : 0, max);
}

static hv_u64 count_scrub_words(void)
{
	const volatile hv_u64 *p = (const volatile hv_u64 *)RTOS_SCRUB_BASE;
	hv_u64 n = 0;

	for (hv_u64 i = 0; i < RTOS_SCRUB_SIZE / 8; i++)
		n += p[i] == RTOS_SCRUB_PATTERN;
	return n;
}

void __noreturn harness_cpu1(void)
{
	hv_u64 ms = timer_freq() / 1000;
	hv_u64 hb0, hb1, start, ticks = 0;
	hv_u32 ack;

	cpu1_gic_init();
	if (harness_period_us)
		other_cell(timer_now() + SHUTDOWN_AFTER_MS * ms);
	else
		wait_ticks(SHUTDOWN_AFTER_MS * ms);
	hb0 = page->heartbeat;
	wait_ticks(10 * ms);
	hb1 = page->heartbeat;
	printf("harness: heartbeat %lu, %lu 10 ms later; releases %lu completions %lu misses %lu worst %lu ticks, %u tasks\n",
	       hb0, hb1, page->rtos.releases, page->rtos.completions,
	       page->rtos.deadline_misses, page->rtos.worst_response_ticks,
	       page->rtos.num_tasks);

	page->cell_state = HAVEN_COMM_SHUTDOWN_REQUESTED;
	start = timer_now();
	while ((ack = page->cell_ack) != HAVEN_COMM_SHUT_DOWN &&
	       (ticks = timer_now() - start) < ACK_TIMEOUT_MS * ms)
		wait_ticks(ms / 10);
	if (ack == HAVEN_COMM_SHUT_DOWN)
		printf("harness: shutdown acknowledged after %lu ticks\n",
		       ticks);
	else
		printf("harness: no acknowledgement in %u ms (cell_ack %u)\n",
		       ACK_TIMEOUT_MS, ack);
	hb0 = page->heartbeat;
	wait_ticks(10 * ms);
	printf("harness: heartbeat after the acknowledgement: %s\n",
	       page->heartbeat == hb0 ? "stopped" : "still running");
	printf("harness: the cell %s PSCI SYSTEM_OFF\n",
	       cell_called_off ? "called" : "did not call");
	/* the cell is stopped: reading all of it takes no time from it */
	printf("harness: scrub pattern 0x%llx in %lu of %llu words at 0x%llx-0x%llx\n",
	       RTOS_SCRUB_PATTERN, count_scrub_words(), RTOS_SCRUB_SIZE / 8,
	       RTOS_SCRUB_BASE, RTOS_SCRUB_BASE + RTOS_SCRUB_SIZE - 1);
	machine_off();
}
