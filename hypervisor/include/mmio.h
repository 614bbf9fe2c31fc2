/* SPDX-License-Identifier: GPL-2.0-only */
/* A decoded data abort on an emulated device (ESR_EL2.ISV = 1). */
#ifndef HAVEN_MMIO_H
#define HAVEN_MMIO_H

#include <percpu.h>

/*
 * ISS of a data abort from a lower EL (Arm ARM D19.2.40, ESR_EL2, EC 0x24):
 * valid syndrome, access size, sign extension, register, 64-bit register,
 * cache maintenance, stage-1 walk, write; the fault status code.
 */
#define ISS_ISV BIT(24)
#define ISS_SAS(iss) (((iss) >> 22) & 3)
#define ISS_SSE BIT(21)
#define ISS_SRT(iss) (((iss) >> 16) & 0x1f)
#define ISS_SF BIT(15)
#define ISS_CM BIT(8)
#define ISS_S1PTW BIT(7)
#define ISS_WNR BIT(6)
#define ISS_DFSC(iss) ((iss) & 0x3f)
#define DFSC_TRANSLATION_L0 0x04 /* translation fault, levels 0-3: 0x04-0x07 */

struct mmio_access {
	u64 addr; /* guest physical */
	u64 value; /* written value, or the value to return for a read */
	u32 size; /* bytes: 1, 2, 4 or 8 */
	bool write;
};

/* Register r of the frame as a load/store names it: 31 is xzr. */
static inline u64 mmio_get_reg(const struct trap_frame *f, u32 r)
{
	return r == 31 ? 0 : f->x[r];
}

/* Complete an emulated load: size, sign extension, 32/64-bit register. */
static inline void mmio_finish_read(struct trap_frame *f, u64 iss, u64 value, u32 size)
{
	u32 r = ISS_SRT(iss);

	if (iss & ISS_SSE && size < 8 && (value >> (size * 8 - 1)) & 1)
		value |= ~0UL << (size * 8);
	if (!(iss & ISS_SF))
		value &= 0xffffffffUL;
	if (r != 31)
		f->x[r] = value;
}

static inline u64 mmio_read(u64 addr, u32 size)
{
	switch (size) {
	case 1: return *(volatile u8 *)addr;
	case 2: return *(volatile u16 *)addr;
	case 4: return *(volatile u32 *)addr;
	default: return *(volatile u64 *)addr;
	}
}

static inline void mmio_write(u64 addr, u64 v, u32 size)
{
	switch (size) {
	case 1: *(volatile u8 *)addr = (u8)v; break;
	case 2: *(volatile u16 *)addr = (u16)v; break;
	case 4: *(volatile u32 *)addr = (u32)v; break;
	default: *(volatile u64 *)addr = v; break;
	}
}

#endif
