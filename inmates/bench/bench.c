// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The measurement inmate of `make bench` (bench/README.md): the same image
 * runs on bare metal (QEMU -kernel at EL1, no EL2) and in a Haven cell, and
 * measures
 *
 *   1. timer interrupt latency: BENCH_IRQS interrupts of the EL1 virtual
 *      timer, each armed a pseudo-random 2000-3023 ticks ahead while the
 *      CPU waits in WFI; latency = the first counter read of the IRQ entry
 *      minus the compare value that fired, in counter ticks;
 *   2. with the PMU counting INST_RETIRED at EL2 only (PMEVTYPER0: P and U
 *      set = not EL1/EL0, NSH set = EL2), the EL2 instructions between two
 *      timer interrupts' entries (the path that injected the later one),
 *      and around a trapped GIC distributor read, a distributor write and
 *      a hypercall (HAVEN_HC_PROBE; in a cell only).
 *
 * Results are console lines for bench/report.py:
 *   bench: start ...
 *   bench: lat n=N min=A avg=B p50=C p99=D max=E (ticks)
 *   bench: lh LO HI COUNT   (latency histogram, meas.c's log-linear buckets)
 *   bench: el2 KIND n=N min=A p50=B avg=C max=D (instructions)
 *   bench: done
 */
#include <haven/hypercall.h> /* first: comm.h defines its console call only without it */
#include "inmate.h"

#define BENCH_IRQS 4000
#define TIMER_PRIO 0x80
#define ARM_BASE 2000 /* ticks from now to the next compare value */
#define ARM_JITTER 1023
#define ACCESSES 500
#define GICD_ISENABLER0 (PLAT_GICD_BASE + 0x100)
#define GICD_IPRIORITYR_TIMER (PLAT_GICD_BASE + 0x400 + PLAT_TIMER_VIRT_INTID)

/* PMU: INST_RETIRED (event 0x08), counted at EL2 only */
#define PMU_INST_RETIRED 0x08UL
#define PMEVTYPER_P (1UL << 31) /* not at EL1 */
#define PMEVTYPER_U (1UL << 30) /* not at EL0 */
#define PMEVTYPER_NSH (1UL << 27) /* at EL2 */
#define PMCR_E 1UL

/* every sample kept: exact percentiles */
struct samples {
	struct meas_stat s;
	hv_u32 v[BENCH_IRQS];
};

static struct samples lat, el2_irq;
static struct meas_hist lat_hist; /* for the plot */
static volatile unsigned int fired;
static hv_u64 last_el2;
static bool have_last;
static hv_u64 seed = 0x2545f4914f6cdd1dULL;

static inline hv_u64 el2_insns(void)
{
	isb();
	return read_sysreg(pmevcntr0_el0);
}

static void pmu_init(void)
{
	write_sysreg(pmevtyper0_el0, PMU_INST_RETIRED | PMEVTYPER_P |
					     PMEVTYPER_U | PMEVTYPER_NSH);
	write_sysreg(pmevcntr0_el0, 0);
	write_sysreg(pmcntenset_el0, 1UL);
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E);
	isb();
}

static void sample_add(struct samples *h, hv_u64 v)
{
	if (h->s.n >= BENCH_IRQS)
		return;
	h->v[h->s.n] = v > 0xffffffffULL ? 0xffffffffU : (hv_u32)v;
	meas_stat_add(&h->s, v);
}

/* Shell sort (Ciura's gaps), in place. */
static void sort_u32(hv_u32 *a, hv_u64 n)
{
	static const hv_u64 gaps[] = { 1750, 701, 301, 132, 57, 23, 10, 4, 1 };

	for (unsigned int g = 0; g < ARRAY_SIZE(gaps); g++)
		for (hv_u64 i = gaps[g]; i < n; i++) {
			hv_u32 t = a[i];
			hv_u64 j = i;

			for (; j >= gaps[g] && a[j - gaps[g]] > t; j -= gaps[g])
				a[j] = a[j - gaps[g]];
			a[j] = t;
		}
}

/* The smallest sample with at least pct % of them at or below it (sorted). */
static hv_u64 sample_pct(const struct samples *h, unsigned int pct)
{
	hv_u64 rank = (h->s.n * pct + 99) / 100;

	return h->s.n ? h->v[rank ? rank - 1 : 0] : 0;
}

