// SPDX-License-Identifier: GPL-2.0-only
/* The firmware header at offset 0 of haven.bin (include/haven/firmware.h). */
#include <console.h>
#include <haven/firmware.h>
#include <hv.h>

extern const char haven_entry[], __image_start[], __image_end[], __core_end[];
extern const char __console_start[], __console_end[];

#ifndef HAVEN_VERSION
#define HAVEN_VERSION "0.1"
#endif

/*
 * Sizes and offsets are link-time constants; the linker resolves them as
 * differences of symbols in the same image (no relocation needed).
 */
__attribute__((section(".header"), used)) struct haven_fw_header haven_header = {
	.magic = HAVEN_FW_MAGIC,
	.abi_version = HAVEN_ABI_VERSION,
	.version = HAVEN_VERSION,
};
