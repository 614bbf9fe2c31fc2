/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's own stage-1 translation (EL2 regime, identity map). */
#ifndef HAVEN_EL2_MMU_H
#define HAVEN_EL2_MMU_H

#include <hv.h>

/* TTBR0_EL2, TCR_EL2, MAIR_EL2, SCTLR_EL2: read by entry.S */
extern u64 el2_mmu_regs[4];

/* Build the tables (first CPU, MMU off). */
int el2_mmu_build(void);

#endif
