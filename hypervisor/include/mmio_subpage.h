/* SPDX-License-Identifier: GPL-2.0-only */
/* Sub-page device windows, performed by Haven access by access (mmio_subpage.c). */
#ifndef HAVEN_MMIO_SUBPAGE_H
#define HAVEN_MMIO_SUBPAGE_H

#include <percpu.h>

struct cell;

/*
 * A data abort in a page of one of the cell's windows: performed on the
 * device, or refused (reported, then the cell's fate). False: not such a
 * page, the caller goes on.
 */
bool subpage_trap(struct trap_frame *f, u64 esr, u64 ipa);
/* Does a created cell other than c have a window in the physical page? */
bool subpage_page_held(const struct cell *c, u64 page);

#endif
