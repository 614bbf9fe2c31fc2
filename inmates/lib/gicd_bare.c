// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Bare metal: nobody else has set up the distributor (QEMU's -kernel boot
 * leaves it off). Affinity routing on, Group 1 forwarding on; bits 0, 1 and
 * 4 are the enables and ARE both in the single-security view (DS = 1) and
 * in the Non-secure view.
 */
#include "inmate.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1U << 31)
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_ENABLES 0x3

static void gicd_wait_rwp(void)
{
	while (mmio_read32(PLAT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

void gic_dist_init(void)
{
	hv_u32 ctlr = mmio_read32(PLAT_GICD_BASE + GICD_CTLR);

	mmio_write32(PLAT_GICD_BASE + GICD_CTLR, ctlr | GICD_CTLR_ARE);
	gicd_wait_rwp();
	mmio_write32(PLAT_GICD_BASE + GICD_CTLR,
		     ctlr | GICD_CTLR_ARE | GICD_CTLR_ENABLES);
	gicd_wait_rwp();
}
