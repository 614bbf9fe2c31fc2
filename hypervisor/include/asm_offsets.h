/* SPDX-License-Identifier: GPL-2.0-only */
/* Layout constants shared by C and assembly; checked by _Static_assert in setup.c. */
#ifndef HAVEN_ASM_OFFSETS_H
#define HAVEN_ASM_OFFSETS_H

#define FRAME_SIZE 272 /* struct trap_frame */
#define FRAME_ELR 248
#define FRAME_SPSR 256
#define PER_CPU_SIZE 12288 /* struct per_cpu */
#define PER_CPU_STACK_TOP 8192 /* HV_STACK_SIZE: the stack is the first member */
#define ENTRY_CPU_MASK 0xff

#endif
