// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * An overloaded task set, to show that misses are detected: utilization
 * 0.5 + 0.4 + 0.4 = 1.3. "fast" and "mid" still meet their deadlines
 * (responses 0.5 ms and 4 ms); "slow" cannot.
 */
#include "inmate.h"
#include "rtos.h"

const struct rtos_task rtos_tasks[] = {
	/* name, period, deadline (0 = period), execution (us), priority */
	{ "fast", 1000, 0, 500, 3 },
	{ "mid", 5000, 0, 2000, 2 },
	{ "slow", 10000, 0, 4000, 1 },
};

const unsigned int rtos_num_tasks = ARRAY_SIZE(rtos_tasks);
const bool rtos_soak = false;
const bool rtos_temporal_every_report = false;
const unsigned int rtos_measure_from_s = 0;
const unsigned int rtos_measure_for_s = 0;
