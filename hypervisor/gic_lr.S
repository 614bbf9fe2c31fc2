// SPDX-License-Identifier: GPL-2.0-only
/*
 * read_lr(n) and write_lr(n, v): list register n of the virtual CPU
 * interface (ICH_LR<n>_EL2 = S3_4_C12_C12_<n> for n < 8, S3_4_C12_C13_<n - 8>
 * above; GIC spec 12.4.6). A system register cannot be named by an index
 * at run time, so each is a table of two-instruction entries (the access
 * and ret) entered at 8 * n; n is taken modulo 16.
 */

.macro lr_table insn
	and	x0, x0, #15
	adr	x2, 1f
	add	x2, x2, x0, lsl #3
	br	x2
1:
	.irp crm, 12, 13
	.irp op2, 0, 1, 2, 3, 4, 5, 6, 7
	\insn \crm, \op2
	ret
	.endr
	.endr
.endm

.macro read_one crm, op2
	mrs	x0, S3_4_C12_C\crm\()_\op2
.endm

.macro write_one crm, op2
	msr	S3_4_C12_C\crm\()_\op2, x1
.endm

	.text
	.global read_lr
read_lr:
	lr_table read_one

	.global write_lr
write_lr:
	lr_table write_one
