// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PL011 UART emulated for a cell that has none (PrimeCell UART PL011
 * TRM, DDI 0183, 3.3). The cell's unmodified driver sees an idle
 * transmitter that is never full: each byte written goes straight to
 * Haven's console. Input comes from the root into a 32-byte receive FIFO.
 *
 * The interrupt output is level: raw status & mask. Its SPI has no device
 * behind it; Haven makes it pending in the distributor while the output is
 * high (again after every register access, so a line that stays high fires
 * again after the cell's EOI) and clears it when the output drops. Enable,
 * priority and routing are the cell's, through the distributor filter.
 */
#include <cell.h>
#include <console.h>
#include <gic.h>
#include <lib.h>
#include <mmio.h>

#define UART_DR 0x000
#define UART_RSR 0x004
#define UART_FR 0x018
#define UART_IBRD 0x024
#define UART_FBRD 0x028
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_RIS 0x03c
#define UART_MIS 0x040
#define UART_ICR 0x044
#define UART_ID 0xfe0 /* PeriphID0..3, PCellID0..3: one byte per word */

#define FR_RXFE BIT(4)
#define FR_RXFF BIT(6)
#define FR_TXFE BIT(7)
#define INT_RX BIT(4)
#define INT_TX BIT(5)
#define INT_RT BIT(6)
#define INT_MASK 0x7ff
#define CR_RESET 0x300 /* TXE | RXE */
#define IFLS_RESET 0x12

/* PL011 r1p5 (PeriphID 0x00141011), PrimeCell ID 0xb105f00d */
static const u8 uart_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vuart_init(struct vuart *u, u64 base, u32 irq)
{
	memset(u, 0, sizeof(*u));
	u->base = base;
	u->irq = irq;
}

static u32 raw_status(const struct vuart *u)
{
	/* the transmit FIFO is always empty; receive and timeout while data waits */
	return INT_TX | (u->rx_len ? INT_RX | INT_RT : 0);
}

/* Signal the output: pending while high, cleared when it drops. */
static void update_line(struct vuart *u)
{
	bool line = (raw_status(u) & u->imsc) != 0;

	if (line || u->line)
		gicd_set_pending(u->irq, line);
	u->line = line;
}

void vuart_reset(struct vuart *u)
{
	if (!u->base)
		return;
	spin_lock(&u->lock);
	u->imsc = u->lcr_h = u->ibrd = u->fbrd = 0;
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
	u->rx_head = u->rx_len = 0;
	u->line = true; /* so that update_line clears a pending left over */
	update_line(u);
	spin_unlock(&u->lock);
}

bool vuart_contains(const struct vuart *u, u64 ipa)
{
	return u->base && ipa - u->base < PAGE_SIZE;
}

static u32 rx_pop(struct vuart *u)
{
	u32 c;

	if (!u->rx_len)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VUART_FIFO_SIZE;
	u->rx_len--;
	return c;
}

static u32 read_reg(struct vuart *u, u64 off)
{
	switch (off) {
	case UART_DR: return rx_pop(u);
	case UART_FR:
		return FR_TXFE | (u->rx_len ? 0 : FR_RXFE) |
		       (u->rx_len == VUART_FIFO_SIZE ? FR_RXFF : 0);
	case UART_IBRD: return u->ibrd;
	case UART_FBRD: return u->fbrd;
	case UART_LCR_H: return u->lcr_h;
	case UART_CR: return u->cr;
	case UART_IFLS: return u->ifls;
	case UART_IMSC: return u->imsc;
	case UART_RIS: return raw_status(u);
	case UART_MIS: return raw_status(u) & u->imsc;
	default:
		if (off >= UART_ID && off < UART_ID + 32 && !(off & 3))
			return uart_id[(off - UART_ID) / 4];
		return 0; /* RSR, DMACR and reserved: no errors, no DMA */
	}
}

static void write_reg(struct cell *c, struct vuart *u, u64 off, u32 v)
{
	char ch = (char)v;

	switch (off) {
	case UART_DR:
		/* Linux sends CR LF; the console adds its own CR */
		if (ch != '\r')
			console_write_cell(&c->console, c->name, &ch, 1);
		break;
	case UART_IBRD: u->ibrd = v & 0xffff; break;
	case UART_FBRD: u->fbrd = v & 0x3f; break;
	case UART_LCR_H: u->lcr_h = v & 0xff; break;
	case UART_CR: u->cr = v & 0xff87; break;
	case UART_IFLS: u->ifls = v & 0x3f; break;
	case UART_IMSC: u->imsc = v & INT_MASK; break;
	default: break; /* ICR (status is derived), RSR/ECR, DMACR, ID */
	}
}

void vuart_mmio(struct cell *c, struct mmio_access *a)
{
	struct vuart *u = &c->vuart;
	u64 off = a->addr - u->base;

	if (a->size == 8) {
		/* the PL011 has 32-bit registers */
		a->value = 0;
		return;
	}
	spin_lock(&u->lock);
	if (a->write)
		write_reg(c, u, off, (u32)a->value);
	else
		a->value = read_reg(u, off);
	update_line(u);
	spin_unlock(&u->lock);
}

u32 vuart_input(struct vuart *u, u64 bytes, u32 count)
{
	u32 n;

	spin_lock(&u->lock);
	for (n = 0; n < count && u->rx_len < VUART_FIFO_SIZE; n++)
		u->rx[(u->rx_head + u->rx_len++) % VUART_FIFO_SIZE] = (u8)(bytes >> (8 * n));
	update_line(u);
	spin_unlock(&u->lock);
	return n;
}
