/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Fixed-width types for Haven's ABI. All multi-byte fields in the binary
 * formats are little-endian (the only byte order Haven supports).
 */
#ifndef HAVEN_TYPES_H
#define HAVEN_TYPES_H

/* 64-bit constants usable from C and assembly */
#ifdef __ASSEMBLER__
#define HV_U64(x) x
#else
#define HV_U64(x) x##ULL

#ifdef __KERNEL__
#include <linux/types.h>
typedef __u8 hv_u8;
typedef __u16 hv_u16;
typedef __u32 hv_u32;
typedef __u64 hv_u64;
typedef __s64 hv_s64;
#else
#include <stdint.h>
typedef uint8_t hv_u8;
typedef uint16_t hv_u16;
typedef uint32_t hv_u32;
typedef uint64_t hv_u64;
typedef int64_t hv_s64;
#endif
#endif /* __ASSEMBLER__ */

#define HAVEN_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

#endif
