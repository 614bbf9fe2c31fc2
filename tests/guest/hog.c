// SPDX-License-Identifier: GPL-2.0-only
/*
 * hog [-c CPU] [-m COMM] PERIOD_US SECONDS [WARMUP]: a CPU hog for the Linux
 * cell that measures the CPU time it receives, and whether timers keep
 * working.
 *
 * It spins for SECONDS of counter time (CNTVCT_EL0, readable at EL0 under
 * Linux; frequency from CNTFRQ_EL0), reading the counter continuously. A
 * step between two reads of at most the gap threshold is time it ran; a
 * longer step is a gap, time the CPU gave to something else (another cell,
 * the kernel, another task). The threshold is the larger of 64 calibrated
 * loop steps and 5 us, the rule of the RTOS cell (inmates/README.md,
 * "Measurement"). The received ticks are summed per window: the cell's
 * reservation periods (epoch + k * period from the comm page, with -m and a
 * budgeted cell), else windows of PERIOD_US from its own start. The
 * complete windows count, except those that start in the first WARMUP
 * seconds (default 0), while whoever started it settles.
 *
 * Meanwhile a POSIX interval timer (CLOCK_MONOTONIC, SIGALRM) expires every
 * PERIOD_US: it counts the expirations (overruns included) and the largest
 * lateness of an expiration, from its nominal time to the handler.
 *
 * -c CPU pins it to one CPU first. -m COMM maps the cell's comm page at
 * guest-physical COMM through /dev/mem and reads Haven's ledger of the time
 * the cell's vCPU held the CPU (haven_comm_sched.held_ticks and held_since),
 * as the RTOS does (inmates/lib/meas.c): the part of a gap the cell held
 * (its kernel, Haven's work for it, or a stall: under QEMU's single-threaded
 * emulation, another CPU's instructions) counts to what the window held, so
 * a window holds what the hog received plus that. Prints the windows that
 * held least (index from the epoch, or from its start), then one line for
 * scripts:
 *
 *   hog: periods=N window_ticks=W recv_min=X recv_avg=Y recv_max=Z
 *        min_share_pct=P.PP held_min=H min_held_pct=Q.QQ gap_held_max=S
 *        timer_expiries=E timer_late_max_us=L
 *
 * (one line; min_share_pct = recv_min / window, min_held_pct = held_min /
 * window, truncated to 1/100 %; without -m, held is received).
 * Exit status 0, 1 on a failure, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <haven/comm.h>

#define GAP_STEPS 64
#define GAP_MIN_NS 5000
#define CAL_CHUNKS 16
#define CAL_READS 64
#define NUM_WORST 3

static timer_t timer;
static uint64_t timer_first_ns, timer_period_ns;
static volatile uint64_t expiries, late_max_ns;

/* counter state */
static uint64_t threshold, last, win_base, win_len, win_end, win_recv,
	win_stall;
static uint64_t n, rmin = UINT64_MAX, rmax, rsum, hmin = UINT64_MAX, stall_max;
/* Haven's ledger (comm page), and what it said at the last read */
static const volatile struct haven_comm_sched *ledger;
static uint64_t last_held;

static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v & 0xffffffff;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void on_alarm(int sig)
{
	uint64_t now = mono_ns(), nominal, late;
	int over = timer_getoverrun(timer);

	(void)sig;
	/* the oldest expiration this signal stands for is the latest one */
	nominal = timer_first_ns + expiries * timer_period_ns;
	late = now > nominal ? now - nominal : 0;
	if (late > late_max_ns)
		late_max_ns = late;
	expiries = expiries + 1 + (over > 0 ? (uint64_t)over : 0);
}

/* windows that start before this are not counted (the warm-up) */
static uint64_t count_from;

/* the windows that held least, least first */
static struct window {
	uint64_t start, recv, held;
} worst[NUM_WORST];
static unsigned int num_worst;

static void note_worst(struct window w)
{
	unsigned int i = num_worst;

	if (i == NUM_WORST && worst[--i].held <= w.held)
		return;
	if (num_worst < NUM_WORST)
		num_worst++;
	for (; i && worst[i - 1].held > w.held; i--)
		worst[i] = worst[i - 1];
	worst[i] = w;
}

