// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* test-comm.elf: the emulated Haven gives the cell no reservation. */
#include <haven/types.h>

const hv_u32 harness_period_us = 0;
const hv_u32 harness_budget_us = 0;
