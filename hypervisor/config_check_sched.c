// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation of the cells' scheduling blocks (struct haven_sched) and of the
 * rules for CPUs that declared cells share. A CPU is shared when two or more
 * declared cells list it; the root's list does not count, since the root
 * hands its CPUs to the cells. Every cell on a shared CPU has a sched block,
 * no other cell has one, the priorities on a CPU differ and its budgets add
 * up to at most the whole CPU. Haven emulates a shared CPU's redistributor,
 * so no cell maps its frame.
 *
 * Pure code like config_check.c, which calls it: built into the hypervisor,
 * havenctl and the host unit tests.
 */
#include <config_check.h>

/* The RD_base and SGI_base frames of one CPU's GICv3 redistributor. */
#define GICR_FRAME_SIZE 0x20000ULL

static int reject(struct haven_cfg_result *res, unsigned int code, int cell,
		  int region, hv_u64 value)
{
	res->code = code;
	res->cell = cell;
	res->region = region;
	res->value = value;
	return -1;
}

static hv_u32 lowest_cpu(hv_u64 cpus)
{
	hv_u32 n = 0;

	while (!(cpus & 1)) {
		cpus >>= 1;
		n++;
	}
	return n;
}

/*
 * One cell's block on its own: all zero, or period_us 1..MAX, budget_us 0
 * (best effort) or MIN..period_us and priority 1..MAX_PRIORITY; never in the
 * root (cell 0). Whether the cell shares a CPU is checked with the others.
 */
int haven_cfg_check_sched(const struct haven_cell *c, int cell,
			  struct haven_cfg_result *res)
{
	const struct haven_sched *s = &c->sched;

	if (s->reserved)
		return reject(res, HAVEN_CFG_RESERVED, cell, -1, s->reserved);
	if (!s->period_us) {
		if (s->budget_us)
			return reject(res, HAVEN_CFG_SCHED_RANGE, cell, -1,
				      s->budget_us);
		if (s->priority)
			return reject(res, HAVEN_CFG_SCHED_RANGE, cell, -1,
				      s->priority);
		return 0;
	}
	if (cell == 0)
		return reject(res, HAVEN_CFG_SCHED_UNUSED, cell, -1, s->period_us);
	if (s->period_us > HAVEN_SCHED_MAX_PERIOD_US)
		return reject(res, HAVEN_CFG_SCHED_RANGE, cell, -1, s->period_us);
	if (s->budget_us && (s->budget_us < HAVEN_SCHED_MIN_BUDGET_US ||
			     s->budget_us > s->period_us))
		return reject(res, HAVEN_CFG_SCHED_RANGE, cell, -1, s->budget_us);
	if (s->priority < 1 || s->priority > HAVEN_SCHED_MAX_PRIORITY)
		return reject(res, HAVEN_CFG_SCHED_RANGE, cell, -1, s->priority);
	return 0;
}

hv_u64 haven_cfg_shared_cpus(const struct haven_system *sys)
{
	const struct haven_cell *cells = (const struct haven_cell *)(sys + 1);
	hv_u64 seen = 0, shared = 0;
	hv_u32 i;

	for (i = 0; i < sys->num_cells; i++) {
		shared |= seen & cells[i].cpus;
		seen |= cells[i].cpus;
	}
	return shared;
}

/*
 * Exact sums of budget_us / period_us: unsigned integers of BIG_LIMBS
 * 32-bit limbs, least significant first. A sum over n cells is kept as
 * num / den with den the product of their periods (each below 2^20) and
 * num below n * den, so n <= HAVEN_MAX_CELLS - 1 cells need
 * 20 * n + 3 bits.
 */
#define BIG_LIMBS 5

HAVEN_STATIC_ASSERT(HAVEN_SCHED_MAX_PERIOD_US < (1U << 20),
		    "a period fits in 20 bits");
HAVEN_STATIC_ASSERT((HAVEN_MAX_CELLS - 1) * 20 + 3 <= BIG_LIMBS * 32,
		    "sums of budget shares fit the big integers");

struct big {
	hv_u32 limb[BIG_LIMBS];
};

static void big_set(struct big *a, hv_u32 v)
{
	hv_u32 i;

	for (i = 0; i < BIG_LIMBS; i++)
		a->limb[i] = 0;
	a->limb[0] = v;
}

static void big_mul(struct big *a, hv_u32 m)
{
	hv_u64 carry = 0, t;
	hv_u32 i;

	for (i = 0; i < BIG_LIMBS; i++) {
		t = (hv_u64)a->limb[i] * m + carry;
		a->limb[i] = (hv_u32)t;
		carry = t >> 32;
	}
}

static void big_add(struct big *a, const struct big *b)
{
	hv_u64 carry = 0, t;
	hv_u32 i;

	for (i = 0; i < BIG_LIMBS; i++) {
		t = (hv_u64)a->limb[i] + b->limb[i] + carry;
		a->limb[i] = (hv_u32)t;
		carry = t >> 32;
	}
}

/* a > b */
static int big_above(const struct big *a, const struct big *b)
{
	hv_u32 i = BIG_LIMBS;

	while (i--)
		if (a->limb[i] != b->limb[i])
			return a->limb[i] > b->limb[i];
	return 0;
}

