// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * test-comm-shared.elf: the emulated Haven gives the cell a reservation of
 * 2 ms every 10 ms (rtos-shared's), and the harness's second CPU plays the
 * other cell for the rest of each period (comm_harness.c).
 */
#include <haven/types.h>

const hv_u32 harness_period_us = 10000;
const hv_u32 harness_budget_us = 2000;
