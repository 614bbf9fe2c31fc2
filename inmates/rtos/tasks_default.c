// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The default task set: utilization 0.2 + 0.2 + 0.2 = 0.6, rate-monotonic
 * priorities. Worst-case response times by analysis (no overheads):
 * fast 0.2 ms, mid 1.4 ms, slow 3.8 ms.
 */
#include "inmate.h"
#include "rtos.h"

const struct rtos_task rtos_tasks[] = {
	/* name, period, deadline (0 = period), execution (us), priority */
	{ "fast", 1000, 0, 200, 3 },
	{ "mid", 5000, 0, 1000, 2 },
	{ "slow", 10000, 0, 2000, 1 },
};

const unsigned int rtos_num_tasks = ARRAY_SIZE(rtos_tasks);
const bool rtos_soak = false;
const bool rtos_temporal_every_report = false;
const unsigned int rtos_measure_from_s = 0;
const unsigned int rtos_measure_for_s = 0;
