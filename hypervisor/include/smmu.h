/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SMMUv3, owned by Haven: every stream a cell declares translates
 * through that cell's stage 2, every other stream aborts (smmu.c); faults
 * come back through the event queue (smmu_events.c).
 */
#ifndef HAVEN_SMMU_H
#define HAVEN_SMMU_H

#include <setup.h>

struct cell;

/* Register offsets (SMMUv3 spec 6.3); the event queue indices live in page 1. */
#define SMMU_IDR0 0x0
#define SMMU_IDR1 0x4
#define SMMU_IDR5 0x14
#define SMMU_CR0 0x20
#define SMMU_CR0ACK 0x24
#define SMMU_CR1 0x28
#define SMMU_CR2 0x2c
#define SMMU_GBPA 0x44
#define SMMU_IRQ_CTRL 0x50
#define SMMU_IRQ_CTRLACK 0x54
#define SMMU_GERROR 0x60
#define SMMU_GERRORN 0x64
#define SMMU_STRTAB_BASE 0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_EVENTQ_BASE 0xa0
#define SMMU_EVENTQ_PROD 0x100a8
#define SMMU_EVENTQ_CONS 0x100ac

#define SMMU_QUEUE_LOG2 6 /* 64 entries in each queue */

static inline bool smmu_present(void)
{
	return hv.sys->platform.smmu_size != 0;
}

u32 smmu_read(u32 off);
void smmu_write(u32 off, u32 value);

/* The cell's streams translate through its stage 2 (create), or the root's (destroy). */
void smmu_streams_to_cell(struct cell *c);
void smmu_streams_to_root(struct cell *c);
/* After a change of the cell's stage 2: drop the SMMU's cached walks. */
void smmu_flush_vmid(const struct cell *c);
/* Hand the SMMU back to Linux as it was (disable). */
void smmu_shutdown(void);

/* smmu_events.c */
/* Haven's own interrupt: the event queue or a global error. */
bool smmu_handle_irq(u32 intid);
/* Read the event queue now (a root query about DMA faults). */
void smmu_poll_events(void);
u64 smmu_unassigned_faults(void);

#endif
