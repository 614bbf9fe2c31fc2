/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's log: a ring readable by the root, copied to the debug UART. */
#ifndef HAVEN_CONSOLE_H
#define HAVEN_CONSOLE_H

#include <haven/firmware.h>
#include <hv.h>
#include <spinlock.h>

extern struct haven_console_ring console_ring;

#define CONSOLE_LINE_MAX 160

/* A cell's output: the line it is writing (its CPUs may write at once). */
struct console_stream {
	spinlock_t lock;
	char line[CONSOLE_LINE_MAX];
	u32 len;
};

void console_init(u64 uart_base, u32 uart_type);
void console_write(const char *s, size_t len);
/* A cell's output: each line prefixed with "[name] ", written when complete. */
void console_write_cell(struct console_stream *stream, const char *name, const char *s,
			size_t len);
/* Write the unfinished line now (a prompt, before the cell gets input). */
void console_flush_cell(struct console_stream *stream, const char *name);

/* Debug UART back end (uart_pl011.c) */
void uart_pl011_putc(u64 base, char c);

#endif