/* count windows, the last ending at end, each received recv and held held */
static void window_close(uint64_t end, uint64_t recv, uint64_t held,
			 uint64_t count)
{
	while (count && end - count * win_len < count_from)
		count--; /* the earliest starts in the warm-up */
	if (!count)
		return;
	note_worst((struct window){ end - win_len, recv, held });
	if (held < hmin)
		hmin = held;
	if (recv < rmin)
		rmin = recv;
	if (recv > rmax)
		rmax = recv;
	rsum += recv * count;
	n += count;
}

/* The counter, and Haven's ledger of the cell's EL1 time up to it (or 0). */
static uint64_t read_ledger(uint64_t *held, uint64_t *since)
{
	uint64_t t, s, now = counter();

	*held = *since = 0;
	if (!ledger)
		return now;
	*held = haven_comm_held(ledger, &now, counter, &t, &s);
	if (*held)
		*since = s;
	return now;
}

/*
 * Accounts the step [last, now): received if short, else a gap, of which
 * the part the cell held (held - last_held) is credited: the stretch since
 * Haven last switched to it (since) to the window it lies in, the rest to the
 * window the gap began in, each at most the time the gap spent there.
 */
static void account(uint64_t now, uint64_t held, uint64_t since)
{
	int got = now - last <= threshold;
	uint64_t a = last, h = 0, late, cap;

	if (!got && held && last_held && held > last_held)
		h = held - last_held < now - last ? held - last_held : now - last;
	late = now - (since > last ? since : last);
	if (late > h)
		late = h;
	if (h > stall_max)
		stall_max = h;
	cap = win_end - a;
	win_stall += h - late < cap ? h - late : cap;
	while (now >= win_end) {
		uint64_t whole;

		if (got)
			win_recv += win_end - a;
		window_close(win_end, win_recv, win_recv + win_stall, 1);
		a = win_end;
		win_end += win_len;
		win_recv = win_stall = 0;
		/* windows wholly inside a gap received nothing */
		whole = (now - a) / win_len;
		if (whole >= 2) {
			window_close(a + (whole - 1) * win_len,
				     got ? win_len : 0, got ? win_len : 0,
				     whole - 1);
			a += (whole - 1) * win_len;
			win_end = a + win_len;
		}
	}
	if (got)
		win_recv += now - a;
	cap = now - (win_end - win_len);
	win_stall += late < cap ? late : cap;
	last = now;
	last_held = held;
}

/* The comm page at guest-physical addr, through /dev/mem. */
static int map_comm(unsigned long addr)
{
	int fd = open("/dev/mem", O_RDONLY | O_SYNC);
	void *p;

	if (fd < 0) {
		fprintf(stderr, "hog: /dev/mem: %s\n", strerror(errno));
		return -1;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)addr);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "hog: mapping the comm page at 0x%lx: %s\n", addr,
			strerror(errno));
		return -1;
	}
	if (memcmp(p, HAVEN_COMM_MAGIC, 8)) {
		fprintf(stderr, "hog: no comm page at 0x%lx\n", addr);
		return -1;
	}
	ledger = &((const volatile struct haven_comm_page *)p)->sched;
	return 0;
}

static uint64_t calibrate(void)
{
	uint64_t best = UINT64_MAX;

	threshold = UINT64_MAX;
	win_len = UINT64_MAX / 2;
	last = counter();
	win_end = UINT64_MAX;
	for (int c = 0; c < CAL_CHUNKS; c++) {
		uint64_t t0 = counter(), t;

		for (int i = 0; i < CAL_READS; i++)
			account(counter(), 0, 0);
		t = counter() - t0;
		if (t < best)
			best = t;
	}
	return (best + CAL_READS - 1) / CAL_READS;
}

