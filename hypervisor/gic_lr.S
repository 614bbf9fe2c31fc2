// SPDX-License-Identifier: GPL-2.0-only
/*
 * read_lr(n) and write_lr(n, v): list register n of the virtual CPU
 * interface (ICH_LR<n>_EL2, GIC spec 12.4.6). A system register cannot be
 * named by an index at run time, so each is a table of two-instruction
 * entries (the access and ret) entered at 8 * n; n is taken modulo 16.
 */

.macro lr_table
	and	x0, x0, #15
	adr	x2, 1f
	add	x2, x2, x0, lsl #3
	br	x2
1:
.endm

	.text
	.global read_lr
read_lr:
	lr_table
	mrs	x0, S3_4_C12_C12_0
	ret
	mrs	x0, S3_4_C12_C12_1
	ret
	mrs	x0, S3_4_C12_C12_2
	ret
	mrs	x0, S3_4_C12_C12_3
	ret
	mrs	x0, S3_4_C12_C12_4
	ret
	mrs	x0, S3_4_C12_C12_5
	ret
	mrs	x0, S3_4_C12_C12_6
	ret
	mrs	x0, S3_4_C12_C12_7
	ret
	mrs	x0, S3_4_C12_C13_0
	ret
	mrs	x0, S3_4_C12_C13_1
	ret
	mrs	x0, S3_4_C12_C13_2
	ret
	mrs	x0, S3_4_C12_C13_3
	ret
	mrs	x0, S3_4_C12_C13_4
	ret
	mrs	x0, S3_4_C12_C13_5
	ret
	mrs	x0, S3_4_C12_C13_6
	ret
	mrs	x0, S3_4_C12_C13_7
	ret

	.global write_lr
write_lr:
	lr_table
	msr	S3_4_C12_C12_0, x1
	ret
	msr	S3_4_C12_C12_1, x1
	ret
	msr	S3_4_C12_C12_2, x1
	ret
	msr	S3_4_C12_C12_3, x1
	ret
	msr	S3_4_C12_C12_4, x1
	ret
	msr	S3_4_C12_C12_5, x1
	ret
	msr	S3_4_C12_C12_6, x1
	ret
	msr	S3_4_C12_C12_7, x1
	ret
	msr	S3_4_C12_C13_0, x1
	ret
	msr	S3_4_C12_C13_1, x1
	ret
	msr	S3_4_C12_C13_2, x1
	ret
	msr	S3_4_C12_C13_3, x1
	ret
	msr	S3_4_C12_C13_4, x1
	ret
	msr	S3_4_C12_C13_5, x1
	ret
	msr	S3_4_C12_C13_6, x1
	ret
	msr	S3_4_C12_C13_7, x1
	ret
