// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMU faults: the event queue (SMMUv3 spec 7.3) is drained on its
 * interrupt, which Haven owns, and whenever the root asks for DMA fault
 * counts. Each event is charged to the cell that owns its stream now (its
 * `havenctl cell stats`), or counted as unassigned, and reported.
 */
#include <cell.h>
#include <config_check.h>
#include <setup.h>
#include <smmu.h>
#include <spinlock.h>

#define EVT_TYPE(e0) ((u32)(e0) & 0xff)
#define EVT_SID(e0) ((u32)((e0) >> 32))
#define EVT1_RNW BIT(35)
#define EVT_C_BAD_STREAMID 0x02
#define EVT_C_BAD_STE 0x04
#define EVT_F_TRANSLATION 0x10
#define EVT_F_PERMISSION 0x13

extern u64 smmu_eventq[];

static spinlock_t events_lock;
static u64 unassigned;

static const char *event_name(u32 type)
{
	switch (type) {
	case EVT_C_BAD_STREAMID: return "stream beyond the table";
	case EVT_C_BAD_STE: return "stream owned by no cell";
	case EVT_F_TRANSLATION: return "translation fault";
	case 0x11: return "address size fault";
	case 0x12: return "access flag fault";
	case EVT_F_PERMISSION: return "permission fault";
	case 0x0b: return "table walk abort";
	default: return "event";
	}
}

/* The created cell that declares the stream, else the root if it is declared at all. */
static struct cell *stream_owner(u32 sid)
{
	u32 id, i;

	for (id = 0; id <= hv.sys->num_cells; id++) {
		const struct haven_cell *cfg = haven_cfg_cell(hv.config, id);

		for (i = 0; i < cfg->num_stream_ids && i < HAVEN_MAX_STREAMS; i++) {
			if (cfg->stream_ids[i] != sid)
				continue;
			if (id && READ_ONCE(cells[id].state) != HAVEN_CELL_NONE)
				return &cells[id];
			return &root_cell;
		}
	}
	return 0;
}

static void report(const u64 *e)
{
	u32 type = EVT_TYPE(e[0]), sid = EVT_SID(e[0]);
	struct cell *c = type == EVT_C_BAD_STE || type == EVT_C_BAD_STREAMID ? 0 : stream_owner(sid);
	const char *dir = e[1] & EVT1_RNW ? "read" : "write";

	if (!c) {
		unassigned++;
		printk("smmu: stream 0x%x (no cell): DMA aborted: %s (event 0x%x)\n", sid,
		       event_name(type), type);
		return;
	}
	__atomic_fetch_add(&c->dma_faults, 1, __ATOMIC_RELAXED);
	printk("smmu: stream 0x%x (%s): DMA %s of IPA 0x%lx aborted: %s (event 0x%x)\n", sid,
	       c->name, dir, e[2], event_name(type), type);
}

static void drain(void)
{
	u32 slots = 1U << SMMU_QUEUE_LOG2, wrap_mask = 2 * slots - 1;
	u32 cons = smmu_read(SMMU_EVENTQ_CONS) & wrap_mask;

	/* PROD's overflow flag (bit 31) only says events were lost */
	while (cons != (smmu_read(SMMU_EVENTQ_PROD) & wrap_mask)) {
		report(&smmu_eventq[(cons & (slots - 1)) * 4]);
		cons = (cons + 1) & wrap_mask;
		smmu_write(SMMU_EVENTQ_CONS, cons);
	}
}

void smmu_poll_events(void)
{
	if (!smmu_present())
		return;
	spin_lock(&events_lock);
	drain();
	spin_unlock(&events_lock);
}

u64 smmu_unassigned_faults(void)
{
	smmu_poll_events();
	return READ_ONCE(unassigned);
}

bool smmu_handle_irq(u32 intid)
{
	const struct haven_platform *p = &hv.sys->platform;
	u32 gerror;

	if (!smmu_present() || (intid != p->smmu_event_irq && intid != p->smmu_gerror_irq))
		return false;
	if (intid == p->smmu_gerror_irq) {
		gerror = smmu_read(SMMU_GERROR) ^ smmu_read(SMMU_GERRORN);
		if (gerror)
			printk("smmu: global error 0x%x\n", gerror);
		smmu_write(SMMU_GERRORN, smmu_read(SMMU_GERROR));
	}
	smmu_poll_events();
	return true;
}
