// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * QEMU's edu PCI device as a DMA engine (inmate.h). Registers in BAR 0,
 * after QEMU's hw/misc/edu.c: 32-bit ones below 0x80, 64-bit DMA ones
 * from 0x80.
 */
#include "inmate.h"

#define EDU_ID 0x00
#define EDU_LIVENESS 0x04 /* reads back the inverse of what was written */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_START (1U << 0) /* busy while set */
#define EDU_CMD_FROM_DEVICE (1U << 1) /* buffer -> RAM; clear: RAM -> buffer */

static void write64(hv_u64 addr, hv_u64 value)
{
	*(volatile hv_u64 *)addr = value;
}

static hv_u64 read64(hv_u64 addr)
{
	return *(volatile hv_u64 *)addr;
}

bool edu_present(hv_u64 bar)
{
	return mmio_read32(bar + EDU_ID) == EDU_ID_VALUE;
}

bool edu_alive(hv_u64 bar, hv_u32 probe)
{
	mmio_write32(bar + EDU_LIVENESS, probe);
	return mmio_read32(bar + EDU_LIVENESS) == ~probe;
}

bool edu_dma(hv_u64 bar, enum edu_dir dir, hv_u64 ram, hv_u32 buf_off, hv_u32 count,
	     hv_u32 timeout_ms)
{
	hv_u64 freq = comm_counter_freq() ? comm_counter_freq() : timer_freq();
	hv_u64 device = EDU_DMA_BUF + buf_off;
	hv_u64 deadline;

	if (dir == EDU_TO_DEVICE) {
		write64(bar + EDU_DMA_SRC, ram);
		write64(bar + EDU_DMA_DST, device);
	} else {
		write64(bar + EDU_DMA_SRC, device);
		write64(bar + EDU_DMA_DST, ram);
	}
	write64(bar + EDU_DMA_COUNT, count);
	__asm__ volatile("dsb sy" ::: "memory"); /* RAM written before the start */
	write64(bar + EDU_DMA_CMD,
		EDU_CMD_START | (dir == EDU_FROM_DEVICE ? EDU_CMD_FROM_DEVICE : 0));
	deadline = timer_now() + freq * timeout_ms / 1000;
	while (read64(bar + EDU_DMA_CMD) & EDU_CMD_START)
		if (timer_now() >= deadline)
			return false;
	__asm__ volatile("dsb sy" ::: "memory");
	return true;
}
