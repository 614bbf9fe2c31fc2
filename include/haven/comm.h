/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The ABI between Haven and the software running in a non-root cell:
 * the per-cell communication page and the console hypercall.
 *
 * Communication page: one 4 KiB page that Haven maps into a cell. The cell's
 * CPU enters the image with the page's IPA in x0 (0: no page, e.g. when the
 * same image boots on bare metal). All fields are little-endian and naturally
 * aligned, so each is read and written with single-copy atomic accesses.
 * Bytes after the structure, up to the end of the page, are reserved (zero).
 *
 *   written by Haven: magic, cell_state, counter_freq, sched
 *   written by the cell: cell_ack, heartbeat, rtos
 *
 * Shutdown handshake: Haven sets cell_state to HAVEN_COMM_SHUTDOWN_REQUESTED;
 * the cell finishes what it is doing, sets cell_ack to HAVEN_COMM_SHUT_DOWN
 * and stops (parks its CPUs). A cell that stops itself after a fatal error
 * sets cell_ack to HAVEN_COMM_FAILED first.
 *
 * Console hypercall: HVC #0 with
 *   x0 = HAVEN_HC_CONSOLE_WRITE,
 *   x1 = byte count, 1..HAVEN_CONSOLE_WRITE_MAX,
 *   x2..x7 = the bytes, packed little-endian, 8 per register (byte i is
 *            bits [8*(i%8)+7 : 8*(i%8)] of x(2 + i/8)); unused bytes are 0;
 * returns x0 = the number of bytes written, or a negative HAVEN_E_* error.
 */
#ifndef HAVEN_COMM_H
#define HAVEN_COMM_H

#include "types.h"

#define HAVEN_COMM_PAGE_SIZE 4096
/* the 8 bytes of magic[] ("HVNCOMM" and a NUL), read as a little-endian u64 */
#define HAVEN_COMM_MAGIC "HVNCOMM"
#define HAVEN_COMM_MAGIC_U64 HV_U64(0x004d4d4f434e5648)

/* cell_state (written by Haven) and cell_ack (written by the cell) */
#define HAVEN_COMM_RUNNING 1
#define HAVEN_COMM_SHUTDOWN_REQUESTED 2
#define HAVEN_COMM_SHUT_DOWN 3
#define HAVEN_COMM_FAILED 4

/*
 * The same value as in hypercall.h; guarded so that a file may include both
 * whichever way hypercall.h spells it.
 */
#ifndef HAVEN_HC_CONSOLE_WRITE
#define HAVEN_HC_CONSOLE_WRITE 0xc6000004U
#endif
#define HAVEN_CONSOLE_WRITE_MAX 48

#ifndef __ASSEMBLER__

/* Totals over all tasks of the RTOS cell, updated once per second. */
struct haven_comm_rtos_stats {
	hv_u64 releases;
	hv_u64 completions;
	hv_u64 deadline_misses;
	hv_u64 worst_response_ticks; /* counter ticks, worst over all tasks */
	hv_u32 num_tasks;
	hv_u32 reserved;
};

/*
 * The cell's reservation on its shared CPU (all zero if it has none),
 * written by Haven before the cell's first CPU enters it: period k of the
 * cell is [epoch + k * period_ticks, epoch + (k + 1) * period_ticks) of the
 * counter, and in each the cell is guaranteed budget_ticks of CPU time
 * while it is runnable. A measurement inmate compares what it got with this.
 */
struct haven_comm_sched {
	hv_u64 epoch; /* counter value (CNTVCT_EL0) where period 0 begins */
	hv_u64 period_ticks;
	hv_u64 budget_ticks; /* 0: best effort */
	hv_u32 cpu; /* the shared CPU (platform index) */
	hv_u32 priority;
	/*
	 * Haven's ledger of the time the cell's vCPU on that CPU has held it
	 * (counter ticks), which is what its budget is charged: from Haven's
	 * decision to run it (its switch-in included), at EL1 or in Haven
	 * handling its exceptions, until it is switched away, idles (WFI) or
	 * stops; a vCPU that gives the CPU up (WFI, WFE) also holds it for
	 * the switch to the next. held_ticks is the sum up to the last such
	 * end, held_since the start of the current stretch, so while the vCPU
	 * runs it has held held_ticks + (now - held_since) (haven_comm_held()
	 * reads the pair consistently). What the vCPU held but did not execute
	 * was Haven's work for it, or lost to the machine (under QEMU's
	 * single-threaded emulation: another CPU's instructions), never another
	 * cell's time.
	 */
	hv_u64 held_ticks;
	hv_u64 held_since;
};

struct haven_comm_page {
	hv_u8 magic[8]; /* HAVEN_COMM_MAGIC, set by Haven */
	hv_u32 cell_state; /* HAVEN_COMM_*, set by Haven */
	hv_u32 cell_ack; /* 0 or HAVEN_COMM_SHUT_DOWN / _FAILED, set by the cell */
	hv_u64 heartbeat; /* incremented by the cell at least every tick */
	hv_u64 counter_freq; /* CNTVCT_EL0 frequency in Hz, set by Haven */
	struct haven_comm_rtos_stats rtos; /* set by the RTOS cell */
	struct haven_comm_sched sched; /* set by Haven */
};

#define HAVEN_COMM_OFFSET_CHECK(field, off)                                    \
	HAVEN_STATIC_ASSERT(                                                   \
		__builtin_offsetof(struct haven_comm_page, field) == (off),    \
		"haven_comm_page." #field " is at " #off)

HAVEN_COMM_OFFSET_CHECK(magic, 0x00);
HAVEN_COMM_OFFSET_CHECK(cell_state, 0x08);
HAVEN_COMM_OFFSET_CHECK(cell_ack, 0x0c);
HAVEN_COMM_OFFSET_CHECK(heartbeat, 0x10);
HAVEN_COMM_OFFSET_CHECK(counter_freq, 0x18);
HAVEN_COMM_OFFSET_CHECK(rtos.releases, 0x20);
HAVEN_COMM_OFFSET_CHECK(rtos.completions, 0x28);
HAVEN_COMM_OFFSET_CHECK(rtos.deadline_misses, 0x30);
HAVEN_COMM_OFFSET_CHECK(rtos.worst_response_ticks, 0x38);
HAVEN_COMM_OFFSET_CHECK(rtos.num_tasks, 0x40);
HAVEN_COMM_OFFSET_CHECK(sched.epoch, 0x48);
HAVEN_COMM_OFFSET_CHECK(sched.period_ticks, 0x50);
HAVEN_COMM_OFFSET_CHECK(sched.budget_ticks, 0x58);
HAVEN_COMM_OFFSET_CHECK(sched.cpu, 0x60);
HAVEN_COMM_OFFSET_CHECK(sched.held_ticks, 0x68);
HAVEN_COMM_OFFSET_CHECK(sched.held_since, 0x70);
HAVEN_STATIC_ASSERT(sizeof(struct haven_comm_page) == 0x78,
		    "haven_comm_page is 120 bytes");
HAVEN_STATIC_ASSERT(sizeof(struct haven_comm_page) <= HAVEN_COMM_PAGE_SIZE,
		    "haven_comm_page fits its page");

#undef HAVEN_COMM_OFFSET_CHECK

/*
 * Read by the cell's own vCPU: the ticks it has held by counter value *now
 * (0 without a current stretch), from a (held_ticks, held_since) pair read
 * consistently (held_since again after held_ticks: a switch in between
 * changes it). A stretch that began after *now means the vCPU was switched
 * away and back after the caller read the counter, and the pair no longer
 * tells what it held by then: *now is read again with counter() (the
 * caller's CNTVCT_EL0 reader) and the pair with it. *ticks and *since get
 * the pair.
 */
static inline hv_u64 haven_comm_held(const volatile struct haven_comm_sched *s,
				     hv_u64 *now, hv_u64 (*counter)(void),
				     hv_u64 *ticks, hv_u64 *since)
{
	hv_u64 t, v;

	for (;;) {
		do {
			v = s->held_since;
			t = s->held_ticks;
		} while (s->held_since != v);
		if (v <= *now)
			break;
		*now = counter();
	}
	*ticks = t;
	*since = v;
	return v ? t + (*now - v) : 0;
}

#endif /* __ASSEMBLER__ */

#endif
