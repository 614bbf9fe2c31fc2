// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The RTOS cell: preemptive fixed-priority scheduling of periodic tasks,
 * driven by the EL1 virtual timer, with per-task statistics on the console
 * and in the communication page.
 *
 * Task model. Task i releases a job at t0 + k * period (no drift). A job
 * runs to completion; it simulates its execution time with a busy loop on
 * the counter that counts only the CPU time the job itself received
 * (meas.c): neither the time interrupts took from it
 * (irq_stolen_received) nor gaps, time the CPU spent elsewhere (another
 * cell on a shared CPU). So it consumes its execution time even when
 * preempted or descheduled. A job of a task with exec RTOS_EXEC_FOREVER
 * spins until the RTOS stops and is then abandoned, not completed.
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
 *
 * Temporal measurement (inmates/README.md, "Measurement"). The CPU time
 * received per period of the cell's reservation comes from meas.c: the
 * jobs' busy loops and, with rtos_soak, the idle level observe the
 * counter all the time; the idle level pauses the observation around its
 * console output and WFI. The timer handler records the interrupt latency
 * (CNTV_CVAL_EL0 to the IRQ entry, in a histogram) and each task's release
 * latency (the handler's time minus the nominal release). The summary
 * ("rtos: temporal ...") is printed at the end, and with
 * rtos_temporal_every_report after every one-second report too.
 */
#include "inmate.h"
#include "rtos.h"

#define TIMER_PRIO 0x80
#define START_DELAY_US 1000 /* from the banner to the first release */

struct task_stats {
	struct meas_stat release_lat; /* handler time - nominal release */
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
	bool forever; /* RTOS_EXEC_FOREVER */
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
/* timer interrupt latency: CNTV_CVAL_EL0 to the IRQ entry, in ticks */
static struct meas_hist irq_lat;

/* flags the IRQ handler changes, read by loops that run with IRQs unmasked */
#define READ_FLAG(x) (*(volatile bool *)&(x))

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
		t->forever = def->exec_us == RTOS_EXEC_FOREVER;
		t->exec = t->forever ? 0 : us_to_ticks(def->exec_us);
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

static void release(struct task *t, hv_u64 at, hv_u64 now)
{
	meas_stat_add(&t->st.release_lat, now - at);
	t->st.releases++;
	if (t->pending) {
		t->st.misses++; /* dropped */
		return;
	}
	t->pending = true;
	t->job_release = at;
	ready |= 1U << t->def->prio;
}

/*
 * Releases every job due at or before limit, in release order per task;
 * now is the handler's time.
 */
static void release_due(hv_u64 limit, hv_u64 now)
{
	for (unsigned int i = 0; i < num_tasks; i++) {
		struct task *t = &tasks[i];

		for (; t->next_release <= limit; t->next_release += t->period)
			release(t, t->next_release, now);
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
	hv_u64 now, entry, cval;

	if (intid != PLAT_TIMER_VIRT_INTID || stopping)
		return;
	/*
	 * The compare value that fired, to the entry of this interrupt (not
	 * if the compare value is later: an interrupt still pending from an
	 * earlier one, which cannot happen here, would not say anything).
	 */
	entry = irq_entry_ticks();
	cval = read_sysreg(cntv_cval_el0);
	if (entry >= cval)
		meas_hist_add(&irq_lat, entry - cval);
	now = timer_now();
	comm_heartbeat();
	if (comm_cell_state() == HAVEN_COMM_SHUTDOWN_REQUESTED) {
		shutdown_requested = true;
		stopping = true;
	}
	while (!stopping && now >= next_report) {
		release_due(next_report - 1, now);
		take_report();
		meas_observe(); /* the longest stretch of the handler */
		next_report += freq;
		if (rtos_run_seconds && seconds >= rtos_run_seconds)
			stopping = true;
	}
	if (stopping) {
		timer_stop();
		return;
	}
	release_due(now, now);
	timer_set(next_event());
}

/* --- dispatch (IRQ tail, after the EOI) ------------------------------------ */

/*
 * Busy for t->exec ticks of CPU time this job received itself (gaps and
 * interrupts excluded); false if the job was abandoned instead (a task
 * that never completes, once the RTOS stops).
 */
static bool run_job(const struct task *t)
{
	hv_u64 recv0 = meas_received();
	hv_u64 stolen0 = irq_stolen_received();

	if (t->forever) {
		while (!READ_FLAG(stopping))
			meas_observe();
		return false;
	}
	for (;;) {
		hv_s64 ran;

		meas_observe();
		/*
		 * The total first: an interrupt between the two reads makes
		 * this iteration's estimate too small, even negative, never
		 * too large.
		 */
		ran = (hv_s64)(meas_received() - recv0);
		ran -= (hv_s64)(irq_stolen_received() - stolen0);
		if (ran >= (hv_s64)t->exec)
			return true;
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
		bool done;

		if (prio <= ceiling)
			break;
		ready &= ~(1U << prio);
		ceiling = prio;
		irq_enable();
		done = run_job(t);
		irq_disable();
		if (done)
			complete(t, timer_now());
		else
			t->pending = false; /* abandoned */
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

/* the temporal summary, taken with IRQs masked */
struct temporal {
	struct meas_report m;
	struct meas_stat lat;
	hv_u64 misses;
	hv_u64 worst;
};

static void take_temporal(struct temporal *tp)
{
	meas_report(&tp->m);
	tp->lat = irq_lat.s;
	tp->misses = 0;
	tp->worst = 0;
	for (unsigned int i = 0; i < num_tasks; i++) {
		tp->misses += tasks[i].st.misses;
		if (tasks[i].st.resp_max > tp->worst)
			tp->worst = tasks[i].st.resp_max;
	}
}

/* v in % of the budget, in 1/100, truncated (0 without a budget) */
static hv_u64 budget_pct(const struct temporal *tp, hv_u64 v)
{
	return tp->m.budget_ticks ? v * 10000 / tp->m.budget_ticks : 0;
}

/*
 * The line a test script parses: the complete periods measured, what each
 * received (executed) and held (received + stalls, meas.c) at least, in
 * ticks and in % of the budget, deadline misses and response times.
 */
static void print_temporal(const struct temporal *tp)
{
	const struct meas_stat *p = &tp->m.periods;
	hv_u64 recv = budget_pct(tp, p->min);
	hv_u64 held = budget_pct(tp, tp->m.periods_held.min);

	printf("rtos: temporal periods=%lu budget_ticks=%lu recv_min=%lu recv_avg=%lu recv_max=%lu min_budget_received_pct=%lu.%02lu held_min=%lu min_budget_held_pct=%lu.%02lu stall_max=%lu deadline_misses=%lu worst_response_ticks=%lu irq_lat_min=%lu irq_lat_avg=%lu irq_lat_max=%lu\n",
	       p->n, tp->m.budget_ticks, p->min, meas_stat_avg(p), p->max,
	       recv / 100, recv % 100, tp->m.periods_held.min, held / 100,
	       held % 100, tp->m.longest_stall, tp->misses, tp->worst,
	       tp->lat.min, meas_stat_avg(&tp->lat), tp->lat.max);
}

/* At the end (IRQs masked, timer stopped): everything measured. */
static void print_final(void)
{
	static struct temporal tp;
	const struct meas_report *m = &tp.m;

	take_temporal(&tp);
	printf("rtos: gaps %lu, %lu ticks in all, longest %lu ticks; received %lu ticks; longest step below the threshold %lu ticks (threshold %lu)\n",
	       m->gaps, m->gap_ticks, m->longest_gap, m->received,
	       m->longest_step, m->threshold);
	printf("rtos: stalls (parts of gaps Haven's ledger says it held) %lu, %lu ticks in all, longest %lu ticks\n",
	       m->stalls, m->stall_ticks, m->longest_stall);
	if (m->periods_on)
		printf("rtos: periods of %lu ticks: %lu observed throughout, %lu not (paused: output, WFI, start)\n",
		       m->period_ticks, m->periods.n, m->periods_discarded);
	for (unsigned int i = 0; i < num_tasks; i++) {
		const struct meas_stat *rl = &tasks[i].st.release_lat;

		printf("rtos: task %s: release latency min/avg/max %lu/%lu/%lu ticks\n",
		       tasks[i].def->name, rl->min, meas_stat_avg(rl), rl->max);
	}
	for (unsigned int i = 0; i < m->num_worst; i++)
		printf("rtos: least-received period %lu: received %lu, stalled %lu, gaps %lu ticks\n",
		       (m->worst[i].start - m->epoch) / m->period_ticks,
		       m->worst[i].received, m->worst[i].stall,
		       m->worst[i].gap);
	print_temporal(&tp);
	for (unsigned int b = 0; b < MEAS_HIST_BUCKETS; b++) {
		hv_u64 lo, hi;

		if (!irq_lat.count[b])
			continue;
		meas_hist_range(b, &lo, &hi);
		printf("rtos: irq latency histogram %lu-%lu ticks: %u\n", lo,
		       hi, irq_lat.count[b]);
	}
}

/*
 * The idle level: prints the reports, and spins (rtos_soak) or waits in
 * WFI. Returns once stopping, with IRQs masked and no job pending.
 */
static void idle(void)
{
	static struct report r;
	static struct temporal tp;

	for (;;) {
		irq_disable();
		if (report.fresh) {
			/* IRQs masked: copy only what is used */
			r.seconds = report.seconds;
			r.lost = report.lost;
			memcpy(r.st, report.st, num_tasks * sizeof(r.st[0]));
			report.fresh = false;
			report.lost = 0;
			if (rtos_temporal_every_report)
				take_temporal(&tp);
			meas_pause(); /* console output is not observed */
			irq_enable();
			print_report(&r);
			if (rtos_temporal_every_report)
				print_temporal(&tp);
			continue;
		}
		if (stopping)
			return;
		if (rtos_soak) {
			irq_enable();
			while (!READ_FLAG(report.fresh) && !READ_FLAG(stopping))
				meas_observe();
			continue;
		}
		meas_pause();
		wfi(); /* wakes on the pending IRQ, taken when unmasked */
		irq_enable();
	}
}

static void print_measurement_setup(void)
{
	struct haven_comm_sched s;
	struct meas_report m;

	comm_sched(&s);
	meas_report(&m);
	printf("rtos: gap threshold %lu ticks (%lu ns), %lu ticks per observation, soak %s\n",
	       m.threshold, m.threshold * 1000000000 / freq, m.step,
	       rtos_soak ? "on" : "off");
	if (m.periods_on)
		printf("rtos: reservation: budget %lu of every %lu ticks from %lu, CPU %u, priority %u\n",
		       s.budget_ticks, s.period_ticks, s.epoch, s.cpu,
		       s.priority);
	else if (s.period_ticks)
		printf("rtos: reservation period %lu ticks too short to measure, received time per period not measured\n",
		       s.period_ticks);
	else
		printf("rtos: no reservation, received time per period not measured\n");
}

int inmate_main(void)
{
	hv_u64 util = 0, start, misses = 0;
	bool forever = false;

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

		if (tasks[i].forever) {
			printf("rtos: task %s: period %u us, deadline %u us, exec forever, priority %u\n",
			       def->name, def->period_us,
			       def->deadline_us ? def->deadline_us :
						  def->period_us,
			       def->prio);
			forever = true;
			continue;
		}
		printf("rtos: task %s: period %u us, deadline %u us, exec %u us, priority %u\n",
		       def->name, def->period_us,
		       def->deadline_us ? def->deadline_us : def->period_us,
		       def->exec_us, def->prio);
		util += (hv_u64)def->exec_us * 1000000 / def->period_us;
	}
	if (forever)
		printf("rtos: utilization unbounded (a job never completes), %s\n",
		       comm_present() ? "comm page present" : "no comm page");
	else
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
	meas_init(freq);
	print_measurement_setup();

	start = timer_now() + us_to_ticks(START_DELAY_US);
	if (rtos_measure_for_s)
		meas_window(start + rtos_measure_from_s * freq,
			    start + (hv_u64)(rtos_measure_from_s + rtos_measure_for_s) * freq);
	for (unsigned int i = 0; i < num_tasks; i++)
		tasks[i].next_release = start;
	next_report = start + freq;
	timer_set(start);

	idle();

	timer_stop();
	publish_stats();
	meas_pause();
	print_final();
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
