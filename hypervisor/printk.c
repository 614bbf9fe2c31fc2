// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk: a small formatter for the log. Supports %s %c %d %i %u %x %p %%
 * with the l/ll length modifiers, a field width and the 0 flag.
 */
#include <console.h>
#include <lib.h>
#include <stdarg.h>

struct outbuf {
	char buf[256];
	size_t len;
};

static void put(struct outbuf *o, char c)
{
	if (o->len < sizeof(o->buf))
		o->buf[o->len++] = c;
}

static void put_number(struct outbuf *o, u64 v, unsigned int base, bool neg,
		       unsigned int width, char pad)
{
	char digits[24];
	unsigned int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		digits[n++] = '-';
	while (width > n) {
		put(o, pad);
		width--;
	}
	while (n)
		put(o, digits[--n]);
}

static u64 fetch_unsigned(va_list *ap, unsigned int longs)
{
	return longs ? va_arg(*ap, u64) : va_arg(*ap, unsigned int);
}

static s64 fetch_signed(va_list *ap, unsigned int longs)
{
	return longs ? va_arg(*ap, s64) : va_arg(*ap, int);
}

static void format(struct outbuf *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		unsigned int width = 0, longs = 0;
		char pad = ' ';
		const char *s;
		s64 sv;

		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l' && longs < 2) {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); s && *s; s++)
				put(o, *s);
			break;
		case 'c':
			put(o, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			sv = fetch_signed(&ap, longs);
			put_number(o, sv < 0 ? -(u64)sv : (u64)sv, 10, sv < 0, width, pad);
			break;
		case 'u':
			put_number(o, fetch_unsigned(&ap, longs), 10, false, width, pad);
			break;
		case 'x':
			put_number(o, fetch_unsigned(&ap, longs), 16, false, width, pad);
			break;
		case 'p':
			put(o, '0');
			put(o, 'x');
			put_number(o, (u64)va_arg(ap, void *), 16, false, width, pad);
			break;
		case '%':
			put(o, '%');
			break;
		default:
			put(o, '?');
			break;
		}
		if (!*fmt)
			break;
	}
}

/* Format into buf (NUL-terminated, cut at size - 1 characters). */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .len = 0 };

	format(&o, fmt, ap);
	if (o.len >= size)
		o.len = size - 1;
	memcpy(buf, o.buf, o.len);
	buf[o.len] = 0;
	return (int)o.len;
}

int printk(const char *fmt, ...)
{
	struct outbuf o = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	console_write(o.buf, o.len);
	return (int)o.len;
}

void __noreturn panic(const char *fmt, ...)
{
	struct outbuf o = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	console_write("PANIC: ", 7);
	console_write(o.buf, o.len);
	for (;;)
		asm volatile("wfi");
}
