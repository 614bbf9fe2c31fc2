/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Addresses of the platform the inmates run on: QEMU "virt" (GICv3), which is
 * also the layout Haven gives a cell there. The only file to change for
 * another platform. Usable from C, assembly and the linker script.
 */
#ifndef INMATE_PLATFORM_H
#define INMATE_PLATFORM_H

#include <haven/types.h>

/* Link and load address: RAM on bare metal, the cell's RAM IPA in Haven. */
#define PLAT_RAM_BASE HV_U64(0x40000000)
/*
 * The most an image may take from PLAT_RAM_BASE, checked when linking. A
 * Haven cell has 2 MiB of RAM there; the upper MiB is left to data that is
 * not part of the image (the RTOS's scrub pattern, the rogue inmate's mode
 * word).
 */
#define PLAT_IMAGE_MAX HV_U64(0x100000)
/*
 * Mapped as Normal write-back memory by the runtime's MMU set-up (1 GiB,
 * aligned); everything else is Device-nGnRnE. Must contain the image.
 */
#define PLAT_NORMAL_BASE HV_U64(0x40000000)
#define PLAT_NORMAL_SIZE HV_U64(0x40000000)

#define PLAT_GICD_BASE HV_U64(0x08000000)
#define PLAT_GICR_BASE HV_U64(0x080a0000)
#define PLAT_GICR_STRIDE HV_U64(0x20000) /* RD + SGI frame, GICv3 */
#define PLAT_GICR_MAX_FRAMES 123 /* 0x080a0000..0x09000000 on virt */

#define PLAT_UART_BASE HV_U64(0x09000000) /* PL011 */

/*
 * PCI configuration space (ECAM) of segment 0, bus 0 first, 1 MiB per bus:
 * QEMU virt with highmem=off. Haven emulates it for a cell, which reaches
 * only the functions it owns (others read as all-ones).
 */
#define PLAT_PCI_ECAM_BASE HV_U64(0x3f000000)
#define PLAT_PCI_ECAM_BUSES 16

#define PLAT_TIMER_VIRT_INTID 27 /* EL1 virtual timer, PPI 11 */

#define PLAT_STACK_SIZE 16384

#endif
