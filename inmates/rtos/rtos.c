// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The RTOS cell: preemptive fixed-priority scheduling of periodic tasks,
 * driven by the EL1 virtual timer, with per-task statistics on the console
 * and in the communication page.
 *
 * Task model. Task i releases a job at t0 + k * period (no drift). A job
 * runs to completion; it simulates its execution time with a busy loop on
 * the counter that subtracts the time interrupts took from it
 * (irq_stolen_ticks), so it consumes its execution time even when preempted.
 * Response time = completion - nominal release, in counter ticks. A job
 * misses its deadline if it completes after release + deadline; a release
 * that finds the task's previous job still pending is dropped and counted
 * as a miss as well (so misses = late jobs + dropped jobs).
 *
 * Scheduling. One timer, programmed for the earliest next event: a release
 * of any task or the next one-second report. The timer handler (IRQs
 * masked) releases the due jobs, each setting its priority's bit in the
 * ready bitmap, and reprograms the timer. The IRQ tail, after the EOI,
 * dispatches: while the highest ready priority is above the ceiling (the
 * priority of the innermost running job, 0 = idle) it raises the ceiling,
 * unmasks IRQs and runs that job right there, nested in the interrupt;
 * when the job completes it masks IRQs, records the completion and restores
 * the ceiling. A job at or below the ceiling waits in the bitmap until the
 * dispatch loop of a lower level picks it up, the outermost one (ceiling 0)
 * running everything that is left.
 *
 * One shared stack. Jobs are nested calls on the one stack: a preempted job
 * resumes only when everything above it has completed, which is exactly
 * the order fixed-priority preemptive scheduling of run-to-completion jobs
 * needs. The depth is bounded: one interrupt frame plus one job per
 * priority level in use, plus one interrupt that finds nothing to run
 * (a few hundred bytes each; PLAT_STACK_SIZE is 16 KiB).
 *
 * Reports and shutdown. The handler takes a snapshot of the statistics at
 * each second boundary (exactly the releases before it), publishes the
 * totals in the comm page, and increments the heartbeat on every tick. The
 * idle loop (level 0, which runs only when no job is pending) prints the
 * snapshot. On HAVEN_COMM_SHUTDOWN_REQUESTED (checked every tick), or after
 * rtos_run_seconds, the handler stops releasing and stops the timer; the
 * jobs already released complete, then the idle loop acknowledges the
 * shutdown and stops the cell (PSCI SYSTEM_OFF), or prints the result and
 * exits.
 *
 * Scrub evidence. With a comm page, the RTOS first fills the cell RAM its
 * image does not use with RTOS_SCRUB_PATTERN (rtos.h), before the timer is
 * started, so the tasks' timing is not affected.
 */
#include "inmate.h"
#include "rtos.h"

#define TIMER_PRIO 0x80
#define START_DELAY_US 1000 /* from the banner to the first release */

struct task_stats {
	hv_u64 releases;
	hv_u64 completions;
	hv_u64 misses;
	hv_u64 resp_min;
	hv_u64 resp_max;
	hv_u64 resp_sum;
};

struct task {
	const struct rtos_task *def;
	hv_u64 period; /* counter ticks */
	hv_u64 deadline;
	hv_u64 exec;
	hv_u64 next_release;
	hv_u64 job_release; /* of the pending job */
	bool pending; /* released, not completed */
	struct task_stats st;
};

static struct task tasks[RTOS_MAX_TASKS];
static unsigned int num_tasks;
static struct task *by_prio[RTOS_MAX_PRIO + 1];
static hv_u64 freq;

/* scheduler state: changed only with IRQs masked */
static hv_u32 ready; /* bit p: a job of priority p waits to start */
static hv_u32 ceiling; /* priority of the innermost running job, 0 = idle */
static hv_u64 next_report;
static unsigned int seconds;
static bool stopping;
static bool shutdown_requested;

/* taken by the timer handler, printed by the idle loop */
static struct report {
	unsigned int seconds;
	unsigned int lost; /* overwritten before they were printed */
	bool fresh;
	struct task_stats st[RTOS_MAX_TASKS];
} report;

HAVEN_STATIC_ASSERT(RTOS_SCRUB_BASE >= PLAT_RAM_BASE + PLAT_IMAGE_MAX,
		    "the scrub pattern stays clear of the image");

static hv_u64 us_to_ticks(hv_u32 us)
{
	return freq * us / 1000000;
}

