/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of binary configurations. Pure code: the same file is built
 * into the hypervisor, havenctl and the host unit tests.
 */
#ifndef HAVEN_CONFIG_CHECK_H
#define HAVEN_CONFIG_CHECK_H

#include <haven/config.h>
#include <haven/errors.h>

#define HAVEN_CFG_NO_CELL (-1)
#define HAVEN_CFG_NO_REGION (-1)

/* Where and why a configuration was rejected. */
struct haven_cfg_result {
	unsigned int code; /* enum haven_cfg_err */
	int cell; /* -1: not cell-specific, 0: root, n: declared cell n-1 */
	int region; /* index in the cell's regions, or -1 */
	hv_u64 value; /* the offending value */
};

int haven_check_system(const void *buf, hv_u64 size,
		       struct haven_cfg_result *res);
int haven_check_cell(const void *buf, hv_u64 size, const struct haven_system *sys,
		     struct haven_cfg_result *res);

/* Accessors for a configuration that passed its check. */
const struct haven_system *haven_cfg_system(const void *buf);
const struct haven_cell *haven_cfg_cell(const void *buf, hv_u32 index);
const struct haven_mem_region *haven_cfg_regions(const void *buf,
						 const struct haven_cell *cell);
int haven_cfg_irq_owned(const struct haven_cell *cell, hv_u32 irq);

#endif
