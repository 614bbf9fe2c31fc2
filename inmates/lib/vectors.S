/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Exception vectors. The usual exception is an IRQ taken from EL1h (the
 * inmate always runs on SP_EL1): it saves the caller-saved registers and
 * ELR/SPSR on the current stack, so an IRQ handler may unmask IRQs and let
 * another one nest on the same stack, then calls irq_entry(). Anything else
 * saves all registers and asks exception_catch() (fault.c) whether a test
 * expected it: if so, it resumes where the frame's ELR now points, with
 * every register restored; otherwise exception_fatal() reports ESR/ELR/FAR
 * and stops.
 */

#define IRQ_FRAME 192		/* x0-x18, x29, x30, ELR, SPSR, pad */
#define FULL_FRAME 272		/* x0-x30, ELR, SPSR, SP */

	.macro	ventry_fatal type
	.balign	0x80
	sub	sp, sp, #FULL_FRAME
	stp	x0, x1, [sp, #0]
	mov	x0, #\type
	b	fatal_common
	.endm

	.text
	.balign	0x800
	.global	exception_vectors
exception_vectors:
	/* current EL, SP_EL0 */
	ventry_fatal 0
	ventry_fatal 1
	ventry_fatal 2
	ventry_fatal 3
	/* current EL, SP_ELx */
	ventry_fatal 4
	.balign	0x80
	b	irq_common
	ventry_fatal 6
	ventry_fatal 7
	/* lower EL, AArch64 */
	ventry_fatal 8
	ventry_fatal 9
	ventry_fatal 10
	ventry_fatal 11
	/* lower EL, AArch32 */
	ventry_fatal 12
	ventry_fatal 13
	ventry_fatal 14
	ventry_fatal 15

irq_common:
	sub	sp, sp, #IRQ_FRAME
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	mov	x29, xzr			/* end of the frame chain */

	bl	irq_entry			/* returns with IRQs masked */

	ldr	x1, [sp, #176]
	ldp	x30, x0, [sp, #160]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #IRQ_FRAME
	eret

/* x0 = vector index, x0/x1 of the interrupted context at [sp] */
fatal_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	stp	x30, x1, [sp, #240]
	mrs	x1, spsr_el1
	add	x2, sp, #FULL_FRAME
	stp	x1, x2, [sp, #256]
	mov	x19, x0				/* the vector; x19 is in the frame */
	mov	x1, sp
	mov	x29, xzr
	bl	exception_catch			/* true: resume at the frame's ELR */
	cbz	x0, 6f

	ldp	x0, x1, [sp, #248]		/* ELR, SPSR */
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FULL_FRAME
	eret

6:	mov	x0, x19
	mov	x1, sp
	bl	exception_fatal			/* does not return */
5:	wfi
	b	5b
