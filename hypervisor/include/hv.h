/* SPDX-License-Identifier: GPL-2.0-only */
/* Common definitions for the EL2 firmware. */
#ifndef HAVEN_HV_H
#define HAVEN_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <generated/autoconf.h>
#include <haven/config.h>
#include <haven/errors.h>
#include <haven/types.h>

typedef hv_u8 u8;
typedef hv_u16 u16;
typedef hv_u32 u32;
typedef hv_u64 u64;
typedef hv_s64 s64;

#define PAGE_SIZE 4096UL
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((u64)(a) - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (63 - (h))))

/* C11 spells the GNU asm keyword __asm__ */
#define asm __asm__

#define __noreturn __attribute__((noreturn))
#define __aligned(n) __attribute__((aligned(n)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* IS_ENABLED(CONFIG_X): 1 if the Kconfig bool is set, else 0, usable in C. */
#define HV_PLACEHOLDER_1 0,
#define HV_SECOND(ignored, val, ...) val
#define HV_IS_SET(x) HV_IS_SET_(x)
#define HV_IS_SET_(val) HV_IS_SET__(HV_PLACEHOLDER_##val)
#define HV_IS_SET__(arg1_or_junk) HV_SECOND(arg1_or_junk 1, 0, 0)
#define IS_ENABLED(option) HV_IS_SET(option)

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintk(char *buf, size_t size, const char *fmt, __builtin_va_list ap)
	__attribute__((format(printf, 3, 0)));
void __noreturn panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * trace_error(code): returns code; in debug builds also logs where an error
 * path was taken, so a refusal can be traced to its line.
 */
#ifdef CONFIG_DEBUG
#define trace_error(code)                                                      \
	({                                                                     \
		long __c = (code);                                             \
		printk("error %ld at %s:%d\n", __c, __FILE__, __LINE__);       \
		__c;                                                           \
	})
#else
#define trace_error(code) (code)
#endif

#endif
