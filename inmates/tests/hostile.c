// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * hostile.bin: the attacker of the hostile-cell suite (tests/qemu/hostile.sh).
 * Run as the cell "hostile" (tests/configs/hostile.yaml: CPU 2, policy
 * abort), it attacks the root, the rtos cell and Haven one attack at a time
 * and prints, through the console hypercall,
 *
 *   HOSTILE: begin N NAME
 *   HOSTILE: end N observed=TOKEN [key=0xVALUE]...
 *
 * around each attack; TOKEN is what the cell saw (e.g. "abort": the access
 * raised the external abort Haven injects, "no-fault": it went through).
 * Whether Haven reported it and whether the victims are intact is judged
 * outside the cell (tests/lib/hostile_report.py).
 *
 * Its argument is two little-endian u64 at HOSTILE_ARGS_ADDR, loaded as a
 * second image (havenctl cell load hostile hostile.bin args.bin@0x40180000):
 *
 *   +0  first   the first attack to run (attacks first..last run in order)
 *   +8  flags   HOSTILE_ONLY: run attack first alone
 *               HOSTILE_LIST: print the attacks, "HOSTILE: attack N NAME
 *               KIND EXPECTED", and run none
 *
 * Attacks that end the cell (PSCI SYSTEM_OFF and SYSTEM_RESET, and
 * state-plant, which leaves its registers for the CPU's next owner) or
 * must be the first thing it does (state-check, which reads them in the
 * next start; hostile_state.c) run only when first selects them. After the
 * last attack it prints "HOSTILE: done" and powers the cell off (PSCI
 * SYSTEM_OFF); after state-plant it powers off at once, without the
 * runtime's exit (which stops the virtual timer).
 *
 * Addresses are the cell's IPAs; those of other owners are their physical
 * addresses, which Haven must not map into the cell. DMA uses the cell's
 * edu device (00:02.0, stream 0x10), whose bus addresses are the cell's
 * IPAs through the SMMU, and the edu at 00:03.0, whose stream no cell owns.
 */
#include <haven/errors.h>
#include <haven/hypercall.h>

#include "hostile.h"

#define HOSTILE_ARGS_ADDR HV_U64(0x40180000)
#define HOSTILE_ONLY (1U << 0)
#define HOSTILE_LIST (1U << 1)

HAVEN_STATIC_ASSERT(HOSTILE_ARGS_ADDR >= PLAT_RAM_BASE + PLAT_IMAGE_MAX,
		    "the argument is clear of the image");

/* the cell's own memory and devices (tests/configs/hostile.yaml) */
#define OWN_RAM_END HV_U64(0x40200000)
#define OWN_DATA HV_U64(0x40400000) /* 2 MiB, read/write, no exec */
#define OWN_DATA_PHYS HV_U64(0x7c200000)
#define OWN_DATA_END HV_U64(0x40600000)
#define OWN_EDU_BDF PCI_BDF(0, 2, 0)
#define OWN_EDU_BAR HV_U64(0x10100000)
#define UNASSIGNED_EDU_BAR HV_U64(0x10200000) /* edu at 00:03.0 */
#define OWN_SPI 250
#define OWN_CPU_MPIDR HV_U64(0x2)

/* pages of the data region the attacks use */
#define CODE_PAGE OWN_DATA /* a "ret" to execute */
#define SOURCE_PAGE (OWN_DATA + 0x1000) /* what DMA reads */
#define TARGET_PAGE (OWN_DATA + 0x2000) /* where DMA writes */
#define RESET_MARK_ADDR (OWN_DATA + 0x3000)
#define RESET_MARK HV_U64(0x5445534552444e45) /* "ENDRESET" */

/* what is not the cell's: physical addresses of the root, rtos and Haven */
#define ROOT_RAM HV_U64(0x48000000) /* the root Linux's (mem=512M) */
#define ROOT_CANARY HV_U64(0x60000000) /* root RAM outside its Linux */
/*
 * The root's canary: 64-bit word i is ROOT_CANARY_PATTERN ^ i, as
 * tests/guest/canary.c writes it before the suite.
 */
#define ROOT_CANARY_PATTERN HV_U64(0x5952414e41434e48) /* "HNCANARY" */
#define HV_IMAGE HV_U64(0x7f000000) /* Haven's image: its firmware header */
#define HV_DATA HV_U64(0x7f100000)
#define RTOS_CODE HV_U64(0x7e000000)
#define RTOS_DATA HV_U64(0x7e100000) /* its scrub pattern */
#define PL031_RTC HV_U64(0x09010000)
/* the cell's sub-page windows of the RTC's page (hostile.yaml) */
#define RTC_MR (PL031_RTC + 0x004) /* match register: 32-bit, read-write */
#define RTC_LR (PL031_RTC + 0x008) /* load register: nobody's */
#define RTC_ID (PL031_RTC + 0xfe0) /* PeriphID0-3, PCellID0-3: 8/32-bit, read-only */
#define PL031_ID HV_U64(0xb105f00d00141031) /* their low bytes, ID0 lowest */
#define MATCH_VALUE 0x5a5aa5a5U
#define PL011_UART HV_U64(0x09000000)
#define SMMU_BASE HV_U64(0x09050000)
#define GITS_BASE HV_U64(0x08080000)
#define GITS_IIDR 0x0004
#define ROOT_GICR HV_U64(0x080a0000) /* CPU 0's RD frame */
#define GICR_WAKER 0x0014
#define GICR_SGI_ICENABLER0 (0x10000 + 0x0180)
#define RTOS_EDU_BDF PCI_BDF(0, 1, 0)
#define HOST_BRIDGE_BDF PCI_BDF(0, 0, 0)

#define GICD_BASE HV_U64(0x08000000)
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER(irq) (0x6000 + 8 * (hv_u64)(irq))
#define GICD_IROUTER_IRM (HV_U64(1) << 31)
#define FOREIGN_SPI 33 /* the root's PL011 */

#define PSCI_CPU_ON 0xc4000003U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMS (-2)
#define PSCI_DENIED (-3)
#define SMC_UNKNOWN 0x82000010U

#define ATTACK_WORD HV_U64(0x4b43415454414821) /* "!HATTACK" */
#define SOURCE_PATTERN HV_U64(0x45435255534f4445) /* "EDOSURCE" */
#define TARGET_MARK HV_U64(0x544547524154554e) /* "NUTARGET" */
#define GARBAGE1 HV_U64(0xdeadbeefdeadbeef)
#define GARBAGE2 HV_U64(0xffffffffffffffff)
#define GARBAGE3 HV_U64(0x8000000000000000)

#define DMA_BYTES 256
#define DMA_TIMEOUT_MS 2000
#define DMA_REPORT_WAIT_MS 20 /* Haven reports SMMU faults from another CPU */

enum kind {
	K_FAULT, /* an access Haven answers with a fault */
	K_DENIED, /* an access Haven refuses without a fault */
	K_DMA, /* DMA of the cell's own stream, outside its memory */
	K_DMA_UNASSIGNED, /* DMA of a stream no cell owns */
	K_CONTROL, /* allowed DMA: the rig can tell success from failure */
	K_OFF, /* PSCI SYSTEM_OFF: the cell stops */
	K_RESET, /* PSCI SYSTEM_RESET: the cell stops and is restarted */
	K_PLANT, /* leaves state on the CPU for the next owner, then stops */
	K_STATE, /* the CPU's state at entry: nothing of its previous owner */
	K_SUBPAGE, /* an access in a sub-page window's page Haven refuses */
	K_ALLOWED, /* an access Haven performs for the cell: nothing to report */
};

static const char *const kind_names[] = {
	"fault", "denied", "dma", "dma-unassigned", "control", "off", "reset", "plant",
	"state", "subpage", "allowed",
};

struct attack;
typedef void (*attack_fn)(const struct attack *a, struct result *r);

struct attack {
	const char *name;
	enum kind kind;
	const char *expected; /* the observed token that is right */
	attack_fn run;
	hv_u64 addr; /* what it targets */
	hv_u64 arg; /* more of it, by attack */
};

void note(struct result *r, const char *key, hv_u64 value)
{
	if (r->n < MAX_VALUES) {
		r->key[r->n] = key;
		r->value[r->n++] = value;
	}
}

/* ---- SMCCC calls ------------------------------------------------------------- */

static hv_u64 smccc(bool hvc, hv_u64 fn, hv_u64 a1, hv_u64 a2, hv_u64 a3)
{
	register hv_u64 x0 __asm__("x0") = fn;
	register hv_u64 x1 __asm__("x1") = a1;
	register hv_u64 x2 __asm__("x2") = a2;
	register hv_u64 x3 __asm__("x3") = a3;

	if (hvc)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
				   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
				   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* ---- CPU accesses ------------------------------------------------------------ */

/* What a caught exception says: Haven's external abort, or something else. */
static void observe(struct result *r, const struct fault_record *f)
{
	hv_u64 ec = ESR_EC(f->esr);

	if ((ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR) &&
	    ESR_FSC(f->esr) == ESR_FSC_SYNC_EXTERNAL)
		r->observed = "abort";
	else
		r->observed = "exception";
	note(r, "esr", f->esr);
	note(r, "far", f->far);
	if (f->count > 1)
		note(r, "exceptions", f->count);
}

enum access { READ8, WRITE8, READ32, WRITE32, READ64, WRITE64, READ16, LDXR, LDP, LDADD };

static void cpu_access(const struct attack *a, struct result *r)
{
	struct fault_record f;
	hv_u64 v = 0;

	fault_catch_begin();
	switch ((enum access)a->arg) {
	case READ8: v = *(volatile hv_u8 *)a->addr; break;
	case WRITE8: *(volatile hv_u8 *)a->addr = (hv_u8)ATTACK_WORD; break;
	case READ32: v = mmio_read32(a->addr); break;
	case WRITE32: mmio_write32(a->addr, 0); break;
	case READ64: v = *(volatile hv_u64 *)a->addr; break;
	case WRITE64: *(volatile hv_u64 *)a->addr = ATTACK_WORD; break;
	case READ16: v = *(volatile hv_u16 *)a->addr; break;
	/* no single-register syndrome (ESR_EL2.ISV 0): exclusive, pair, atomic */
	case LDXR: __asm__ volatile("ldxr %w0, [%1]" : "=r"(v) : "r"(a->addr) : "memory"); break;
	case LDP: {
		hv_u64 v2;

		__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(v), "=r"(v2) : "r"(a->addr) : "memory");
		v |= v2 << 32;
		break;
	}
	case LDADD:
		__asm__ volatile(".arch_extension lse\n\tldadd %w1, %w0, [%2]"
				 : "=r"(v) : "r"(1U), "r"(a->addr) : "memory");
		break;
	}
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	r->observed = "no-fault";
	if (a->arg != WRITE8 && a->arg != WRITE32 && a->arg != WRITE64)
		note(r, "value", v);
}

/* ---- sub-page windows (the RTC's page) ---------------------------------------- */

/* Its ID window: 32-bit words, and bytes zero- and sign-extended into w and x. */
static void subpage_read_id(const struct attack *a, struct result *r)
{
	hv_u64 id = 0, zx = 0, sx32 = 0, sx64 = 0;
	struct fault_record f;

	(void)a;
	fault_catch_begin();
	for (hv_u64 i = 0; i < 8; i++)
		id |= (hv_u64)(mmio_read32(RTC_ID + 4 * i) & 0xff) << (8 * i);
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(zx) : "r"(RTC_ID + 0x1c) : "memory");
	__asm__ volatile("ldrsb %w0, [%1]" : "=r"(sx32) : "r"(RTC_ID + 0x1c) : "memory");
	__asm__ volatile("ldrsb %x0, [%1]" : "=r"(sx64) : "r"(RTC_ID + 0x1c) : "memory");
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	/* PCellID3 is 0xb1: its sign bit set */
	r->observed = id == PL031_ID && zx == 0xb1 && sx32 == 0xffffffb1 &&
		      sx64 == ~HV_U64(0) - 0x4e ? "device-id" : "wrong-value";
	note(r, "id", id);
	note(r, "ldrb", zx);
	note(r, "ldrsb_w", sx32);
	note(r, "ldrsb_x", sx64);
}

