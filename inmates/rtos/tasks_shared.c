// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rtos-shared: a task set that fits a reservation of 2 ms every 10 ms on a
 * shared CPU, with the soak on, so that the RTOS is busy all the time and
 * every period of the reservation is measured (received CPU time per
 * period, inmates/README.md, "Measurement").
 *
 * One task needs 1 ms of CPU time every 20 ms. By the periodic-resource
 * bound R <= C + (ceil(C/B) + 1)(P - B) with C = 1 ms, B = 2 ms,
 * P = 10 ms, its worst response is 1 + 2 * 8 = 17 ms: within its 20 ms
 * deadline whenever the reservation holds. On a CPU of its own it responds
 * in about 1 ms.
 *
 * Periods count from 2 s after the start, for 11 s (1100 periods): the
 * test keeps the machine quiet in that window (rtos.h).
 */
#include "inmate.h"
#include "rtos.h"

const struct rtos_task rtos_tasks[] = {
	/* name, period, deadline (0 = period), execution (us), priority */
	{ "ctrl", 20000, 20000, 1000, 1 },
};

const unsigned int rtos_num_tasks = ARRAY_SIZE(rtos_tasks);
const bool rtos_soak = true;
const bool rtos_temporal_every_report = true;
const unsigned int rtos_measure_from_s = 2;
const unsigned int rtos_measure_for_s = 11;
