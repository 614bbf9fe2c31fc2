// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rtos-spin: one task whose first job never completes: it spins on the
 * counter (observing it, so that the CPU time it receives per period is
 * measured) until the RTOS stops. Every later release finds the job still
 * pending and is dropped, a deadline miss. It shows budget enforcement: on
 * a shared CPU the RTOS must get no more than its budget per period, and
 * the other cell the rest.
 */
#include "inmate.h"
#include "rtos.h"

const struct rtos_task rtos_tasks[] = {
	/* name, period, deadline (0 = period), execution (us), priority */
	{ "spin", 10000, 0, RTOS_EXEC_FOREVER, 1 },
};

const unsigned int rtos_num_tasks = ARRAY_SIZE(rtos_tasks);
const bool rtos_soak = false; /* the idle level never runs anyway */
const bool rtos_temporal_every_report = true;
const unsigned int rtos_measure_from_s = 0;
const unsigned int rtos_measure_for_s = 0;
