/* SPDX-License-Identifier: GPL-2.0-only */
/* A PL011 emulated by Haven for a cell without a UART of its own (vuart.c). */
#ifndef HAVEN_VUART_H
#define HAVEN_VUART_H

#include <hv.h>
#include <spinlock.h>

#define VUART_FIFO_SIZE 32 /* as the PL011 r1p5's receive FIFO */

struct cell;
struct mmio_access;

struct vuart {
	spinlock_t lock; /* the cell's CPUs and the root's input */
	u64 base; /* IPA of its page; 0: the cell has none */
	u32 irq; /* INTID, an SPI the cell owns */
	u32 imsc, cr, lcr_h, ibrd, fbrd, ifls;
	u8 rx[VUART_FIFO_SIZE];
	u32 rx_head, rx_len;
	bool line; /* the interrupt output, as last signalled */
};

/* at create: the cell's HAVEN_MEM_VUART region, if any */
void vuart_init(struct vuart *u, u64 base, u32 irq);
/* at start: the UART after reset, receive FIFO empty */
void vuart_reset(struct vuart *u);
bool vuart_contains(const struct vuart *u, u64 ipa);
void vuart_mmio(struct cell *c, struct mmio_access *a);
/* up to 8 bytes of input from the root; returns how many fit */
u32 vuart_input(struct vuart *u, u64 bytes, u32 count);

#endif