static int number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || !*s || *end || !*v ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: hog [-c CPU] [-m COMM_ADDR] PERIOD_US SECONDS [WARMUP_SECONDS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long period_us, seconds, warmup = 0, cpu = 0, comm = 0;
	uint64_t freq = counter_freq(), step, floor, t0, end, pct, hpct;
	struct sigevent sev = { 0 };
	struct sigaction sa = { 0 };
	struct itimerspec its = { 0 };
	sigset_t block;
	int opt, pin = 0, aligned;

	while ((opt = getopt(argc, argv, "c:m:")) != -1) {
		char *end;

		errno = 0;
		if (opt == 'c') {
			cpu = strtoul(optarg, &end, 10);
			if (errno || *end || cpu >= CPU_SETSIZE)
				return usage();
			pin = 1;
		} else if (opt == 'm') {
			comm = strtoul(optarg, &end, 0);
			if (errno || *end || !comm || comm % 4096)
				return usage();
		} else {
			return usage();
		}
	}
	if (argc - optind < 2 || argc - optind > 3 || number(argv[optind], &period_us) ||
	    number(argv[optind + 1], &seconds) ||
	    (argc - optind == 3 && number(argv[optind + 2], &warmup)) || warmup >= seconds)
		return usage();
	if (!freq) {
		fprintf(stderr, "hog: CNTFRQ_EL0 reads 0\n");
		return 1;
	}
	if (pin) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "hog: pinning to CPU %lu: %s\n", cpu, strerror(errno));
			return 1;
		}
	}

	if (comm && map_comm(comm))
		return 1;
	step = calibrate();
	floor = freq * GAP_MIN_NS / 1000000000;
	threshold = GAP_STEPS * step > floor ? GAP_STEPS * step : floor;
	win_len = freq * period_us / 1000000;
	aligned = ledger && ledger->period_ticks && ledger->budget_ticks;
	if (aligned)
		win_len = ledger->period_ticks; /* its reservation periods */
	if (win_len < 16 * threshold) {
		fprintf(stderr, "hog: a window of %lu us is %" PRIu64
			" ticks, too short for the gap threshold of %" PRIu64 " ticks\n",
			period_us, win_len, threshold);
		return 1;
	}
	printf("hog: counter %" PRIu64 " Hz, window %" PRIu64
	       " ticks%s, gap threshold %" PRIu64 " ticks (%" PRIu64
	       " per read), %lu s%s\n",
	       freq, win_len, aligned ? " (the cell's periods)" : "", threshold,
	       step, seconds, pin ? ", pinned" : "");
	fflush(stdout);

	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	if (sigaction(SIGALRM, &sa, NULL) ||
	    timer_create(CLOCK_MONOTONIC, &sev, &timer)) {
		fprintf(stderr, "hog: timer: %s\n", strerror(errno));
		return 1;
	}
	timer_period_ns = (uint64_t)period_us * 1000;
	timer_first_ns = mono_ns() + timer_period_ns;
	its.it_value.tv_sec = (time_t)(timer_first_ns / 1000000000);
	its.it_value.tv_nsec = (long)(timer_first_ns % 1000000000);
	its.it_interval.tv_sec = (time_t)(timer_period_ns / 1000000000);
	its.it_interval.tv_nsec = (long)(timer_period_ns % 1000000000);

	if (timer_settime(timer, TIMER_ABSTIME, &its, NULL)) {
		fprintf(stderr, "hog: timer_settime: %s\n", strerror(errno));
		return 1;
	}
	t0 = counter();
	end = t0 + (uint64_t)seconds * freq;
	count_from = t0 + (uint64_t)warmup * freq;
	last = t0;
	win_base = t0;
	if (aligned && t0 >= ledger->epoch)
		win_base = ledger->epoch; /* the first window is not counted */
	win_end = t0 + win_len - (t0 - win_base) % win_len;
	win_recv = 0;
	/* the last read, at or after the end, closes the last window */
	for (uint64_t now = t0; now < end;) {
		uint64_t held, since;

		now = read_ledger(&held, &since);
		account(now, held, since);
	}

	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	timer_delete(timer);

	for (unsigned int i = 0; i < num_worst; i++)
		printf("hog: least-held window %" PRIu64 ": received %" PRIu64
		       ", held %" PRIu64 ", gaps %" PRIu64 " ticks\n",
		       (worst[i].start - win_base) / win_len, worst[i].recv,
		       worst[i].held, win_len - worst[i].recv);
	pct = n ? rmin * 10000 / win_len : 0;
	hpct = n ? hmin * 10000 / win_len : 0;
	printf("hog: periods=%" PRIu64 " window_ticks=%" PRIu64 " recv_min=%" PRIu64
	       " recv_avg=%" PRIu64 " recv_max=%" PRIu64 " min_share_pct=%" PRIu64
	       ".%02" PRIu64 " held_min=%" PRIu64 " min_held_pct=%" PRIu64 ".%02" PRIu64
	       " gap_held_max=%" PRIu64 " timer_expiries=%" PRIu64 " timer_late_max_us=%" PRIu64 "\n",
	       n, win_len, n ? rmin : 0, n ? rsum / n : 0, rmax, pct / 100, pct % 100,
	       n ? hmin : 0, hpct / 100, hpct % 100, stall_max,
	       (uint64_t)expiries, (uint64_t)late_max_ns / 1000);
	return 0;
}
