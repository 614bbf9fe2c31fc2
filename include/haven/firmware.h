/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The header at the start of haven.bin. The driver checks it, copies the
 * image to the start of hypervisor memory, fills in the boot parameters and
 * enters the image at entry_offset on every online CPU through the hyp-stub.
 */
#ifndef HAVEN_FIRMWARE_H
#define HAVEN_FIRMWARE_H

#include "types.h"

#define HAVEN_FW_MAGIC "HAVENFW"
/* Bumped whenever any of include/haven/ changes incompatibly. */
#define HAVEN_ABI_VERSION 3

struct haven_fw_header {
	hv_u8 magic[8]; /* HAVEN_FW_MAGIC, NUL-terminated */
	hv_u32 abi_version;
	hv_u32 entry_offset; /* of the EL2 entry point */
	hv_u64 image_size; /* bytes in haven.bin */
	hv_u64 core_size; /* image + bss + per-CPU data, page-aligned */
	hv_u32 console_offset; /* console page(s), mapped read-only to root */
	hv_u32 console_size;
	char version[32]; /* firmware version string */
	/* Boot parameters, written by the driver before entry. */
	hv_u64 config_offset; /* system config copy, page-aligned */
	hv_u64 config_size;
	hv_u64 reserved[4];
};

/* The console ring: a monotonic byte counter and a power-of-two buffer. */
struct haven_console_ring {
	volatile hv_u64 head; /* bytes ever written; buf[head % size] is next */
	hv_u32 size;
	hv_u32 reserved;
	char buf[]; /* size bytes */
};

#endif
