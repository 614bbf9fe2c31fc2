/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Inmate image: linked to run at PLAT_RAM_BASE, entry at the first byte.
 * The flat binary ends with .data; .bss (stack and page tables included)
 * follows it and is cleared by start.S, so the loader only needs to provide
 * memory up to __image_end.
 */
#include "platform.h"

OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = PLAT_RAM_BASE;
	__image_start = .;
	.text : {
		KEEP(*(.text.start))
		*(.text .text.*)
	}
	.rodata : ALIGN(16) { *(.rodata .rodata.*) }
	.data : ALIGN(16) { *(.data .data.*) }
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__stack_bottom = .;
		. += PLAT_STACK_SIZE;
		__stack_top = .;
		__bss_end = .;
	}
	__image_end = .;
	ASSERT(__image_end - __image_start <= PLAT_IMAGE_MAX,
	       "image larger than PLAT_IMAGE_MAX (lib/platform.h)")

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
