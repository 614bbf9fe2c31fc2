/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Entry of test-comm.elf (QEMU only, -smp 2): plays Haven's part of the
 * communication page around the Haven variant of the RTOS. CPU 0 prepares
 * the page, starts CPU 1 with PSCI CPU_ON and enters the inmate at _start
 * with x0 = the page; CPU 1 requests the shutdown and checks the answer
 * (comm_harness.c). Both harness stacks are in .data: _start clears .bss.
 */
	.text
	.global	harness_entry
harness_entry:
	adrp	x1, harness_stack0_top
	add	x1, x1, :lo12:harness_stack0_top
	mov	sp, x1
	bl	harness_cpu0			/* returns the page's address */
	b	_start

	.global	harness_cpu1_entry
harness_cpu1_entry:
	adrp	x1, harness_stack1_top
	add	x1, x1, :lo12:harness_stack1_top
	mov	sp, x1
	bl	harness_cpu1			/* does not return */
1:	wfi
	b	1b

	.data
	.balign	16
	.space	4096
harness_stack0_top:
	.space	4096
harness_stack1_top:
