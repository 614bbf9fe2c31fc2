// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Haven cell: run until Haven requests a shutdown in the comm page. */
#include "rtos.h"

const unsigned int rtos_run_seconds = 0;
