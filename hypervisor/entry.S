// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2 entry points and exception vectors.
 *
 * haven_entry is reached at EL2 with the MMU off, either from Linux's
 * hyp-stub (HVC_SOFT_RESTART: x0 = HAVEN_ENTRY_ENABLE | cpu, x1 = 1 on the
 * first CPU; ELR/SPSR_EL2 return to the driver) or from PSCI CPU_ON
 * (x0 = HAVEN_ENTRY_CPU_ON | cpu). Either way the CPU ends up running its
 * cell through guest_return, with the trap frame on its per-CPU stack.
 */
#include <asm_offsets.h>
#include <generated/autoconf.h>
#include <haven/hypercall.h>

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* x0-x17 to (stp) or from (ldp) the frame at the stack pointer */
.macro frame_x0_x17 op
	\op	x0, x1, [sp, #16 * 0]
	\op	x2, x3, [sp, #16 * 1]
	\op	x4, x5, [sp, #16 * 2]
	\op	x6, x7, [sp, #16 * 3]
	\op	x8, x9, [sp, #16 * 4]
	\op	x10, x11, [sp, #16 * 5]
	\op	x12, x13, [sp, #16 * 6]
	\op	x14, x15, [sp, #16 * 7]
	\op	x16, x17, [sp, #16 * 8]
.endm

/* A new frame on the stack, x0-x17 saved in it. */
.macro save_x0_x17
	sub	sp, sp, #FRAME_SIZE
	frame_x0_x17 stp
.endm

.macro save_x20_x29
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
.endm

/* The whole frame: the guest's registers, ELR and SPSR. */
.macro save_frame
	save_x0_x17
	stp	x18, x19, [sp, #16 * 9]
	save_x20_x29
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x30, x0, [sp, #16 * 15]
	str	x1, [sp, #FRAME_SPSR]
.endm

/* What a C function may clobber (AAPCS64): x0-x18 and x30. */
.macro save_caller_saved
	save_x0_x17
	str	x18, [sp, #16 * 9]
	str	x30, [sp, #16 * 15]
.endm

/* The rest of the frame after save_caller_saved (clobbers x0, x1). */
.macro save_callee_saved
	str	x19, [sp, #16 * 9 + 8]
	save_x20_x29
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
.endm

/* Load the guest's registers from the frame at \base (x0/x1 last). */
.macro load_frame base
	ldp	x0, x1, [\base, #FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x2, x3, [\base, #16 * 1]
	ldp	x4, x5, [\base, #16 * 2]
	ldp	x6, x7, [\base, #16 * 3]
	ldp	x8, x9, [\base, #16 * 4]
	ldp	x10, x11, [\base, #16 * 5]
	ldp	x12, x13, [\base, #16 * 6]
	ldp	x14, x15, [\base, #16 * 7]
	ldr	x18, [\base, #16 * 9]
	ldp	x19, x20, [\base, #16 * 9 + 8]
	ldp	x21, x22, [\base, #16 * 10 + 8]
	ldp	x23, x24, [\base, #16 * 11 + 8]
	ldp	x25, x26, [\base, #16 * 12 + 8]
	ldp	x27, x28, [\base, #16 * 13 + 8]
	ldp	x29, x30, [\base, #16 * 14 + 8]
.endm

	.section .text.entry, "ax"
	.global haven_entry
haven_entry:
	and	x9, x0, #ENTRY_CPU_MASK
	cmp	x9, #CONFIG_MAX_CPUS
	b.hs	bad_cpu_index
	adr_l	x10, per_cpu_data
	mov	x11, #PER_CPU_SIZE
	madd	x10, x9, x11, x10
	msr	tpidr_el2, x10
	add	x11, x10, #PER_CPU_STACK_TOP
	mov	sp, x11
	save_frame

	/* first CPU of an enable: x0 = HAVEN_ENTRY_ENABLE | cpu and x1 bit 0 */
	ldp	x0, x1, [sp]
	bic	x2, x0, #ENTRY_CPU_MASK
	ldr	x3, =HAVEN_ENTRY_ENABLE
	cmp	x2, x3
	b.ne	1f
	tbz	x1, #0, 1f
	/* relocate, validate the config, build the EL2 tables, MMU still off */
	bl	apply_relocations
	mov	x0, sp
	bl	first_cpu_setup_mmu_off
	cbz	x0, 2f
	b	guest_return		/* refused: frame holds the reason */
1:	/* other CPUs: drop stale cache lines over what we wrote uncached */
	mrs	x0, tpidr_el2
	mov	x1, #PER_CPU_SIZE
	bl	dcache_inval_range
2:	bl	el2_mmu_enable
	mov	x0, sp
	bl	cpu_entry
	b	guest_return

bad_cpu_index:
	mov	x0, #-3			/* HAVEN_E_INVAL */
	eret

/* Apply R_AARCH64_RELATIVE relocations (Elf64_Rela: offset, info, addend). */
apply_relocations:
	adr_l	x2, __image_start
	adr_l	x3, __rela_start
	adr_l	x4, __rela_end
1:	cmp	x3, x4
	b.hs	2f
	ldp	x5, x6, [x3], #16
	ldr	x7, [x3], #8
	cmp	w6, #1027		/* R_AARCH64_RELATIVE */
	b.ne	1b
	add	x7, x7, x2
	str	x7, [x2, x5]
	b	1b
2:	ret

/* Turn on the EL2 MMU with the tables first_cpu_setup_mmu_off built. */
	.global el2_mmu_enable
el2_mmu_enable:
	adr_l	x0, el2_mmu_regs
	ldp	x1, x2, [x0]		/* TTBR0_EL2, TCR_EL2 */
	ldp	x3, x4, [x0, #16]	/* MAIR_EL2, SCTLR_EL2 */
	msr	ttbr0_el2, x1
	msr	tcr_el2, x2
	msr	mair_el2, x3
	isb
	tlbi	alle2
	dsb	nsh
	msr	sctlr_el2, x4
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/* Invalidate data cache lines in [x0, x0 + x1) (Arm ARM D7.5.9). */
	.global dcache_inval_range
dcache_inval_range:
	add	x1, x1, x0
	bic	x0, x0, #63
1:	dc	ivac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/* Clean and invalidate data cache lines in [x0, x0 + x1). */
	.global dcache_clean_inval_range
dcache_clean_inval_range:
	add	x1, x1, x0
	bic	x0, x0, #63
1:	dc	civac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/*
 * leave_haven(frame, sctlr, vbar): hand this CPU back to Linux's stub:
 * restore the caller's registers, turn the EL2 MMU off and return.
 * Only loads after the MMU is off; the caller cleaned the caches.
 */
	.global leave_haven
leave_haven:
	msr	vbar_el2, x2
	mov	x16, x0
	mov	x17, x1
	load_frame x16
	ldp	x0, x1, [x16]
	msr	sctlr_el2, x17
	isb
	tlbi	alle2
	dsb	nsh
	isb
	eret

/* Return to the guest through the frame at the top of this CPU's stack. */
	.global guest_return
guest_return:
	mov	x16, sp
	load_frame x16
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x0, x1, [sp, #16 * 0]
	add	sp, sp, #FRAME_SIZE
	eret

.macro vector target
	.align 7
	b	\target
.endm

	.align 11
	.global el2_vectors
el2_vectors:
	vector	hyp_fault		/* current EL, SP0 */
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault		/* current EL, SPx */
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault
	vector	lower_sync		/* lower EL, AArch64 */
	vector	lower_irq
	vector	lower_fiq		/* Group 0: a direct cell's CPU */
	vector	hyp_fault
	vector	hyp_fault		/* lower EL, AArch32 */
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault

lower_sync:
	save_frame
	mov	x0, sp
	bl	handle_trap
	b	guest_return

/*
 * An interrupt: irq_fast (irq.c) delivers the common one with only the
 * caller-saved registers saved and restored; everything else goes on to
 * handle_irq with the whole frame.
 */
lower_irq:
	save_caller_saved
	bl	irq_fast
	cbnz	x0, 1f
	frame_x0_x17 ldp
	ldr	x18, [sp, #16 * 9]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #FRAME_SIZE
	eret
1:	mov	w2, w0			/* the acknowledged INTID */
	save_callee_saved
	mov	w1, w2
	mov	x0, sp
	bl	handle_irq
	b	guest_return

lower_fiq:
	save_frame
	mov	x0, sp
	bl	handle_fiq
	b	guest_return

hyp_fault:
	save_frame
	mov	x0, sp
	bl	handle_hyp_fault	/* does not return */