/* Its match register: a value written reads back, and so does xzr's zero. */
static void subpage_write_match(const struct attack *a, struct result *r)
{
	struct fault_record f;
	hv_u32 set, cleared;

	(void)a;
	fault_catch_begin();
	mmio_write32(RTC_MR, MATCH_VALUE);
	set = mmio_read32(RTC_MR);
	__asm__ volatile("str wzr, [%0]" : : "r"(RTC_MR) : "memory");
	cleared = mmio_read32(RTC_MR);
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	r->observed = set == MATCH_VALUE && cleared == 0 ? "written" : "not-written";
	note(r, "set", set);
	note(r, "cleared", cleared);
}

/*
 * A misaligned word in its ID window. With the page Device at stage 1 the
 * CPU faults at EL1 before stage 2; Normal, the access reaches Haven.
 */
static void subpage_misaligned(const struct attack *a, struct result *r)
{
	if (mmu_map_normal_2m(a->addr)) {
		r->observed = "rig-no-mapping";
		return;
	}
	cpu_access(a, r);
}

static void sync_icache(hv_u64 addr)
{
	__asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb" ::"r"(addr)
			 : "memory");
}

/* A "ret" in memory the cell may write but not execute, called. */
static void cpu_execute(const struct attack *a, struct result *r)
{
	void (*volatile fn)(void) = (void (*)(void))a->addr;
	struct fault_record f;

	*(volatile hv_u32 *)a->addr = 0xd65f03c0; /* ret */
	sync_icache(a->addr);
	fault_catch_begin();
	fn();
	if (fault_catch_end(&f))
		observe(r, &f);
	else
		r->observed = "no-fault";
}

/* ---- the GIC distributor ----------------------------------------------------- */

static hv_u32 gicd_read(hv_u64 off)
{
	return mmio_read32(GICD_BASE + off);
}

/* A write to a register of a foreign SPI; right if it reads back as 0. */
static void gicd_foreign(const struct attack *a, struct result *r)
{
	hv_u32 spi = FOREIGN_SPI, bit = 1U << (spi % 32);
	struct fault_record f;
	hv_u64 v = 0;

	fault_catch_begin();
	switch (a->arg) {
	case 0: /* set-enable */
		mmio_write32(GICD_BASE + GICD_ISENABLER(spi / 32), bit);
		v = gicd_read(GICD_ISENABLER(spi / 32)) & bit;
		break;
	case 1: /* clear-enable: the bit reads back through ISENABLER */
		mmio_write32(GICD_BASE + GICD_ICENABLER(spi / 32), bit);
		v = gicd_read(GICD_ISENABLER(spi / 32)) & bit;
		break;
	case 2: /* priority, a byte register */
		*(volatile hv_u8 *)(GICD_BASE + GICD_IPRIORITYR + spi) = 0x10;
		v = *(volatile hv_u8 *)(GICD_BASE + GICD_IPRIORITYR + spi);
		break;
	case 3: /* set-pending */
		mmio_write32(GICD_BASE + GICD_ISPENDR(spi / 32), bit);
		v = gicd_read(GICD_ISPENDR(spi / 32)) & bit;
		break;
	default: /* route to this cell's CPU */
		*(volatile hv_u64 *)(GICD_BASE + GICD_IROUTER(spi)) = OWN_CPU_MPIDR;
		v = *(volatile hv_u64 *)(GICD_BASE + GICD_IROUTER(spi));
		break;
	}
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	r->observed = v ? "took-effect" : "ignored";
	note(r, "value", v);
}

/* Route the cell's own SPI to this CPU (allowed), then to a->arg (not). */
static void gicd_route_own(const struct attack *a, struct result *r)
{
	volatile hv_u64 *route = (volatile hv_u64 *)(GICD_BASE + GICD_IROUTER(OWN_SPI));
	struct fault_record f;
	hv_u64 before = 0, after = 0;

	fault_catch_begin();
	*route = OWN_CPU_MPIDR;
	before = *route;
	*route = a->arg;
	after = *route;
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	if (before != OWN_CPU_MPIDR)
		r->observed = "own-route-refused"; /* the allowed part failed */
	else
		r->observed = after == before ? "unchanged" : "took-effect";
	note(r, "route", after);
}

/* An SGI (ICC_SGI1R_EL1) to a foreign CPU: a->arg is the register value. */
static void sgi_foreign(const struct attack *a, struct result *r)
{
	struct fault_record f;

	if (gic_init()) {
		r->observed = "no-gic";
		return;
	}
	fault_catch_begin();
	write_sysreg(icc_sgi1r_el1, a->arg);
	isb();
	if (fault_catch_end(&f))
		observe(r, &f);
	else
		r->observed = "no-fault";
}

