/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Subsystems register themselves as units: an init run once by the first
 * CPU, and cpu_init / cpu_exit run on every CPU as it enters or leaves
 * Haven. Units run in the order of their rank (0-9); exits in reverse.
 */
#ifndef HAVEN_UNIT_H
#define HAVEN_UNIT_H

#include <percpu.h>

struct hv_unit {
	const char *name;
	int (*init)(void);
	int (*cpu_init)(struct per_cpu *cpu);
	void (*cpu_exit)(struct per_cpu *cpu);
};

#define HV_UNIT(rank, id, ...)                                                 \
	static const struct hv_unit unit_##id __used                            \
		__section(".hv_units." #rank "." #id) = { .name = #id, __VA_ARGS__ }

int units_init(void);
int units_cpu_init(struct per_cpu *cpu);
void units_cpu_exit(struct per_cpu *cpu);

#endif
