/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The /dev/haven interface between havenctl and haven.ko.
 * Every ioctl that can fail fills err[] with a one-line reason.
 */
#ifndef HAVEN_UAPI_H
#define HAVEN_UAPI_H

#include <linux/ioctl.h>
#include "config.h"
#include "hypercall.h"

#define HAVEN_ERR_LEN 256

struct haven_enable_args {
	hv_u64 config_ptr; /* user pointer to a system config */
	hv_u32 config_size;
	hv_u32 reserved;
	char err[HAVEN_ERR_LEN]; /* out */
};

struct haven_disable_args {
	char err[HAVEN_ERR_LEN]; /* out */
};

struct haven_info_args {
	hv_u32 abi_version; /* of the driver */
	hv_u32 enabled;
	hv_u64 hv_mem_base;
	hv_u64 hv_mem_size;
	hv_u64 pool_pages;
	hv_u64 pool_used;
	hv_u32 num_cpus; /* platform CPUs */
	hv_u32 num_stats; /* HAVEN_STAT_COUNT */
	hv_u64 cpus_in_haven; /* bitmap */
	hv_u64 enable_ns; /* how long the last enable took */
	char version[32]; /* firmware version */
	hv_u64 stats[HAVEN_MAX_CPUS][HAVEN_STAT_COUNT];
};

struct haven_console_args {
	hv_u64 buf_ptr; /* user buffer */
	hv_u32 buf_size;
	hv_u32 lost; /* out: bytes overwritten before they could be read */
	hv_u64 pos; /* in/out: position in the console's byte stream */
	hv_u32 len; /* out: bytes copied */
	hv_u32 reserved;
};

/* same layout for 32- and 64-bit callers: no implicit padding */
HAVEN_STATIC_ASSERT(sizeof(struct haven_enable_args) == 16 + HAVEN_ERR_LEN, "enable ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_info_args) ==
			    96 + 8 * HAVEN_MAX_CPUS * HAVEN_STAT_COUNT, "info ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_console_args) == 32, "console ABI");

#define HAVEN_IOCTL_MAGIC 0xB7
#define HAVEN_ENABLE _IOWR(HAVEN_IOCTL_MAGIC, 0x01, struct haven_enable_args)
#define HAVEN_DISABLE _IOWR(HAVEN_IOCTL_MAGIC, 0x02, struct haven_disable_args)
#define HAVEN_INFO _IOR(HAVEN_IOCTL_MAGIC, 0x03, struct haven_info_args)
#define HAVEN_CONSOLE_READ                                                     \
	_IOWR(HAVEN_IOCTL_MAGIC, 0x04, struct haven_console_args)

#endif
