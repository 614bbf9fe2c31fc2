/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HAVEN_LIB_H
#define HAVEN_LIB_H

#include <hv.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* FNV-1a, 64 bits: start with FNV1A64_INIT, chain over several ranges */
#define FNV1A64_INIT 0xcbf29ce484222325UL
u64 fnv1a64(u64 hash, const void *p, u64 len);

#endif