static void timer_irq(hv_u32 intid)
{
	hv_u64 entry, cval, el2;

	if (intid != PLAT_TIMER_VIRT_INTID)
		return;
	el2 = el2_insns();
	entry = irq_entry_ticks();
	cval = read_sysreg(cntv_cval_el0);
	timer_stop();
	if (entry >= cval) {
		sample_add(&lat, entry - cval);
		meas_hist_add(&lat_hist, entry - cval);
	}
	if (have_last)
		sample_add(&el2_irq, el2 - last_el2);
	last_el2 = el2;
	have_last = true;
	fired = 1;
}

static hv_u64 next_jitter(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (seed >> 33) & ARM_JITTER;
}

static void measure_latency(void)
{
	for (unsigned int i = 0; i < BENCH_IRQS; i++) {
		fired = 0;
		timer_set(timer_now() + ARM_BASE + next_jitter());
		irq_enable();
		while (!fired)
			wfi();
		irq_disable();
	}
}

/*
 * HINT #127, a NOP to the CPU: `make bench`'s QEMU plugin writes its exact
 * per-CPU counts of Haven's instructions here (bench/plugin/el2count.c).
 */
static void bench_marker(void)
{
	__asm__ volatile("hint #127" ::: "memory");
}

static hv_u64 hypercall_probe(void)
{
	register hv_u64 x0 __asm__("x0") = HAVEN_HC_PROBE;
	register hv_u64 x1 __asm__("x1") = 0;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1)
			 :
			 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
			   "x10", "x11", "x12", "x13", "x14", "x15", "x16",
			   "x17", "memory");
	return x1;
}

enum access { GICD_READ, GICD_WRITE, HYPERCALL };

/* EL2 instructions around one access, ACCESSES times. */
static void measure_access(struct samples *h, enum access kind)
{
	for (unsigned int i = 0; i < ACCESSES; i++) {
		hv_u64 a = el2_insns(), b;

		if (kind == GICD_READ)
			(void)mmio_read32(GICD_ISENABLER0);
		else if (kind == GICD_WRITE)
			*(volatile hv_u8 *)GICD_IPRIORITYR_TIMER = TIMER_PRIO;
		else
			(void)hypercall_probe();
		b = el2_insns();
		sample_add(h, b - a);
	}
}

static void print_el2(const char *kind, struct samples *h)
{
	sort_u32(h->v, h->s.n);
	printf("bench: el2 %s n=%lu min=%lu p50=%lu avg=%lu max=%lu\n", kind,
	       h->s.n, h->s.min, sample_pct(h, 50), meas_stat_avg(&h->s),
	       h->s.max);
}

static void report(void)
{
	sort_u32(lat.v, lat.s.n);
	printf("bench: lat n=%lu min=%lu avg=%lu p50=%lu p99=%lu max=%lu\n",
	       lat.s.n, lat.s.min, meas_stat_avg(&lat.s), sample_pct(&lat, 50),
	       sample_pct(&lat, 99), lat.s.max);
	for (unsigned int b = 0; b < MEAS_HIST_BUCKETS; b++) {
		hv_u64 lo, hi;

		if (!lat_hist.count[b])
			continue;
		meas_hist_range(b, &lo, &hi);
		printf("bench: lh %lu %lu %u\n", lo, hi, lat_hist.count[b]);
	}
	print_el2("irq", &el2_irq);
}

int inmate_main(void)
{
	static struct samples gicd_read, gicd_write, hvc;
	bool cell = comm_present();

	if (gic_init())
		inmate_fail();
	irq_init(timer_irq, 0);
	gic_enable_ppi(PLAT_TIMER_VIRT_INTID, TIMER_PRIO);
	pmu_init();
	printf("bench: start irqs=%u counter_hz=%lu %s\n", BENCH_IRQS,
	       timer_freq(), cell ? "cell" : "bare");
	bench_marker();
	measure_latency();
	bench_marker();
	measure_access(&gicd_read, GICD_READ);
	measure_access(&gicd_write, GICD_WRITE);
	if (cell)
		measure_access(&hvc, HYPERCALL);
	report();
	print_el2("gicd_read", &gicd_read);
	print_el2("gicd_write", &gicd_write);
	if (cell)
		print_el2("hvc", &hvc);
	printf("bench: done\n");
	inmate_exit();
}
