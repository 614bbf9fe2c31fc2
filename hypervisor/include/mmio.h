/* SPDX-License-Identifier: GPL-2.0-only */
/* A decoded data abort on an emulated device (ESR_EL2.ISV = 1). */
#ifndef HAVEN_MMIO_H
#define HAVEN_MMIO_H

#include <hv.h>

struct mmio_access {
	u64 addr; /* guest physical */
	u64 value; /* written value, or the value to return for a read */
	u32 size; /* bytes: 1, 2, 4 or 8 */
	bool write;
};

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
