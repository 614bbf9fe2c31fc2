// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rtos-idle: one light task (50 us every 10 ms) and no soak, so the RTOS
 * spends nearly all its time in WFI and a CPU it shares can go to the
 * other cell. Its periods are not busy throughout, so none of them counts
 * for the received-time statistics (periods=0); timer latency and
 * deadlines are still measured.
 */
#include "inmate.h"
#include "rtos.h"

const struct rtos_task rtos_tasks[] = {
	/* name, period, deadline (0 = period), execution (us), priority */
	{ "light", 10000, 0, 50, 1 },
};

const unsigned int rtos_num_tasks = ARRAY_SIZE(rtos_tasks);
const bool rtos_soak = false;
const bool rtos_temporal_every_report = true;
const unsigned int rtos_measure_from_s = 0;
const unsigned int rtos_measure_for_s = 0;
