// SPDX-License-Identifier: GPL-2.0-only
/*
 * Redistributor frames a cell does not own. Software finds its own frame
 * by walking all of them and comparing GICR_TYPER.Affinity with its MPIDR,
 * checking GICR_PIDR2 on the way (GICv3 spec 9.11, 12.11.35). Those
 * identification reads are answered from the hardware; nothing else of a
 * foreign frame is reachable.
 */
#include <gic.h>
#include <mmio.h>
#include <setup.h>

#define GICR_FRAME_SIZE 0x20000
#define GICR_TYPER 0x0008
#define GICR_PIDR2 0xffe8

bool gicr_identification_read(struct mmio_access *a)
{
	const struct haven_platform *p = &hv.sys->platform;
	u64 off;

	if (a->write || a->addr < p->gicr_base || a->addr >= p->gicr_base + p->gicr_size)
		return false;
	off = (a->addr - p->gicr_base) % GICR_FRAME_SIZE;
	if (!((off == GICR_TYPER && (a->size == 4 || a->size == 8)) ||
	      (off == GICR_TYPER + 4 && a->size == 4) ||
	      (off == GICR_PIDR2 && a->size == 4)))
		return false;
	a->value = mmio_read(a->addr, a->size);
	return true;
}
