// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rtos-flip: a task of 5 us every 200 us and no soak, so the RTOS idles
 * (WFI) and wakes 50 times in each 10 ms period of a CPU it shares. Each
 * wake-up costs Haven two switches, many times the work the task does: the
 * temporal test checks that this is paid from the RTOS's budget, not from
 * the other cell's (README, "Shared CPUs", policy step 1). Its own
 * deadlines are not the point: once its budget is spent it waits for the
 * next period.
 */
#include "inmate.h"
#include "rtos.h"

const struct rtos_task rtos_tasks[] = {
	/* name, period, deadline (0 = period), execution (us), priority */
	{ "flip", 200, 0, 5, 1 },
};

const unsigned int rtos_num_tasks = ARRAY_SIZE(rtos_tasks);
const bool rtos_soak = false;
const bool rtos_temporal_every_report = false;
const unsigned int rtos_measure_from_s = 0;
const unsigned int rtos_measure_for_s = 0;
