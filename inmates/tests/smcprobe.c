// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * smcprobe.bin: one SMC, for tests/qemu/smc-allow.sh. The function ID is
 * the little-endian u64 at SMCPROBE_ARG_ADDR, loaded as a second image
 * (havenctl cell load CELL smcprobe.bin fn.bin@0x40180000). The cell makes
 * the SMC with a recognisable value in each of x1-x7 and prints what came
 * back:
 *
 *   SMCPROBE: fn 0x... x0=0x... x1=0x... x2=0x... x3=0x... x4-x7=kept|changed
 *
 * Haven forwards an SMC on the cell's allow-list with x1-x7 and returns
 * x0-x3 from the firmware; any other is refused (x0 = NOT_SUPPORTED) or,
 * under the policy "fail", stops the cell before the line is printed.
 * x4-x7 must come back as they went. Then "SMCPROBE: done", and the cell
 * powers off.
 */
#include "inmate.h"

#define SMCPROBE_ARG_ADDR HV_U64(0x40180000)
#define ARG(n) (HV_U64(0x5345544e49544e00) | (n)) /* "\0NTINTES" + n */

HAVEN_STATIC_ASSERT(SMCPROBE_ARG_ADDR >= PLAT_RAM_BASE + PLAT_IMAGE_MAX,
		    "the argument is clear of the image");

int inmate_main(void)
{
	hv_u64 fn, x[8];
	bool kept;

	/* written by the loader, not by this CPU: no stale line of it here */
	__asm__ volatile("dc civac, %0; dsb sy" ::"r"(SMCPROBE_ARG_ADDR) : "memory");
	fn = *(const volatile hv_u64 *)SMCPROBE_ARG_ADDR;
	x[0] = fn;
	for (unsigned int i = 1; i < 8; i++)
		x[i] = ARG(i);
	printf("SMCPROBE: SMC 0x%lx\n", fn);
	console_flush();
	{
		/* nothing between these and the SMC may call out: x0-x7 are live */
		register hv_u64 r0 __asm__("x0") = x[0];
		register hv_u64 r1 __asm__("x1") = x[1];
		register hv_u64 r2 __asm__("x2") = x[2];
		register hv_u64 r3 __asm__("x3") = x[3];
		register hv_u64 r4 __asm__("x4") = x[4];
		register hv_u64 r5 __asm__("x5") = x[5];
		register hv_u64 r6 __asm__("x6") = x[6];
		register hv_u64 r7 __asm__("x7") = x[7];

		__asm__ volatile("smc #0"
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
				   "+r"(r5), "+r"(r6), "+r"(r7)
				 :
				 : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
				   "x16", "x17", "memory");
		x[0] = r0;
		x[1] = r1;
		x[2] = r2;
		x[3] = r3;
		kept = r4 == ARG(4) && r5 == ARG(5) && r6 == ARG(6) && r7 == ARG(7);
	}
	printf("SMCPROBE: fn 0x%lx x0=0x%lx x1=0x%lx x2=0x%lx x3=0x%lx x4-x7=%s\n", fn,
	       x[0], x[1], x[2], x[3], kept ? "kept" : "changed");
	printf("SMCPROBE: done\n");
	return 0;
}