/*
 * Do the budget shares of the n cells on[] add up to more than 1? Each has
 * a valid block (period_us 1..MAX, budget_us at most period_us).
 */
static int overloaded(const void *buf, const hv_u32 *on, hv_u32 n)
{
	struct big num, den, term;
	const struct haven_sched *s;
	hv_u32 i;

	big_set(&num, 0);
	big_set(&den, 1);
	for (i = 0; i < n; i++) {
		s = &haven_cfg_cell(buf, on[i])->sched;
		/* num/den + b/p = (num * p + b * den) / (den * p) */
		term = den;
		big_mul(&term, s->budget_us);
		big_mul(&num, s->period_us);
		big_add(&num, &term);
		big_mul(&den, s->period_us);
	}
	return big_above(&num, &den);
}

/* Does valid region r overlap the redistributor frame of CPU cpu? */
static int maps_frame(const struct haven_mem_region *r,
		      const struct haven_platform *p, hv_u32 cpu)
{
	hv_u64 first = p->gicr_base + cpu * GICR_FRAME_SIZE, last;

	if (first < p->gicr_base)
		return 0; /* beyond 2^64: no region reaches it */
	last = first + (GICR_FRAME_SIZE - 1);
	if (last < first)
		last = ~0ULL;
	return r->phys_start <= last && first <= r->phys_start + (r->size - 1);
}

/* No declared cell maps a shared CPU's redistributor frame. */
static int check_frames(const void *buf, const struct haven_system *sys,
			hv_u64 shared, struct haven_cfg_result *res)
{
	const struct haven_mem_region *r;
	const struct haven_cell *c;
	hv_u32 i, j, cpu;

	for (i = 1; i <= sys->num_cells; i++) {
		c = haven_cfg_cell(buf, i);
		r = haven_cfg_regions(buf, c);
		for (j = 0; j < c->num_mem_regions; j++) {
			if (r[j].flags & HAVEN_MEM_EMULATED)
				continue; /* no physical range */
			for (cpu = 0; cpu < 64; cpu++)
				if ((shared >> cpu & 1) &&
				    maps_frame(&r[j], &sys->platform, cpu))
					return reject(res,
						      HAVEN_CFG_REGION_SHARED_GICR,
						      (int)i, (int)j,
						      r[j].phys_start);
		}
	}
	return 0;
}

/* The cells on shared CPU cpu: distinct priorities, at most the CPU. */
static int check_cpu(const void *buf, const struct haven_system *sys,
		     hv_u32 cpu, struct haven_cfg_result *res)
{
	hv_u32 on[HAVEN_MAX_CELLS], n = 0, i, j, prio;

	for (i = 1; i <= sys->num_cells; i++)
		if (haven_cfg_cell(buf, i)->cpus >> cpu & 1)
			on[n++] = i;
	for (i = 1; i < n; i++) {
		prio = haven_cfg_cell(buf, on[i])->sched.priority;
		for (j = 0; j < i; j++)
			if (haven_cfg_cell(buf, on[j])->sched.priority == prio)
				return reject(res, HAVEN_CFG_SCHED_PRIORITY,
					      (int)on[i], -1, prio);
	}
	if (overloaded(buf, on, n))
		return reject(res, HAVEN_CFG_SCHED_OVERLOAD, (int)on[n - 1], -1,
			      cpu);
	return 0;
}

/*
 * The sharing rules, once every cell is valid on its own: a cell with
 * direct interrupt delivery or EL2 event counting has no shared CPU; a
 * declared cell has a sched block exactly when it has a shared CPU; no
 * declared cell maps a shared CPU's redistributor frame; then each shared
 * CPU, lowest first.
 */
int haven_cfg_check_sharing(const void *buf, const struct haven_system *sys,
			    struct haven_cfg_result *res)
{
	hv_u64 shared = haven_cfg_shared_cpus(sys), mine;
	const struct haven_cell *c;
	hv_u32 i, cpu;

	for (i = 1; i <= sys->num_cells; i++) {
		c = haven_cfg_cell(buf, i);
		mine = c->cpus & shared;
		if (mine && (c->flags & HAVEN_CELL_DIRECT_IRQ))
			return reject(res, HAVEN_CFG_DIRECT_IRQ_SHARED, (int)i, -1,
				      lowest_cpu(mine));
		if (mine && (c->flags & HAVEN_CELL_PMU_EL2))
			return reject(res, HAVEN_CFG_PMU_EL2_SHARED, (int)i, -1,
				      lowest_cpu(mine));
		if (mine && !c->sched.period_us)
			return reject(res, HAVEN_CFG_SCHED_MISSING, (int)i, -1,
				      lowest_cpu(mine));
		if (!mine && c->sched.period_us)
			return reject(res, HAVEN_CFG_SCHED_UNUSED, (int)i, -1,
				      c->sched.period_us);
	}
	if (check_frames(buf, sys, shared, res))
		return -1;
	for (cpu = 0; cpu < 64; cpu++)
		if ((shared >> cpu & 1) && check_cpu(buf, sys, cpu, res))
			return -1;
	return 0;
}
