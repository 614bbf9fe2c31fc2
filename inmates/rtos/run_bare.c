// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Bare metal: run 3 s of counter time, print the result, power off. */
#include "rtos.h"

const unsigned int rtos_run_seconds = 3;
