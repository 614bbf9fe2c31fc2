// SPDX-License-Identifier: GPL-2.0-only
/*
 * The few string functions EL2 needs. Byte loops on purpose: they also run
 * with the MMU off, where memory is Device-nGnRnE and unaligned or DC ZVA
 * accesses would fault.
 */
#include <lib.h>

void *memset(void *s, int c, size_t n)
{
	volatile u8 *p = s;

	while (n--)
		*p++ = (u8)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

u64 fnv1a64(u64 hash, const void *p, u64 len)
{
	const u8 *b = p;

	while (len--) {
		hash ^= *b++;
		hash *= 0x100000001b3UL;
	}
	return hash;
}
