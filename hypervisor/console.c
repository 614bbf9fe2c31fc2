// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console: every byte goes to a ring in its own page(s), which the root cell
 * may map read-only (see cell.c), and to the debug UART if configured.
 */
#include <console.h>
#include <spinlock.h>

/* the ring header followed by its buffer, in pages of their own */
static union {
	struct haven_console_ring ring;
	char bytes[sizeof(struct haven_console_ring) + CONFIG_CONSOLE_RING_SIZE];
} console_page __section(".bss.console") __aligned(PAGE_SIZE);
static spinlock_t console_lock;
static u64 uart_base;
static u32 uart_type;

void console_init(u64 base, u32 type)
{
	console_page.ring.size = CONFIG_CONSOLE_RING_SIZE;
	if (IS_ENABLED(CONFIG_DEBUG_CONSOLE)) {
		uart_base = base;
		uart_type = type;
	}
}

static void console_putc(char c)
{
	struct haven_console_ring *r = &console_page.ring;

	r->buf[r->head % r->size] = c;
	/* publish the byte before the counter that makes it visible */
	__atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
	if (uart_type == HAVEN_UART_PL011) {
		if (c == '\n')
			uart_pl011_putc(uart_base, '\r');
		uart_pl011_putc(uart_base, c);
	}
}

/*
 * A line that one writer has begun must not be continued by another: the
 * writer whose line is open owns the console until its newline, and any
 * other writer first ends that line. A cell's lines carry its name.
 */
static struct console_stream *open_line;
static struct console_stream haven_stream;

static void stream_putc(struct console_stream *s, const char *name, char c)
{
	const char *p;

	if (open_line && open_line != s) {
		console_putc('\n');
		open_line->mid_line = false;
		open_line = NULL;
	}
	if (!s->mid_line && name) {
		console_putc('[');
		for (p = name; *p; p++)
			console_putc(*p);
		console_putc(']');
		console_putc(' ');
	}
	console_putc(c);
	s->mid_line = c != '\n';
	open_line = s->mid_line ? s : NULL;
}

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	while (len--)
		stream_putc(&haven_stream, NULL, *s++);
	spin_unlock(&console_lock);
}

void console_write_cell(struct console_stream *stream, const char *name, const char *s,
			size_t len)
{
	spin_lock(&console_lock);
	while (len--)
		stream_putc(stream, name, *s++);
	spin_unlock(&console_lock);
}
