/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The RTOS cell's task set and run length, each defined by an object chosen
 * when linking (tasks_*.c, run_*.c).
 */
#ifndef RTOS_H
#define RTOS_H

#include <haven/types.h>

#define RTOS_MAX_TASKS 16
#define RTOS_MAX_PRIO 31 /* priorities are 1 (lowest) .. 31, one per task */

struct rtos_task {
	const char *name;
	hv_u32 period_us;
	hv_u32 deadline_us; /* relative to the release; 0 = the period */
	hv_u32 exec_us; /* simulated execution time of each job */
	hv_u32 prio;
};

extern const struct rtos_task rtos_tasks[];
extern const unsigned int rtos_num_tasks;
/*
 * Seconds to run before printing the result and exiting; 0 = until Haven
 * requests a shutdown.
 */
extern const unsigned int rtos_run_seconds;

#endif
