/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Entry point, at the first byte of the image. Expected state: EL1h (EL1t
 * is tolerated), MMU off, the image at its link address and clean to the
 * point of coherency, x0 = the communication page's IPA or 0. Other
 * registers, including SCTLR_EL1's cache bits and DAIF, are not relied on.
 */
#include "platform.h"

/* SCTLR_EL1: RES1 bits (and their ARMv8.1+ meanings, set as at reset) */
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_EL1_SA (1 << 3)
#define SCTLR_EL1_I (1 << 12)

	.section .text.start, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x19, x0				/* comm page IPA */
	mrs	x20, CurrentEL

	/* MMU and D-cache off, I-cache on, little-endian, stack checks */
	ldr	x1, =(SCTLR_EL1_RES1 | SCTLR_EL1_I | SCTLR_EL1_SA)
	msr	sctlr_el1, x1
	isb
	ic	iallu
	dsb	nsh
	isb

	adrp	x1, exception_vectors
	add	x1, x1, :lo12:exception_vectors
	msr	vbar_el1, x1
	isb

	/*
	 * Everything up to __image_end (bss, stack, page tables) is written
	 * with the MMU off, i.e. past the caches: drop any line of it first,
	 * so none is hit once the caches are on.
	 */
	adrp	x0, __image_start
	adrp	x1, __image_end
	add	x1, x1, :lo12:__image_end
	bl	dcache_inval_poc

	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr

	mov	x0, x19
	lsr	x1, x20, #2
	bl	inmate_start			/* does not return */
3:	wfi
	b	3b

/*
 * dcache_inval_poc(start, end): invalidate the data cache lines of
 * [start, end) to the point of coherency. Leaf, no stack.
 */
dcache_inval_poc:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
4:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	4b
	dsb	sy
	ret

	.ltorg
