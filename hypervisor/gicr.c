// SPDX-License-Identifier: GPL-2.0-only
/*
 * Redistributors. A cell's stage-2 maps its CPUs' frames (RD_base and
 * SGI_base) except the SGI/PPI configuration page, whose accesses trap here
 * and are filtered like the distributor's (gicd.c): the cell configures its
 * own SGIs and PPIs but cannot touch Haven's stop SGI or maintenance PPI.
 *
 * Software finds its own frame by walking all of them and comparing
 * GICR_TYPER.Affinity with its MPIDR, checking GICR_PIDR2 on the way
 * (GICv3 spec 9.11, 12.11.35); Linux also reads every frame's GICR_CTLR.
 * For frames of other cells' CPUs those reads are answered, GICR_CTLR as 0
 * (nothing enabled: not the cell's); nothing else of them is reachable.
 * The frame of a CPU shared by cells is mapped into none of them and
 * emulated per vCPU (vgic.c).
 */
#include <cell.h>
#include <gic.h>
#include <mmio.h>
#include <sched.h>
#include <setup.h>

#define GICR_FRAME_SIZE 0x20000
#define GICR_SGI_BASE 0x10000
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_PIDR2 0xffe8

int gicr_unmap_config_pages(struct cell *c, u64 ipa, u64 pa, u64 size)
{
	const struct haven_platform *p = &hv.sys->platform;
	u64 page;

	for (page = p->gicr_base + GICR_SGI_BASE; page < p->gicr_base + p->gicr_size;
	     page += GICR_FRAME_SIZE)
		if (page >= pa && page - pa < size &&
		    stage2_unmap(c, ipa + (page - pa), PAGE_SIZE))
			return -1;
	return 0;
}

static bool identification_read(struct mmio_access *a, u64 off)
{
	if (a->write)
		return false;
	if (off == GICR_CTLR && a->size == 4) {
		a->value = 0;
		return true;
	}
	if (!((off == GICR_TYPER && (a->size == 4 || a->size == 8)) ||
	      (off == GICR_TYPER + 4 && a->size == 4) ||
	      (off == GICR_PIDR2 && a->size == 4)))
		return false;
	a->value = mmio_read(a->addr, a->size);
	return true;
}

/* Does the frame belong to one of the cell's CPUs (as found at enable)? */
static bool cells_frame(const struct cell *c, u64 frame)
{
	u64 cpus = READ_ONCE(c->cpus);
	u32 i;

	for (i = 0; i < hv.sys->platform.num_cpus && i < CONFIG_MAX_CPUS; i++)
		if ((cpus & BIT(i)) && per_cpu_data[i].gicr_base == frame)
			return true;
	return false;
}

/* The cell's vCPU whose shared CPU has this frame (emulated whole), or 0. */
static struct vcpu *shared_cpu_frame(const struct cell *c, u64 frame)
{
	u32 i;

	for (i = 0; i < hv.sys->platform.num_cpus && i < CONFIG_MAX_CPUS; i++)
		if (per_cpu_data[i].gicr_base == frame)
			return (c->cpus & BIT(i)) ? sched_vcpu(c, i) : 0;
	return 0;
}

bool gicr_mmio(struct cell *c, struct mmio_access *a)
{
	const struct haven_platform *p = &hv.sys->platform;
	struct vcpu *v;
	u64 frame, off;

	/* frames are mapped at IPA = PA; anything else was never mapped */
	if (a->addr < p->gicr_base || a->addr >= p->gicr_base + p->gicr_size)
		return false;
	off = (a->addr - p->gicr_base) % GICR_FRAME_SIZE;
	frame = a->addr - off;
	v = shared_cpu_frame(c, frame);
	if (v)
		return vgicr_mmio(v, a, off);
	if (off >= GICR_SGI_BASE && off < GICR_SGI_BASE + PAGE_SIZE) {
		if (!cells_frame(c, frame))
			return false;
		gic_private_mmio(c, a, frame + GICR_SGI_BASE);
		return true;
	}
	return identification_read(a, off);
}
