// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Console back end for a Haven cell: HAVEN_HC_CONSOLE_WRITE (see
 * include/haven/comm.h). Output is collected up to a line (or a full
 * buffer) and handed over in calls of at most 48 bytes. Not reentrant: print
 * from one context at a time (the RTOS prints only from its idle loop).
 */
#include "inmate.h"

#define LINE_BUF 128

static char line[LINE_BUF];
static unsigned int line_len;

/* Returns the bytes written or a negative error. */
static long haven_console_write(const char *s, unsigned int n)
{
	hv_u64 r[6] = { 0 };

	for (unsigned int i = 0; i < n; i++)
		r[i / 8] |= (hv_u64)(hv_u8)s[i] << (8 * (i % 8));

	register hv_u64 x0 __asm__("x0") = HAVEN_HC_CONSOLE_WRITE;
	register hv_u64 x1 __asm__("x1") = n;
	register hv_u64 x2 __asm__("x2") = r[0];
	register hv_u64 x3 __asm__("x3") = r[1];
	register hv_u64 x4 __asm__("x4") = r[2];
	register hv_u64 x5 __asm__("x5") = r[3];
	register hv_u64 x6 __asm__("x6") = r[4];
	register hv_u64 x7 __asm__("x7") = r[5];

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "+r"(x5), "+r"(x6), "+r"(x7)
			 :
			 : "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (long)x0;
}

void console_backend_flush(void)
{
	unsigned int done = 0;

	while (done < line_len) {
		unsigned int n = line_len - done;
		long ret;

		if (n > HAVEN_CONSOLE_WRITE_MAX)
			n = HAVEN_CONSOLE_WRITE_MAX;
		ret = haven_console_write(line + done, n);
		if (ret <= 0 || ret > (long)n)
			break; /* refused: drop the rest */
		done += (unsigned int)ret;
	}
	line_len = 0;
}

void console_backend_putc(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == LINE_BUF)
		console_backend_flush();
}
