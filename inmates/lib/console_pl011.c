// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Console back end for bare metal: the PL011 UART, polled. Uses the UART as
 * the firmware (or QEMU) left it; "\n" is sent as "\r\n".
 */
#include "inmate.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_BUSY (1U << 3)
#define UART_FR_TXFF (1U << 5)

static void pl011_putc(char c)
{
	while (mmio_read32(PLAT_UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(PLAT_UART_BASE + UART_DR, (hv_u8)c);
}

void console_backend_putc(char c)
{
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
}

void console_backend_flush(void)
{
	while (mmio_read32(PLAT_UART_BASE + UART_FR) & UART_FR_BUSY)
		;
}
