// SPDX-License-Identifier: GPL-2.0-only
/* Zero the FP/SIMD registers and their control/status (CPTR_EL2.TFP is 0). */
	.arch armv8-a+fp+simd
	.text
	.global vcpu_zero_fpsimd
vcpu_zero_fpsimd:
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movi	v\n\().16b, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret
