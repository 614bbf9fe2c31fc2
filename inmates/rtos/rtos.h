/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The RTOS cell's task set and run length, each defined by an object chosen
 * when linking (tasks_*.c, run_*.c).
 */
#ifndef RTOS_H
#define RTOS_H

#include <stdbool.h>
#include <haven/types.h>

#define RTOS_MAX_TASKS 16
#define RTOS_MAX_PRIO 31 /* priorities are 1 (lowest) .. 31, one per task */

/*
 * Scrub evidence (Haven variant, comm page present): before the scheduler
 * starts, the RTOS fills the upper MiB of its 2 MiB of cell RAM, which the
 * image does not use (PLAT_IMAGE_MAX), with this 64-bit word and cleans it
 * to the point of coherency. In memory the word is little-endian, the bytes
 * "BURCSHVN". Whoever gets the memory after the cell can tell whether Haven
 * scrubbed it.
 */
#define RTOS_SCRUB_BASE HV_U64(0x40100000)
#define RTOS_SCRUB_SIZE HV_U64(0x100000)
#define RTOS_SCRUB_PATTERN HV_U64(0x4e56485343525542)

/* exec_us of a task whose job never completes (it spins until the end) */
#define RTOS_EXEC_FOREVER 0xffffffffU

struct rtos_task {
	const char *name;
	hv_u32 period_us;
	hv_u32 deadline_us; /* relative to the release; 0 = the period */
	hv_u32 exec_us; /* received CPU time each job needs, or RTOS_EXEC_FOREVER */
	hv_u32 prio;
};

/* The task set (tasks_*.c). */
extern const struct rtos_task rtos_tasks[];
extern const unsigned int rtos_num_tasks;
/*
 * The soak: when no job is ready, the idle level spins on the counter
 * (meas_observe) instead of waiting in WFI, so that the RTOS is busy all
 * the time and every period of its reservation is measured.
 */
extern const bool rtos_soak;
/*
 * Print the "rtos: temporal ..." summary with every one-second report,
 * not only at the end.
 */
extern const bool rtos_temporal_every_report;
/*
 * The measurement window for the per-period statistics: the periods from
 * rtos_measure_from_s after the start, for rtos_measure_for_s seconds
 * (0: all of the run). Under -icount the other QEMU CPUs' work takes
 * virtual time from this one (one instruction stream drives the clock), so
 * a test keeps the machine quiet in the window, not while it sets up.
 */
extern const unsigned int rtos_measure_from_s;
extern const unsigned int rtos_measure_for_s;
/*
 * Seconds to run before printing the result and exiting; 0 = until Haven
 * requests a shutdown.
 */
extern const unsigned int rtos_run_seconds;

#endif
