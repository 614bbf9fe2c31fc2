// SPDX-License-Identifier: GPL-2.0-only
/* PL011 transmit, polled (PrimeCell UART TRM, UARTFR and UARTDR). */
#include <console.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1U << 5)

void uart_pl011_putc(u64 base, char c)
{
	volatile u32 *fr = (volatile u32 *)(base + UARTFR);

	while (*fr & UARTFR_TXFF)
		;
	*(volatile u32 *)(base + UARTDR) = (u8)c;
}