/* ---- SMC and HVC ------------------------------------------------------------- */

static void psci_cpu_on(const struct attack *a, struct result *r)
{
	hv_u64 ret = smccc(false, PSCI_CPU_ON, a->addr, PLAT_RAM_BASE, 0);

	r->observed = (long)ret == PSCI_DENIED || (long)ret == PSCI_INVALID_PARAMS ?
			      "denied" : "ret";
	note(r, "ret", ret);
}

static void smc_unknown(const struct attack *a, struct result *r)
{
	hv_u64 ret = smccc(false, a->addr, 0, 0, 0);

	r->observed = (long)ret == PSCI_NOT_SUPPORTED ? "not-supported" : "ret";
	note(r, "ret", ret);
}

static void hvc_unknown(const struct attack *a, struct result *r)
{
	hv_u64 ret = smccc(true, a->addr, 0, 0, 0);

	r->observed = (long)ret < 0 ? "refused" : "ret";
	note(r, "ret", ret);
}

/* A root-only hypercall, with valid arguments (arg 0) or garbage (arg 1). */
static void hypercall(const struct attack *a, struct result *r)
{
	static const hv_u64 valid[][3] = {
		[HAVEN_HC_INFO - HAVEN_HC_BASE] = { HAVEN_INFO_MEM_BASE },
		[HAVEN_HC_CPU_STAT - HAVEN_HC_BASE] = { 0, HAVEN_STAT_HVC },
		[HAVEN_HC_DISABLE - HAVEN_HC_BASE] = { 0 },
		/* a config in its own RAM, only to be checked */
		[HAVEN_HC_CELL_CREATE - HAVEN_HC_BASE] = { 0x40100000, 512,
							   HAVEN_CREATE_CHECK_ONLY },
		/* the rtos cell is id 1 */
		[HAVEN_HC_CELL_LOAD - HAVEN_HC_BASE] = { 1 },
		[HAVEN_HC_CELL_START - HAVEN_HC_BASE] = { 1, HAVEN_ENTRY_DEFAULT,
							  HAVEN_BOOT_ARG_DEFAULT },
		[HAVEN_HC_CELL_SHUTDOWN - HAVEN_HC_BASE] = { 1, 0 },
		[HAVEN_HC_CELL_DESTROY - HAVEN_HC_BASE] = { 1 },
		[HAVEN_HC_CELL_INFO - HAVEN_HC_BASE] = { 0, HAVEN_CELL_INFO_STATE },
		[HAVEN_HC_CELL_REGION - HAVEN_HC_BASE] = { 0, 0 },
		[HAVEN_HC_VUART_INPUT - HAVEN_HC_BASE] = { 1, 1, 'x' },
	};
	const hv_u64 *v = valid[a->addr - HAVEN_HC_BASE];
	hv_u64 ret;

	if (a->arg)
		ret = smccc(true, a->addr, GARBAGE1, GARBAGE2, GARBAGE3);
	else
		ret = smccc(true, a->addr, v[0], v[1], v[2]);
	r->observed = (long)ret == HAVEN_E_PERM ? "perm" : "ret";
	note(r, "ret", ret);
}

/* ---- the PMU ------------------------------------------------------------------ */

#define PMU_CPU_CYCLES HV_U64(0x11) /* QEMU counts INST_RETIRED only under -icount */
#define PMU_INST_RETIRED HV_U64(0x08)
#define PMEVTYPER_P (HV_U64(1) << 31) /* not at EL1 */
#define PMEVTYPER_U (HV_U64(1) << 30) /* not at EL0 */
#define PMEVTYPER_NSH (HV_U64(1) << 27) /* at EL2 */
#define PMEVTYPER_EL2 (PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH)
#define PMCR_E HV_U64(1)

/*
 * Count what Haven does at EL2 for a hypercall it performs (HAVEN_HC_PROBE):
 * counters 0 and 1 count cycles and instructions at EL2 only, counter 2
 * cycles at EL1 and EL0, the control that the PMU counts at all. Haven
 * prohibits counting at EL2 (MDCR_EL2.HPMD) in a cell without pmu_el2:
 * "zero" with the control counting, "counted" if EL2 leaked, "no-pmu" if
 * nothing counted.
 */
static void pmu_count_el2(const struct attack *a, struct result *r)
{
	hv_u64 cycles, insns, el1;

	(void)a;
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) & ~PMCR_E);
	write_sysreg(pmevtyper0_el0, PMU_CPU_CYCLES | PMEVTYPER_EL2);
	write_sysreg(pmevtyper1_el0, PMU_INST_RETIRED | PMEVTYPER_EL2);
	write_sysreg(pmevtyper2_el0, PMU_CPU_CYCLES);
	write_sysreg(pmevcntr0_el0, 0);
	write_sysreg(pmevcntr1_el0, 0);
	write_sysreg(pmevcntr2_el0, 0);
	write_sysreg(pmcntenset_el0, HV_U64(7));
	__asm__ volatile("isb");
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E);
	__asm__ volatile("isb");
	smccc(true, HAVEN_HC_PROBE, 0, 0, 0);
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) & ~PMCR_E);
	__asm__ volatile("isb");
	cycles = read_sysreg(pmevcntr0_el0);
	insns = read_sysreg(pmevcntr1_el0);
	el1 = read_sysreg(pmevcntr2_el0);
	write_sysreg(pmcntenclr_el0, HV_U64(7));
	r->observed = !el1 ? "no-pmu" : cycles || insns ? "counted" : "zero";
	note(r, "el2_cycles", cycles);
	note(r, "el2_insns", insns);
	note(r, "el1_cycles", el1);
}