static int setup_tasks(void)
{
	num_tasks = rtos_num_tasks;
	if (num_tasks == 0 || num_tasks > RTOS_MAX_TASKS) {
		printf("rtos: %u tasks, must be 1..%u\n", num_tasks,
		       RTOS_MAX_TASKS);
		return -1;
	}
	for (unsigned int i = 0; i < num_tasks; i++) {
		const struct rtos_task *def = &rtos_tasks[i];
		struct task *t = &tasks[i];
		hv_u32 deadline = def->deadline_us ? def->deadline_us :
						     def->period_us;

		t->def = def;
		t->period = us_to_ticks(def->period_us);
		t->deadline = us_to_ticks(deadline);
		t->exec = us_to_ticks(def->exec_us);
		if (t->period == 0 || deadline > def->period_us) {
			printf("rtos: task %s: needs 0 < deadline <= period\n",
			       def->name);
			return -1;
		}
		if (def->prio < 1 || def->prio > RTOS_MAX_PRIO ||
		    by_prio[def->prio]) {
			printf("rtos: task %s: priority %u not unique in 1..%u\n",
			       def->name, def->prio, RTOS_MAX_PRIO);
			return -1;
		}
		by_prio[def->prio] = t;
	}
	return 0;
}

/*
 * Fills [RTOS_SCRUB_BASE, +RTOS_SCRUB_SIZE) with RTOS_SCRUB_PATTERN and
 * cleans it to the point of coherency, so that the pattern is in memory,
 * not only in this CPU's cache, when the cell stops.
 */
