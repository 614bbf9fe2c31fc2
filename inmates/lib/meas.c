// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The CPU time this inmate receives, measured by gap detection, per period
 * of its reservation (the comm page's sched block), and small statistics
 * helpers (min/avg/max, a latency histogram). inmates/README.md,
 * "Measurement", describes the method.
 *
 * An inmate cannot see being descheduled, only the counter jumping. So its
 * busy code reads the counter continuously (meas_observe()), and so do the
 * IRQ entry and exit (irq.c). A step from one observation to the next of at
 * most the threshold is time the inmate ran (received); a longer step is a
 * gap: time the CPU did something else (another cell, the hypervisor). The
 * threshold has to exceed the longest stretch of the inmate's own code
 * between two observations, and be far below anything a scheduler takes
 * away; see meas_init(). Code that is not busy or not observed (WFI, console
 * output) is bracketed by meas_pause(): the time until the next observation
 * is neither received nor a gap, and the period it falls into is not
 * counted.
 *
 * With a comm page, every gap is also checked against Haven's ledger of the
 * time the vCPU has held the CPU (comm.h, held_ticks/held_since: what its
 * budget is charged, never while another vCPU ran). The
 * part of a gap the vCPU held is a stall: Haven's work for it, or time in
 * which none of the CPU's work was done (under QEMU's single-threaded
 * emulation, another CPU's instructions advance the one virtual clock). A
 * period held what it received plus its stalls. A stall inside one period is that period's; in
 * a gap across period boundaries, the stretch since Haven last switched to
 * the vCPU is credited to the period it lies in and the rest to the period
 * the gap began in, each no more than the time the gap spent in it.
 *
 * Everything here runs with IRQs masked (the observations are made at every
 * interrupt level), so one counter value at a time is accounted, in order.
 */
#include "inmate.h"

#define CAL_CHUNKS 16
#define CAL_READS 64

enum span { RECEIVED, GAP, UNWATCHED };

static bool on; /* meas_init() done */
static bool watching; /* last is valid: no pause since */
static hv_u64 last; /* the counter at the last observation */
static hv_u64 threshold = ~0ULL;
static hv_u64 step; /* one meas_observe(), calibrated */

static hv_u64 received;
static hv_u64 gaps, gap_ticks, longest_gap, longest_step;
/* Haven's ledger (or 0), and what it said at the last slow-path read */
static const volatile struct haven_comm_sched *ledger;
static hv_u64 led_ticks, led_since;
static hv_u64 stalls, stall_ticks, longest_stall;

/* the reservation's periods: [cur_start, cur_end) is the current one */
static bool per_on;
static hv_u64 per_epoch, per_len, per_budget;
static hv_u64 cur_start, cur_end = ~0ULL, cur_recv;
static bool cur_clean; /* observed without a pause since cur_start */
static struct meas_stat per;
static hv_u64 per_discarded;
/* periods count only inside [win_from, win_until) (meas_window) */
static hv_u64 win_from, win_until = ~0ULL;
/* what the periods held (received + stalls) */
static struct meas_stat per_held;
/* the current period's gap and stall ticks; the least-received periods */
static hv_u64 cur_gap, cur_stall;
static struct meas_period worst[MEAS_WORST];
static unsigned int num_worst;

static inline hv_u64 irq_save(void)
{
	hv_u64 flags = read_sysreg(daif);

	irq_disable();
	return flags;
}

static inline void irq_restore(hv_u64 flags)
{
	write_sysreg(daif, flags);
}

void meas_stat_add_n(struct meas_stat *s, hv_u64 v, hv_u64 n)
{
	if (!n)
		return;
	if (s->n == 0 || v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
	s->sum += v * n;
	s->n += n;
}

void meas_stat_add(struct meas_stat *s, hv_u64 v)
{
	meas_stat_add_n(s, v, 1);
}

hv_u64 meas_stat_avg(const struct meas_stat *s)
{
	return s->n ? s->sum / s->n : 0;
}

/*
 * Log-linear buckets: 0..3 one value each, then four buckets per power of
 * two: [2^i, 2^(i+1)) is split at 2^i * 5/4, 6/4, 7/4 (bucket 4(i-1)+sub).
 * The last bucket also takes everything from 2^32 up.
 */
static unsigned int hist_bucket(hv_u64 v)
{
	unsigned int i;

	if (v < 4)
		return (unsigned int)v;
	if (v >> 32)
		return MEAS_HIST_BUCKETS - 1;
	i = 63 - (unsigned int)__builtin_clzll(v);
	return 4 * (i - 1) + (unsigned int)((v >> (i - 2)) & 3);
}

void meas_hist_range(unsigned int b, hv_u64 *lo, hv_u64 *hi)
{
	unsigned int i = b / 4 + 1;

	if (b < 4) {
		*lo = *hi = b;
		return;
	}
	*lo = (hv_u64)(4 + b % 4) << (i - 2);
	*hi = *lo + (HV_U64(1) << (i - 2)) - 1;
	if (b == MEAS_HIST_BUCKETS - 1)
		*hi = ~0ULL;
}

void meas_hist_add(struct meas_hist *h, hv_u64 v)
{
	meas_stat_add(&h->s, v);
	h->count[hist_bucket(v)]++;
}

HAVEN_STATIC_ASSERT(MEAS_HIST_BUCKETS == 4 * 30 + 4,
		    "the last bucket starts at 2^31 * 7/4");

/* --- periods -------------------------------------------------------------- */

static bool in_window(hv_u64 start, hv_u64 end)
{
	return start >= win_from && end <= win_until;
}

/* Keeps the MEAS_WORST least-received periods, least first. */
static void note_worst(void)
{
	unsigned int i = num_worst;

	if (i == MEAS_WORST && worst[--i].received <= cur_recv)
		return;
	if (num_worst < MEAS_WORST)
		num_worst++;
	for (; i && worst[i - 1].received > cur_recv; i--)
		worst[i] = worst[i - 1];
	worst[i] = (struct meas_period){ cur_start, cur_recv, cur_stall, cur_gap };
}

static void period_close(void)
{
	if (!in_window(cur_start, cur_end)) {
		; /* outside the measurement window */
	} else if (cur_clean) {
		meas_stat_add(&per, cur_recv);
		meas_stat_add(&per_held, cur_recv + cur_stall);
		note_worst();
	}
	else if (cur_start >= per_epoch)
		per_discarded++; /* not the stretch before period 0 */
	cur_start = cur_end;
	cur_end += per_len;
	cur_recv = 0;
	cur_gap = cur_stall = 0;
	cur_clean = true;
}

/* Accounts [a, b) (a >= cur_start) as one kind of span to the periods. */
static void periods_account(hv_u64 a, hv_u64 b, enum span kind)
{
	while (b >= cur_end) {
		hv_u64 whole;

		if (kind == RECEIVED)
			cur_recv += cur_end - a;
		else if (kind == GAP)
			cur_gap += cur_end - a;
		else if (kind == UNWATCHED)
			cur_clean = false;
		a = cur_end;
		period_close();
		/* periods wholly inside [a, b), in one step */
		whole = (b - cur_start) / per_len;
		if (whole < 2)
			continue;
		whole--;
		for (; whole && !in_window(cur_start, cur_end); whole--) {
			cur_start += per_len; /* before the window */
			cur_end += per_len;
		}
		a = cur_start;
		while (whole && !in_window(cur_start + (whole - 1) * per_len,
					   cur_start + whole * per_len))
			whole--; /* after it: closed one by one, uncounted */
		if (!whole)
			continue;
		if (kind == UNWATCHED)
			per_discarded += whole;
		else
			meas_stat_add_n(&per, kind == RECEIVED ? per_len : 0,
					whole);
		if (kind != UNWATCHED)
			meas_stat_add_n(&per_held, kind != GAP ? per_len : 0,
					whole);
		cur_start += whole * per_len;
		cur_end = cur_start + per_len;
		a = cur_start;
	}
	if (kind == RECEIVED)
		cur_recv += b - a;
	else if (kind == GAP)
		cur_gap += b - a;
	else if (kind == UNWATCHED)
		cur_clean = false;
}

/* --- observations ----------------------------------------------------------- */

static inline hv_u64 counter(void)
{
	isb(); /* not read early, out of program order */
	return read_sysreg(cntvct_el0);
}

/*
 * Haven's ledger at counter value now (read just before): what the vCPU had
 * held by then (held, 0 without a ledger) and since when (since). A switch
 * away and back is always a gap, so only the slow path reads it; the held
 * value at the last observation follows from the snapshot (led_*) taken at
 * the last slow-path read, the vCPU holding the CPU from then on. Returns
 * the counter value it holds for: a later one if the vCPU was switched away
 * and back after now was read (the gap then ends there).
 */
static hv_u64 read_ledger(hv_u64 now, hv_u64 *held, hv_u64 *since)
{
	*held = *since = 0;
	if (!ledger)
		return now;
	*held = haven_comm_held(ledger, &now, counter, &led_ticks, &led_since);
	if (*held)
		*since = led_since;
	return now;
}

/* What the ledger said the vCPU had held at the last observation. */
static hv_u64 held_at_last(void)
{
	return led_since && led_since <= last ? led_ticks + (last - led_since) : 0;
}

/* A stall of t ticks, credited to the current period up to cap. */
static void stall(hv_u64 t, hv_u64 cap)
{
	cur_stall += t < cap ? t : cap;
}

/*
 * The gap [last, now): accounts it, with the part Haven says the vCPU held
 * (a stall) credited as the comment at the top says. before and held are
 * what the vCPU had held at last and at now.
 */
static void account_gap(hv_u64 now, hv_u64 before, hv_u64 held, hv_u64 since)
{
	hv_u64 d = now - last, h = held > before ? held - before : 0;
	hv_u64 late = now - (since > last ? since : last);

	if (!before || !held)
		h = 0; /* no ledger on one side: all of it is a gap */
	if (h > d)
		h = d;
	if (late > h)
		late = h;
	gaps++;
	gap_ticks += d;
	if (d > longest_gap)
		longest_gap = d;
	stalls += h != 0;
	stall_ticks += h;
	if (h > longest_stall)
		longest_stall = h;
	if (!per_on)
		return;
	stall(h - late, cur_end - last);
	periods_account(last, now, GAP);
	stall(late, now - cur_start);
}

/* IRQs masked. Returns the counter value it accounted up to (at least now). */
static hv_u64 account(hv_u64 now)
{
	hv_u64 d = now - last, held, since;

	if (!watching) {
		/* the snapshot from here */
		now = read_ledger(now, &held, &since);
		if (per_on)
			periods_account(last, now, UNWATCHED);
		watching = true;
	} else if (d <= threshold) {
		received += d;
		if (d > longest_step)
			longest_step = d;
		if (per_on)
			periods_account(last, now, RECEIVED);
	} else {
		hv_u64 before = held_at_last(); /* from the snapshot read_ledger replaces */

		now = read_ledger(now, &held, &since);
		account_gap(now, before, held, since);
	}
	last = now;
	return now;
}

/*
 * The busy loops call this all the time, so the usual case (a short step
 * inside the current period) is short, and so is the time IRQs are masked:
 * an interrupt arriving then waits at most that long.
 */
hv_u64 meas_observe(void)
{
	hv_u64 flags, now, d;

	if (!on)
		return timer_now();
	flags = irq_save();
	now = counter();
	d = now - last;
	if (watching && d <= threshold && now < cur_end) {
		received += d;
		cur_recv += d;
		if (d > longest_step)
			longest_step = d;
		last = now;
	} else {
		now = account(now);
	}
	irq_restore(flags);
	return now;
}

void meas_pause(void)
{
	hv_u64 flags;

	if (!on)
		return;
	flags = irq_save();
	account(counter());
	watching = false;
	if (per_on)
		cur_clean = false;
	irq_restore(flags);
}

hv_u64 meas_received(void)
{
	return *(volatile hv_u64 *)&received;
}

bool meas_irq_enter(hv_u64 *now)
{
	bool was = watching;

	*now = meas_observe(); /* resumes a pause: the IRQ is busy code */
	return was;
}

hv_u64 meas_irq_exit(bool was_watching)
{
	hv_u64 now;

	if (was_watching)
		return meas_observe();
	/* back to what was paused (e.g. the WFI of an idle loop) */
	now = meas_observe();
	meas_pause();
	return now;
}

/* --- set-up and report --------------------------------------------------------- */

static void calibrate(void)
{
	hv_u64 best = ~0ULL;

	/* everything is a step below the threshold while it is ~0 */
	on = true;
	watching = true;
	last = timer_now();
	for (unsigned int c = 0; c < CAL_CHUNKS; c++) {
		hv_u64 t0 = timer_now(), t;

		for (unsigned int i = 0; i < CAL_READS; i++)
			meas_observe();
		t = timer_now() - t0;
		if (t < best)
			best = t;
	}
	step = (best + CAL_READS - 1) / CAL_READS;
}

void meas_init(hv_u64 freq)
{
	hv_u64 flags = irq_save();
	struct haven_comm_sched s;
	hv_u64 floor = freq * MEAS_GAP_MIN_NS / 1000000000;
	hv_u64 now;

	calibrate();
	threshold = MEAS_GAP_STEPS * step;
	if (threshold < floor)
		threshold = floor;
	received = gaps = gap_ticks = longest_gap = longest_step = 0;
	stalls = stall_ticks = longest_stall = 0;
	ledger = comm_ledger();
	led_ticks = led_since = 0;

	comm_sched(&s);
	per_on = false;
	cur_end = ~0ULL; /* no period ends: cur_recv is unused */
	per_epoch = s.epoch;
	per_len = s.period_ticks;
	per_budget = s.budget_ticks;
	now = timer_now();
	/* a period must hold many steps, or it cannot be measured */
	if (per_len >= 16 * threshold) {
		per_on = true;
		if (now >= per_epoch) {
			cur_start = per_epoch +
				    (now - per_epoch) / per_len * per_len;
			cur_end = cur_start + per_len;
		} else {
			cur_start = 0; /* before period 0: never counted */
			cur_end = per_epoch;
		}
		cur_recv = 0;
	}
	cur_clean = false;
	/* paused: the first observation starts it */
	last = now;
	watching = false;
	irq_restore(flags);
}

/* Count only the periods inside [from, until) of the counter. */
void meas_window(hv_u64 from, hv_u64 until)
{
	hv_u64 flags = irq_save();

	win_from = from;
	win_until = until;
	irq_restore(flags);
}

void meas_report(struct meas_report *r)
{
	hv_u64 flags = irq_save();

	r->threshold = threshold;
	r->step = step;
	r->received = received;
	r->gaps = gaps;
	r->gap_ticks = gap_ticks;
	r->longest_gap = longest_gap;
	r->longest_step = longest_step;
	r->epoch = per_epoch;
	r->period_ticks = per_len;
	r->budget_ticks = per_budget;
	r->periods_on = per_on;
	r->periods = per;
	r->periods_held = per_held;
	r->stalls = stalls;
	r->stall_ticks = stall_ticks;
	r->longest_stall = longest_stall;
	r->periods_discarded = per_discarded;
	r->num_worst = num_worst;
	memcpy(r->worst, worst, sizeof(worst));
	irq_restore(flags);
}
