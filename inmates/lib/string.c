// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The memory functions the compiler may call for struct copies and
 * initialisers: words when both sides are aligned, bytes otherwise. The
 * stores are volatile so that neither compiler turns a loop back into a
 * call to the function itself (the Makefile has -fno-strict-aliasing).
 */
#include "inmate.h"

void *memset(void *s, int c, size_t n)
{
	volatile unsigned char *p = s;

	if (((unsigned long)p & 7) == 0) {
		hv_u64 w = (unsigned char)c * 0x0101010101010101ULL;

		for (; n >= 8; n -= 8, p += 8)
			*(volatile hv_u64 *)p = w;
	}
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((unsigned long)d | (unsigned long)s) & 7) == 0)
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(volatile hv_u64 *)d = *(const hv_u64 *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
