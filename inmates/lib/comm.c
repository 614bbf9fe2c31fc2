// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The communication page (include/haven/comm.h). The address comes from x0
 * at entry; it is used only if it is page-aligned and carries the magic, so
 * a bare-metal boot (x0 = 0, or a loader's DTB pointer) has no page and
 * every call here is a no-op.
 */
#include "inmate.h"

static volatile struct haven_comm_page *comm;

void comm_init(hv_u64 ipa)
{
	volatile struct haven_comm_page *p;
	hv_u64 magic = 0;

	if (!ipa)
		return;
	if (ipa & (HAVEN_COMM_PAGE_SIZE - 1) || ipa >> INMATE_VA_BITS) {
		printf("inmate: comm page 0x%lx not page-aligned or beyond the map, ignored\n",
		       ipa);
		return;
	}
	p = (volatile struct haven_comm_page *)ipa;
	for (int i = 7; i >= 0; i--)
		magic = magic << 8 | p->magic[i];
	if (magic != HAVEN_COMM_MAGIC_U64) {
		printf("inmate: no comm page magic at 0x%lx, ignored\n", ipa);
		return;
	}
	comm = p;
}

bool comm_present(void)
{
	return comm != NULL;
}

hv_u32 comm_cell_state(void)
{
	return comm ? comm->cell_state : HAVEN_COMM_RUNNING;
}

hv_u64 comm_counter_freq(void)
{
	return comm ? comm->counter_freq : 0;
}

void comm_heartbeat(void)
{
	if (comm)
		comm->heartbeat = comm->heartbeat + 1;
}

void comm_ack(hv_u32 state)
{
	if (!comm)
		return;
	__asm__ volatile("dmb ish" ::: "memory"); /* earlier writes first */
	comm->cell_ack = state;
	__asm__ volatile("dsb ish" ::: "memory");
}

void comm_set_rtos_stats(const struct haven_comm_rtos_stats *s)
{
	if (!comm)
		return;
	comm->rtos.releases = s->releases;
	comm->rtos.completions = s->completions;
	comm->rtos.deadline_misses = s->deadline_misses;
	comm->rtos.worst_response_ticks = s->worst_response_ticks;
	comm->rtos.num_tasks = s->num_tasks;
	__asm__ volatile("dmb ish" ::: "memory");
}

const volatile struct haven_comm_sched *comm_ledger(void)
{
	return comm ? &comm->sched : NULL;
}

void comm_sched(struct haven_comm_sched *s)
{
	memset(s, 0, sizeof(*s));
	if (!comm)
		return;
	s->epoch = comm->sched.epoch;
	s->period_ticks = comm->sched.period_ticks;
	s->budget_ticks = comm->sched.budget_ticks;
	s->cpu = comm->sched.cpu;
	s->priority = comm->sched.priority;
}
