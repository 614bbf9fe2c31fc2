// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * GICv3 for one CPU: the system-register CPU interface (Group 1, EOImode 0)
 * and this CPU's redistributor, found by matching GICR_TYPER's affinity with
 * MPIDR_EL1. The distributor is the variant's business (gic_dist_init).
 */
#include "inmate.h"

#define GICR_TYPER_LO 0x0008
#define GICR_TYPER_HI 0x000c /* affinity: Aff3.Aff2.Aff1.Aff0 */
#define GICR_TYPER_LAST (1U << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
#define GICR_SGI_FRAME 0x10000
#define GICR_IGROUPR0 (GICR_SGI_FRAME + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_FRAME + 0x0100)
#define GICR_IPRIORITYR (GICR_SGI_FRAME + 0x0400)

#define ICC_SRE_SRE (1U << 0)
#define ICC_SRE_DFB (1U << 1)
#define ICC_SRE_DIB (1U << 2)
#define ICC_CTLR_EOIMODE (1U << 1)

static hv_u64 gicr_rd; /* this CPU's RD frame */

static hv_u32 mpidr_affinity(void)
{
	hv_u64 mpidr = read_sysreg(mpidr_el1);

	return (hv_u32)(mpidr & 0xffffff) | (hv_u32)((mpidr >> 32) & 0xff) << 24;
}

static hv_u64 gicr_find(void)
{
	hv_u32 aff = mpidr_affinity();
	hv_u64 rd = PLAT_GICR_BASE;
	int i;

	for (i = 0; i < PLAT_GICR_MAX_FRAMES; i++, rd += PLAT_GICR_STRIDE) {
		if (mmio_read32(rd + GICR_TYPER_HI) == aff)
			return rd;
		if (mmio_read32(rd + GICR_TYPER_LO) & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

int gic_init(void)
{
	hv_u64 sre;

	gic_dist_init();

	gicr_rd = gicr_find();
	if (!gicr_rd) {
		printf("gic: no redistributor for affinity 0x%x\n",
		       mpidr_affinity());
		return -1;
	}
	mmio_write32(gicr_rd + GICR_WAKER,
		     mmio_read32(gicr_rd + GICR_WAKER) &
			     ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(gicr_rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;

	sre = read_sysreg(icc_sre_el1);
	write_sysreg(icc_sre_el1, sre | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB);
	isb();
	if (!(read_sysreg(icc_sre_el1) & ICC_SRE_SRE)) {
		printf("gic: no system-register interface (ICC_SRE_EL1.SRE)\n");
		return -1;
	}
	write_sysreg(icc_pmr_el1, 0xff); /* let every priority through */
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return 0;
}

/* Group 1, priority prio, enabled; SGIs and PPIs only (INTID < 32). */
void gic_enable_ppi(hv_u32 intid, hv_u8 prio)
{
	hv_u64 prio_reg = gicr_rd + GICR_IPRIORITYR + (intid & ~3U);
	unsigned int shift = (intid & 3) * 8;
	hv_u32 bit = 1U << (intid & 31);

	mmio_write32(gicr_rd + GICR_IGROUPR0,
		     mmio_read32(gicr_rd + GICR_IGROUPR0) | bit);
	mmio_write32(prio_reg, (mmio_read32(prio_reg) & ~(0xffU << shift)) |
				       (hv_u32)prio << shift);
	mmio_write32(gicr_rd + GICR_ISENABLER0, bit);
	__asm__ volatile("dsb sy" ::: "memory");
}

hv_u32 gic_ack(void)
{
	hv_u32 intid = (hv_u32)read_sysreg(icc_iar1_el1);

	__asm__ volatile("dsb sy" ::: "memory");
	return intid & 0xffffff;
}

void gic_eoi(hv_u32 intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}
