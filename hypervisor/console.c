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

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	while (len--)
		console_putc(*s++);
	spin_unlock(&console_lock);
}

/* "[name] " and the stream's buffered line, as one piece of the console. */
static void emit_line(struct console_stream *s, const char *name)
{
	const char *p;
	u32 i;

	spin_lock(&console_lock);
	console_putc('[');
	for (p = name; *p; p++)
		console_putc(*p);
	console_putc(']');
	console_putc(' ');
	for (i = 0; i < s->len; i++)
		console_putc(s->line[i]);
	console_putc('\n');
	spin_unlock(&console_lock);
	s->len = 0;
}

/*
 * A cell's output is collected per line and written whole, so that lines
 * of different writers never mix even when a cell writes byte by byte.
 */
void console_write_cell(struct console_stream *s, const char *name, const char *buf,
			size_t len)
{
	spin_lock(&s->lock);
	while (len--) {
		char c = *buf++;

		if (c == '\n') {
			emit_line(s, name);
			continue;
		}
		s->line[s->len++] = c;
		if (s->len == CONSOLE_LINE_MAX)
			emit_line(s, name);
	}
	spin_unlock(&s->lock);
}

void console_flush_cell(struct console_stream *s, const char *name)
{
	spin_lock(&s->lock);
	if (s->len)
		emit_line(s, name);
	spin_unlock(&s->lock);
}