/* ---- PCI configuration space ------------------------------------------------- */

/* Write the command register of a function the cell does not own. */
static void pci_foreign_command(const struct attack *a, struct result *r)
{
	struct fault_record f;
	hv_u32 v;

	fault_catch_begin();
	pci_cfg_write32((hv_u32)a->addr, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	v = pci_cfg_read32((hv_u32)a->addr, PCI_COMMAND);
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	r->observed = v == 0xffffffffU ? "all-ones" : "value";
	note(r, "value", v);
}

/* Move the BAR of its own function: Haven keeps BARs where the root put them. */
static void pci_move_bar(const struct attack *a, struct result *r)
{
	struct fault_record f;
	hv_u32 before, after;

	fault_catch_begin();
	before = pci_cfg_read32((hv_u32)a->addr, PCI_BAR0);
	pci_cfg_write32((hv_u32)a->addr, PCI_BAR0, (hv_u32)a->arg);
	after = pci_cfg_read32((hv_u32)a->addr, PCI_BAR0);
	if (after != before)
		pci_cfg_write32((hv_u32)a->addr, PCI_BAR0, before); /* put it back */
	if (fault_catch_end(&f)) {
		observe(r, &f);
		return;
	}
	if (before == 0xffffffffU)
		r->observed = "not-visible"; /* its own function must be */
	else
		r->observed = after == before ? "unchanged" : "moved";
	note(r, "before", before);
	note(r, "after", after);
}

/* ---- DMA --------------------------------------------------------------------- */

static void dcache_clean_inval(hv_u64 addr, hv_u64 size)
{
	for (hv_u64 p = addr & ~HV_U64(63); p < addr + size; p += 64)
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

static void fill(hv_u64 addr, hv_u64 pattern, hv_u64 size)
{
	for (hv_u64 i = 0; i < size / 8; i++)
		((volatile hv_u64 *)addr)[i] = pattern ^ i;
	dcache_clean_inval(addr, size);
}

/* Is the memory pattern ^ word index (pattern 0: all zero)? */
static bool holds(hv_u64 addr, hv_u64 pattern, hv_u64 size, bool indexed)
{
	dcache_clean_inval(addr, size);
	for (hv_u64 i = 0; i < size / 8; i++)
		if (((volatile hv_u64 *)addr)[i] != (indexed ? pattern ^ i : pattern))
			return false;
	return true;
}

/*
 * Memory decode and bus mastering of its own edu through the emulated ECAM,
 * then the device's ID through its BAR. False, with the reason observed,
 * if the rig is not there.
 */
static bool own_edu_ready(struct result *r)
{
	struct fault_record f;
	hv_u32 id, bar, cmd = 0;
	bool present = false;

	fault_catch_begin();
	id = pci_cfg_read32(OWN_EDU_BDF, PCI_VENDOR_DEVICE);
	bar = pci_cfg_read32(OWN_EDU_BDF, PCI_BAR0) & PCI_BAR_MEM_MASK;
	if (id == EDU_PCI_ID && bar == OWN_EDU_BAR) {
		cmd = pci_enable_master(OWN_EDU_BDF);
		present = edu_present(OWN_EDU_BAR);
	}
	if (fault_catch_end(&f)) {
		r->observed = "rig-fault"; /* e.g. no ECAM for the cell */
		note(r, "esr", f.esr);
		note(r, "far", f.far);
		return false;
	}
	if (id != EDU_PCI_ID || bar != OWN_EDU_BAR) {
		r->observed = id != EDU_PCI_ID ? "rig-no-edu" : "rig-bar-moved";
		note(r, "id", id);
		note(r, "bar", bar);
		return false;
	}
	if ((cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) !=
	    (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) || !present) {
		r->observed = "rig-not-enabled";
		note(r, "command", cmd);
		return false;
	}
	return true;
}

/* A transfer of the edu at bar; false (observed "rig-timeout") if it hangs. */
static bool dma(struct result *r, hv_u64 bar, enum edu_dir dir, hv_u64 ram)
{
	struct fault_record f;
	bool done;

	fault_catch_begin();
	done = edu_dma(bar, dir, ram, 0, DMA_BYTES, DMA_TIMEOUT_MS);
	if (fault_catch_end(&f)) {
		r->observed = "rig-fault";
		note(r, "esr", f.esr);
		note(r, "far", f.far);
		return false;
	}
	if (!done) {
		r->observed = "rig-timeout";
		note(r, "ram", ram);
	}
	return done;
}

enum arrival { ARRIVED, NOT_ARRIVED, ZEROES, OTHER_DATA };

/* What transfers into TARGET_PAGE (marked TARGET_MARK first) brought. */
static enum arrival arrival(hv_u64 expected, bool indexed)
{
	if (holds(TARGET_PAGE, expected, DMA_BYTES, indexed))
		return ARRIVED;
	if (holds(TARGET_PAGE, TARGET_MARK, DMA_BYTES, true))
		return NOT_ARRIVED;
	if (holds(TARGET_PAGE, 0, DMA_BYTES, false))
		return ZEROES;
	return OTHER_DATA;
}

/* Allowed: its own memory to the device and back into its own memory. */
static void dma_control(const struct attack *a, struct result *r)
{
	static const char *const seen[] = {
		[ARRIVED] = "arrived", [NOT_ARRIVED] = "not-arrived",
		[ZEROES] = "zeroes", [OTHER_DATA] = "other-data",
	};

	(void)a;
	if (!own_edu_ready(r))
		return;
	fill(SOURCE_PAGE, SOURCE_PATTERN, DMA_BYTES);
	fill(TARGET_PAGE, TARGET_MARK, DMA_BYTES);
	if (!dma(r, OWN_EDU_BAR, EDU_TO_DEVICE, SOURCE_PAGE) ||
	    !dma(r, OWN_EDU_BAR, EDU_FROM_DEVICE, TARGET_PAGE))
		return;
	r->observed = seen[arrival(SOURCE_PATTERN, true)];
}

/*
 * Reading foreign memory: into the device, then into its own memory. In
 * QEMU a read the SMMU aborts yields zeroes, which the memory read here is
 * not: the canary (a->arg, its pattern), Haven's header, the root's RAM.
 */
static void dma_read(const struct attack *a, struct result *r)
{
	static const char *const seen[] = {
		[ARRIVED] = "leaked", /* the canary came through */
		[NOT_ARRIVED] = "rig-readback-failed",
		[ZEROES] = "blocked",
		[OTHER_DATA] = "read-data",
	};

	if (!own_edu_ready(r))
		return;
	fill(TARGET_PAGE, TARGET_MARK, DMA_BYTES);
	if (!dma(r, OWN_EDU_BAR, EDU_TO_DEVICE, a->addr) ||
	    !dma(r, OWN_EDU_BAR, EDU_FROM_DEVICE, TARGET_PAGE))
		return;
	r->observed = seen[arrival(a->arg, true)];
	note(r, "word0", *(volatile hv_u64 *)TARGET_PAGE);
}

/*
 * Writing foreign memory, then reading it back the same way: "blocked" if
 * neither got through. The victims' checks outside the cell tell whether
 * the write alone did.
 */
static void dma_write(const struct attack *a, struct result *r)
{
	static const char *const seen[] = {
		[ARRIVED] = "written", /* and read back */
		[NOT_ARRIVED] = "rig-readback-failed",
		[ZEROES] = "blocked",
		[OTHER_DATA] = "read-data", /* the foreign memory as it was */
	};

	if (!own_edu_ready(r))
		return;
	fill(SOURCE_PAGE, ATTACK_WORD, DMA_BYTES);
	fill(TARGET_PAGE, TARGET_MARK, DMA_BYTES);
	if (!dma(r, OWN_EDU_BAR, EDU_TO_DEVICE, SOURCE_PAGE) ||
	    !dma(r, OWN_EDU_BAR, EDU_FROM_DEVICE, a->addr) ||
	    !dma(r, OWN_EDU_BAR, EDU_TO_DEVICE, a->addr) ||
	    !dma(r, OWN_EDU_BAR, EDU_FROM_DEVICE, TARGET_PAGE))
		return;
	r->observed = seen[arrival(ATTACK_WORD, true)];
	note(r, "word0", *(volatile hv_u64 *)TARGET_PAGE);
}

/*
 * The edu whose stream no cell owns (the root enabled it): from its own
 * memory, by physical address, to its own memory. Through an aborting
 * stream nothing moves; bypassing the SMMU, the data would arrive.
 */
static void dma_unassigned(const struct attack *a, struct result *r)
{
	static const char *const seen[] = {
		[ARRIVED] = "arrived", /* the stream bypassed the SMMU */
		[NOT_ARRIVED] = "blocked",
		[ZEROES] = "written", /* the read was stopped, the write not */
		[OTHER_DATA] = "other-data",
	};
	struct fault_record f;
	bool present;

	(void)a;
	fault_catch_begin();
	present = edu_present(UNASSIGNED_EDU_BAR);
	if (fault_catch_end(&f) || !present) {
		r->observed = "rig-no-edu"; /* the root did not enable it */
		return;
	}
	fill(SOURCE_PAGE, SOURCE_PATTERN, DMA_BYTES);
	fill(TARGET_PAGE, TARGET_MARK, DMA_BYTES);
	if (!dma(r, UNASSIGNED_EDU_BAR, EDU_TO_DEVICE, OWN_DATA_PHYS + (SOURCE_PAGE - OWN_DATA)) ||
	    !dma(r, UNASSIGNED_EDU_BAR, EDU_FROM_DEVICE, OWN_DATA_PHYS + (TARGET_PAGE - OWN_DATA)))
		return;
	r->observed = seen[arrival(SOURCE_PATTERN, true)];
}

/* ---- the cell's end ---------------------------------------------------------- */

static void system_off(const struct attack *a, struct result *r)
{
	(void)a;
	note(r, "ret", smccc(false, PSCI_SYSTEM_OFF, 0, 0, 0));
	r->observed = "returned"; /* Haven should have stopped the cell */
}

/*
 * After the reset the driver starts the cell again from its last load,
 * with the same argument: the mark in its data region, which no load
 * writes, tells the new run that the reset happened.
 */
static void system_reset(const struct attack *a, struct result *r)
{
	volatile hv_u64 *mark = (volatile hv_u64 *)RESET_MARK_ADDR;

	(void)a;
	*mark = RESET_MARK;
	dcache_clean_inval(RESET_MARK_ADDR, 8);
	note(r, "ret", smccc(false, PSCI_SYSTEM_RESET, 0, 0, 0));
	*mark = 0;
	r->observed = "returned";
}

static bool reset_happened(void)
{
	volatile hv_u64 *mark = (volatile hv_u64 *)RESET_MARK_ADDR;
	bool seen;

	dcache_clean_inval(RESET_MARK_ADDR, 8);
	seen = *mark == RESET_MARK;
	*mark = 0;
	dcache_clean_inval(RESET_MARK_ADDR, 8);
	return seen;
}

/* ---- the state a cell leaves on its CPU (hostile_state.c) -------------------- */

static void plant(const struct attack *a, struct result *r)
{
	(void)a;
	state_plant(r);
}

static void check(const struct attack *a, struct result *r)
{
	(void)a;
	state_check(r);
}

/* ---- the attacks --------------------------------------------------------------- */

#define MEM(n, address, how) { n, K_FAULT, "abort", cpu_access, address, how }
#define SUBPAGE(n, address, how) { n, K_SUBPAGE, "abort", cpu_access, address, how }
#define HC(n, fn, garbage) { n, K_DENIED, "perm", hypercall, fn, garbage }
#define HC_PAIR(n, fn) HC("hc-" n, fn, 0), HC("hc-" n "-garbage", fn, 1)
#define SGI1R(aff1, list) (HV_U64(1) << 24 | (hv_u64)(aff1) << 16 | (list))

static const struct attack attacks[] = {
	/* CPU accesses outside the cell: stage 2 */
	MEM("read-root-ram", ROOT_RAM, READ64),
	MEM("write-root-canary", ROOT_CANARY, WRITE64),
	MEM("read-root-canary", ROOT_CANARY, READ64),
	MEM("read-hv-image", HV_IMAGE, READ64),
	MEM("write-hv-image", HV_IMAGE, WRITE64),
	MEM("read-hv-data", HV_DATA, READ64),
	MEM("write-hv-data", HV_DATA, WRITE64),
	MEM("read-rtos-code", RTOS_CODE, READ64),
	MEM("write-rtos-code", RTOS_CODE, WRITE64),
	MEM("read-rtos-data", RTOS_DATA, READ64),
	MEM("write-rtos-data", RTOS_DATA, WRITE64),
	MEM("read-past-own-ram", OWN_DATA_END, READ8),
	MEM("write-past-own-ram", OWN_DATA_END, WRITE8),
	MEM("read-rtc", PL031_RTC, READ32),
	MEM("write-haven-uart", PL011_UART, WRITE32),
	MEM("read-smmu", SMMU_BASE, READ32),
	MEM("read-its", GITS_BASE, READ32),
	MEM("write-its", GITS_BASE + GITS_IIDR, WRITE32),
	MEM("write-root-gicr-waker", ROOT_GICR + GICR_WAKER, WRITE32),
	MEM("write-root-gicr-sgi", ROOT_GICR + GICR_SGI_ICENABLER0, WRITE32),
	{ "exec-no-exec-ram", K_FAULT, "abort", cpu_execute, CODE_PAGE, 0 },
	/* sub-page windows: what Haven performs, then what it refuses */
	{ "subpage-read-id", K_ALLOWED, "device-id", subpage_read_id, 0, 0 },
	{ "subpage-write-match", K_ALLOWED, "written", subpage_write_match, 0, 0 },
	SUBPAGE("subpage-read-outside", RTC_LR, READ32),
	SUBPAGE("subpage-write-outside", RTC_LR, WRITE32),
	SUBPAGE("subpage-read-other-cells", PL031_RTC, READ32),
	SUBPAGE("subpage-read-width16", RTC_ID, READ16),
	SUBPAGE("subpage-read-width64", RTC_ID, READ64),
	SUBPAGE("subpage-write-read-only", RTC_ID, WRITE32),
	{ "subpage-read-misaligned", K_SUBPAGE, "abort", subpage_misaligned, RTC_ID + 2, READ32 },
	SUBPAGE("subpage-ldxr", RTC_MR, LDXR),
	SUBPAGE("subpage-ldp", RTC_ID, LDP),
	SUBPAGE("subpage-ldadd", RTC_MR, LDADD),
	/* the distributor: interrupts of others, routes to others' CPUs */
	{ "gicd-enable-foreign-spi", K_DENIED, "ignored", gicd_foreign, 0, 0 },
	{ "gicd-disable-foreign-spi", K_DENIED, "ignored", gicd_foreign, 0, 1 },
	{ "gicd-priority-foreign-spi", K_DENIED, "ignored", gicd_foreign, 0, 2 },
	{ "gicd-pend-foreign-spi", K_DENIED, "ignored", gicd_foreign, 0, 3 },
	{ "gicd-route-foreign-spi", K_DENIED, "ignored", gicd_foreign, 0, 4 },
	{ "gicd-route-own-spi-cpu0", K_DENIED, "unchanged", gicd_route_own, 0, 0x0 },
	{ "gicd-route-own-spi-any", K_DENIED, "unchanged", gicd_route_own, 0,
	  GICD_IROUTER_IRM },
	{ "sgi-to-cpu0", K_DENIED, "no-fault", sgi_foreign, 0, SGI1R(0, 1U << 0) },
	{ "sgi-to-cpu3", K_DENIED, "no-fault", sgi_foreign, 0, SGI1R(0, 1U << 3) },
	/* PSCI, SMC, HVC */
	{ "psci-cpu-on-cpu0", K_DENIED, "denied", psci_cpu_on, 0x0, 0 },
	{ "psci-cpu-on-cpu3", K_DENIED, "denied", psci_cpu_on, 0x3, 0 },
	{ "smc-unknown", K_DENIED, "not-supported", smc_unknown, SMC_UNKNOWN, 0 },
	{ "hvc-unknown-haven-range", K_DENIED, "refused", hvc_unknown, 0xc60000ff, 0 },
	{ "hvc-unknown", K_DENIED, "refused", hvc_unknown, 0x12345678, 0 },
	/* Haven's work seen through the PMU */
	{ "pmu-count-el2", K_ALLOWED, "zero", pmu_count_el2, 0, 0 },
	/* Haven's root-only hypercalls */
	HC_PAIR("info", HAVEN_HC_INFO),
	HC_PAIR("cpu-stat", HAVEN_HC_CPU_STAT),
	HC_PAIR("disable", HAVEN_HC_DISABLE),
	HC_PAIR("cell-create", HAVEN_HC_CELL_CREATE),
	HC_PAIR("cell-load", HAVEN_HC_CELL_LOAD),
	HC_PAIR("cell-start", HAVEN_HC_CELL_START),
	HC_PAIR("cell-shutdown", HAVEN_HC_CELL_SHUTDOWN),
	HC_PAIR("cell-destroy", HAVEN_HC_CELL_DESTROY),
	HC_PAIR("cell-info", HAVEN_HC_CELL_INFO),
	HC_PAIR("cell-region", HAVEN_HC_CELL_REGION),
	HC_PAIR("vuart-input", HAVEN_HC_VUART_INPUT),
	/* PCI configuration space */
	{ "pci-command-foreign", K_DENIED, "all-ones", pci_foreign_command, RTOS_EDU_BDF, 0 },
	{ "pci-command-host-bridge", K_DENIED, "all-ones", pci_foreign_command,
	  HOST_BRIDGE_BDF, 0 },
	{ "pci-move-own-bar", K_DENIED, "unchanged", pci_move_bar, OWN_EDU_BDF, 0x20000000 },
	/* DMA: the rig first, then through its own stream, then an unowned one */
	{ "dma-control-own-ram", K_CONTROL, "arrived", dma_control, 0, 0 },
	{ "dma-write-root-canary", K_DMA, "blocked", dma_write, ROOT_CANARY, 0 },
	{ "dma-read-root-canary", K_DMA, "blocked", dma_read, ROOT_CANARY, ROOT_CANARY_PATTERN },
	{ "dma-read-root-ram", K_DMA, "blocked", dma_read, ROOT_RAM, 0 },
	{ "dma-write-hv-image", K_DMA, "blocked", dma_write, HV_IMAGE, 0 },
	{ "dma-write-rtos-code", K_DMA, "blocked", dma_write, RTOS_CODE, 0 },
	{ "dma-unassigned-stream", K_DMA_UNASSIGNED, "blocked", dma_unassigned, 0, 0 },
	/*
	 * The CPU's state: planted, then checked by the next start on the CPU
	 * (the plant ends the cell, the check must come first): only when
	 * selected
	 */
	{ "state-plant", K_PLANT, "planted", plant, 0, 0 },
	{ "state-check", K_STATE, "reset-state", check, 0, 0 },
	/* these end the cell: only when selected */
	{ "psci-system-off", K_OFF, "stopped", system_off, 0, 0 },
	{ "psci-system-reset", K_RESET, "restarted", system_reset, 0, 0 },
};

#define NUM_ATTACKS ((hv_u32)ARRAY_SIZE(attacks))

/* attacks that end the cell or must be its first: only when selected */
static bool alone(const struct attack *a)
{
	return a->kind == K_OFF || a->kind == K_RESET || a->kind == K_PLANT ||
	       a->kind == K_STATE;
}

static void wait_ms(hv_u32 ms)
{
	hv_u64 freq = comm_counter_freq() ? comm_counter_freq() : timer_freq();
	hv_u64 end = timer_now() + freq * ms / 1000;

	while (timer_now() < end)
		;
}

static void run(hv_u32 i)
{
	const struct attack *a = &attacks[i];
	struct result r = { .observed = "none" };

	printf("HOSTILE: begin %u %s\n", i, a->name);
	a->run(a, &r);
	if (a->kind == K_DMA || a->kind == K_DMA_UNASSIGNED || a->kind == K_CONTROL)
		wait_ms(DMA_REPORT_WAIT_MS);
	printf("HOSTILE: end %u observed=%s", i, r.observed);
	for (unsigned int k = 0; k < r.n; k++)
		printf(" %s=0x%lx", r.key[k], r.value[k]);
	printf("\n");
}

static void list(void)
{
	for (hv_u32 i = 0; i < NUM_ATTACKS; i++)
		printf("HOSTILE: attack %u %s %s %s\n", i, attacks[i].name,
		       kind_names[attacks[i].kind], attacks[i].expected);
}

int inmate_main(void)
{
	const volatile hv_u64 *args = (const volatile hv_u64 *)HOSTILE_ARGS_ADDR;
	hv_u64 first, flags;

	/* written by the loader, not by this CPU: no stale line of it here */
	dcache_clean_inval(HOSTILE_ARGS_ADDR, 16);
	first = args[0];
	flags = args[1];
	printf("HOSTILE: started, first %lu, flags 0x%lx, %u attacks\n", first, flags,
	       NUM_ATTACKS);
	if (flags & HOSTILE_LIST) {
		list();
	} else if (first >= NUM_ATTACKS) {
		printf("HOSTILE: no attack %lu (they are 0-%u)\n", first, NUM_ATTACKS - 1);
	} else if (attacks[first].kind == K_RESET && reset_happened()) {
		printf("HOSTILE: end %lu observed=restarted\n", first);
	} else {
		for (hv_u32 i = (hv_u32)first; i < NUM_ATTACKS; i++) {
			if (alone(&attacks[i]) && i != first)
				continue;
			run(i);
			if (attacks[i].kind == K_PLANT) {
				/* stop with the state as planted: no inmate_exit() */
				console_flush();
				psci_system_off();
			}
			if (flags & HOSTILE_ONLY)
				break;
		}
	}
	printf("HOSTILE: done\n");
	return 0;
}