static void write_scrub_pattern(void)
{
	volatile hv_u64 *p = (volatile hv_u64 *)RTOS_SCRUB_BASE;
	hv_u64 end = RTOS_SCRUB_BASE + RTOS_SCRUB_SIZE;
	/* CTR_EL0.DminLine: log2 of the smallest line, in 4-byte words */
	hv_u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	for (hv_u64 i = 0; i < RTOS_SCRUB_SIZE / sizeof(*p); i++)
		p[i] = RTOS_SCRUB_PATTERN;
	for (hv_u64 addr = RTOS_SCRUB_BASE; addr < end; addr += line)
		__asm__ volatile("dc cvac, %0" ::"r"(addr) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
	printf("rtos: scrub pattern 0x%lx written at 0x%lx-0x%lx\n",
	       (hv_u64)RTOS_SCRUB_PATTERN, (hv_u64)RTOS_SCRUB_BASE, end - 1);
}

/* --- timer handler (IRQs masked) ------------------------------------------ */

static void release(struct task *t, hv_u64 at)
{
	t->st.releases++;
	if (t->pending) {
		t->st.misses++; /* dropped */
		return;
	}
	t->pending = true;
	t->job_release = at;
	ready |= 1U << t->def->prio;
}

/* Releases every job due at or before limit, in release order per task. */
static void release_due(hv_u64 limit)
{
	for (unsigned int i = 0; i < num_tasks; i++) {
		struct task *t = &tasks[i];

		for (; t->next_release <= limit; t->next_release += t->period)
			release(t, t->next_release);
	}
}

static hv_u64 next_event(void)
{
	hv_u64 next = next_report;

	for (unsigned int i = 0; i < num_tasks; i++)
		if (tasks[i].next_release < next)
			next = tasks[i].next_release;
	return next;
}

static void publish_stats(void)
{
	struct haven_comm_rtos_stats s = { .num_tasks = num_tasks };

	for (unsigned int i = 0; i < num_tasks; i++) {
		const struct task_stats *st = &tasks[i].st;

		s.releases += st->releases;
		s.completions += st->completions;
		s.deadline_misses += st->misses;
		if (st->resp_max > s.worst_response_ticks)
			s.worst_response_ticks = st->resp_max;
	}
	comm_set_rtos_stats(&s);
}

static void take_report(void)
{
	seconds++;
	if (report.fresh)
		report.lost++;
	report.seconds = seconds;
	for (unsigned int i = 0; i < num_tasks; i++)
		report.st[i] = tasks[i].st;
	report.fresh = true;
	publish_stats();
}

static void timer_irq(hv_u32 intid)
{
	hv_u64 now;

	if (intid != PLAT_TIMER_VIRT_INTID || stopping)
		return;
	now = timer_now();
	comm_heartbeat();
	if (comm_cell_state() == HAVEN_COMM_SHUTDOWN_REQUESTED) {
		shutdown_requested = true;
		stopping = true;
	}
	while (!stopping && now >= next_report) {
		release_due(next_report - 1);
		take_report();
		next_report += freq;
		if (rtos_run_seconds && seconds >= rtos_run_seconds)
			stopping = true;
	}
	if (stopping) {
		timer_stop();
		return;
	}
	release_due(now);
	timer_set(next_event());
}

/* --- dispatch (IRQ tail, after the EOI) ------------------------------------ */

/* Busy for t->exec ticks of this job's own time. */
static void run_job(const struct task *t)
{
	hv_u64 start = timer_now();
	hv_u64 stolen0 = irq_stolen_ticks();

	for (;;) {
		/*
		 * The counter first: an interrupt between the two reads makes
		 * this iteration's estimate too small, even negative, never
		 * too large.
		 */
		hv_u64 now = timer_now();
		hv_s64 ran = (hv_s64)(now - start) -
			     (hv_s64)(irq_stolen_ticks() - stolen0);

		if (ran >= (hv_s64)t->exec)
			break;
	}
}

static void complete(struct task *t, hv_u64 now)
{
	hv_u64 resp = now - t->job_release;
	struct task_stats *st = &t->st;

	if (st->completions == 0 || resp < st->resp_min)
		st->resp_min = resp;
	if (resp > st->resp_max)
		st->resp_max = resp;
	st->resp_sum += resp;
	st->completions++;
	if (resp > t->deadline)
		st->misses++;
	t->pending = false;
}

static void dispatch(void)
{
	while (ready) {
		hv_u32 prio = 31 - (hv_u32)__builtin_clz(ready);
		hv_u32 saved = ceiling;
		struct task *t = by_prio[prio];

		if (prio <= ceiling)
			break;
		ready &= ~(1U << prio);
		ceiling = prio;
		irq_enable();
		run_job(t);
		irq_disable();
		complete(t, timer_now());
		ceiling = saved;
	}
}

/* --- idle loop --------------------------------------------------------------- */

static void print_report(const struct report *r)
{
	if (r->lost)
		printf("rtos: %u earlier reports not printed (no idle time)\n",
		       r->lost);
	for (unsigned int i = 0; i < num_tasks; i++) {
		const struct task_stats *st = &r->st[i];
		hv_u64 avg = st->completions ? st->resp_sum / st->completions :
					       0;

		printf("rtos: t=%us task %s: rel %lu done %lu miss %lu resp min/avg/max %lu/%lu/%lu ticks\n",
		       r->seconds, tasks[i].def->name, st->releases,
		       st->completions, st->misses, st->resp_min, avg,
		       st->resp_max);
	}
}

/* Returns once stopping, with IRQs masked and no job pending. */
static void idle(void)
{
	static struct report r;

	for (;;) {
		irq_disable();
		if (report.fresh) {
			/* IRQs masked: copy only what is used */
			r.seconds = report.seconds;
			r.lost = report.lost;
			memcpy(r.st, report.st, num_tasks * sizeof(r.st[0]));
			report.fresh = false;
			report.lost = 0;
			irq_enable();
			print_report(&r);
			continue;
		}
		if (stopping)
			return;
		wfi(); /* wakes on the pending IRQ, taken when unmasked */
		irq_enable();
	}
}

int inmate_main(void)
{
	hv_u64 util = 0, start, misses = 0;

	freq = comm_counter_freq();
	if (!freq)
		freq = timer_freq();
	if (!freq) {
		printf("rtos: counter frequency unknown\n");
		inmate_fail();
	}
	if (setup_tasks())
		inmate_fail();

	printf("rtos: started, %u tasks, counter %lu Hz\n", num_tasks, freq);
	for (unsigned int i = 0; i < num_tasks; i++) {
		const struct rtos_task *def = tasks[i].def;

		printf("rtos: task %s: period %u us, deadline %u us, exec %u us, priority %u\n",
		       def->name, def->period_us,
		       def->deadline_us ? def->deadline_us : def->period_us,
		       def->exec_us, def->prio);
		util += (hv_u64)def->exec_us * 1000000 / def->period_us;
	}
	printf("rtos: utilization %lu.%06lu, %s\n", util / 1000000,
	       util % 1000000,
	       comm_present() ? "comm page present" : "no comm page");
	if (rtos_run_seconds)
		printf("rtos: running for %u s\n", rtos_run_seconds);
	if (comm_present())
		write_scrub_pattern();

	if (gic_init())
		inmate_fail();
	irq_init(timer_irq, dispatch);
	gic_enable_ppi(PLAT_TIMER_VIRT_INTID, TIMER_PRIO);

	start = timer_now() + us_to_ticks(START_DELAY_US);
	for (unsigned int i = 0; i < num_tasks; i++)
		tasks[i].next_release = start;
	next_report = start + freq;
	timer_set(start);

	idle();

	timer_stop();
	publish_stats();
	if (shutdown_requested) {
		printf("rtos: shutdown acknowledged\n");
		console_flush();
		comm_ack(HAVEN_COMM_SHUT_DOWN);
		/*
		 * PSCI SYSTEM_OFF, which Haven takes as "this cell stops";
		 * should the call return, inmate_exit() parks the CPU in WFI.
		 */
		inmate_exit();
	}
	for (unsigned int i = 0; i < num_tasks; i++)
		misses += tasks[i].st.misses;
	printf("rtos: done, %lu deadline misses\n", misses);
	return 0;
}
