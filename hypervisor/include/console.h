/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's log: a ring readable by the root, copied to the debug UART. */
#ifndef HAVEN_CONSOLE_H
#define HAVEN_CONSOLE_H

#include <haven/firmware.h>
#include <hv.h>

extern struct haven_console_ring console_ring;

/* One writer of the console: Haven itself or a cell. */
struct console_stream {
	bool mid_line; /* its last line is not finished */
};

void console_init(u64 uart_base, u32 uart_type);
void console_write(const char *s, size_t len);
/* A cell's output: each line prefixed with "[name] ". */
void console_write_cell(struct console_stream *stream, const char *name, const char *s,
			size_t len);

/* Debug UART back end (uart_pl011.c) */
void uart_pl011_putc(u64 base, char c);

#endif
