// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * printf for the inmates: %s %c %d %i %u %x %X %p %%, length modifiers l,
 * ll and z, a field width and the '0' and '-' flags. Output goes to the
 * back end linked in (console_pl011.c or console_haven.c).
 */
#include "inmate.h"

struct spec {
	unsigned int width;
	bool zero;
	bool left;
};

static int put_padded(const char *s, unsigned int len, const struct spec *sp,
		      bool negative)
{
	unsigned int total = len + (negative ? 1 : 0);
	unsigned int pad = sp->width > total ? sp->width - total : 0;
	int n = 0;

	if (negative && sp->zero) {
		console_backend_putc('-');
		n++;
		negative = false;
	}
	if (!sp->left)
		for (; pad; pad--, n++)
			console_backend_putc(sp->zero ? '0' : ' ');
	if (negative) {
		console_backend_putc('-');
		n++;
	}
	for (unsigned int i = 0; i < len; i++, n++)
		console_backend_putc(s[i]);
	for (; pad; pad--, n++)
		console_backend_putc(' ');
	return n;
}

static int put_number(unsigned long long v, unsigned int base, bool upper,
		      bool negative, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	unsigned int i = sizeof(buf);

	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	return put_padded(buf + i, sizeof(buf) - i, sp, negative);
}

int vprintf(const char *fmt, va_list ap)
{
	int n = 0;

	for (; *fmt; fmt++) {
		struct spec sp = { 0 };
		unsigned int lmod = 0;
		unsigned long long u;
		long long s;
		const char *str;
		char c;

		if (*fmt != '%') {
			console_backend_putc(*fmt);
			n++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '-')
				sp.left = true;
			else
				break;
		}
		if (sp.left)
			sp.zero = false;
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (unsigned int)(*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'l')
				lmod++;
			else if (*fmt == 'z')
				lmod = 1;
			else
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			if (lmod >= 2)
				s = va_arg(ap, long long);
			else if (lmod == 1)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);
			u = s < 0 ? 0 - (unsigned long long)s : (unsigned long long)s;
			n += put_number(u, 10, false, s < 0, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
			if (lmod >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lmod == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
			n += put_number(u, *fmt == 'u' ? 10 : 16, *fmt == 'X',
					false, &sp);
			break;
		case 'p':
			u = (unsigned long long)(unsigned long)va_arg(ap, void *);
			console_backend_putc('0');
			console_backend_putc('x');
			n += 2 + put_number(u, 16, false, false, &sp);
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			u = 0;
			while (str[u])
				u++;
			n += put_padded(str, (unsigned int)u, &sp, false);
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			n += put_padded(&c, 1, &sp, false);
			break;
		case '%':
			console_backend_putc('%');
			n++;
			break;
		case '\0':
			return n;
		default: /* unknown: print it as is */
			console_backend_putc('%');
			console_backend_putc(*fmt);
			n += 2;
			break;
		}
	}
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void console_puts(const char *s)
{
	while (*s)
		console_backend_putc(*s++);
}

void console_flush(void)
{
	console_backend_flush();
}
