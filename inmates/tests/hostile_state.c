// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The state a cell leaves on its CPU (hostile.h): "state-plant" writes a
 * recognisable value into every register below and stops the cell;
 * "state-check", run as the first thing of the next start on that CPU,
 * compares each register with what Haven's reset leaves there
 * (hypervisor/vcpu.c, vcpu_pmu_debug.c; the virtual CPU interface: irq.c).
 * Both print one line per register that is off:
 *
 *   HOSTILE: not held NAME=0xVALUE (planted 0xPLANT, mask 0xMASK)
 *   HOSTILE: leak NAME=0xVALUE (reset 0xRESET, mask 0xMASK)
 *
 * Only the masked bits count: a register's read-only fields (PMCR_EL0.N,
 * CNTx_CTL_EL0.ISTATUS, ...) are not the previous owner's. The check runs
 * before the cell has touched any of them: the runtime sets up only the
 * MMU, the vectors and the stack (SCTLR, TTBR0, TCR, MAIR, VBAR), which it
 * rewrites and this cannot check. Breakpoints and watchpoints are planted
 * enabled on pages nothing touches, and debug exceptions stay masked
 * (PSTATE.D) at EL1; the timers are planted enabled with their interrupt
 * masked and a compare value far in the future; overflow interrupts are
 * enabled only for counters that cannot overflow meanwhile.
 */
#include "hostile.h"

/* pages of the data region (tests/configs/hostile.yaml) no attack touches */
#define BKPT_PAGE HV_U64(0x40404000)
#define WATCH_PAGE HV_U64(0x40405000)

#define CPACR_FPEN (HV_U64(3) << 20)
#define DISR_EL1 S3_0_C12_C1_1 /* FEAT_RAS: not known to every assembler */

#define DFR0_PMUVER(d) (((d) >> 8) & 0xf)
#define DFR0_BRPS(d) ((((d) >> 12) & 0xf) + 1)
#define DFR0_WRPS(d) ((((d) >> 20) & 0xf) + 1)
#define DFR0_DOUBLELOCK(d) (((d) >> 36) & 0xf) /* 0xf: not implemented */
#define PFR0_RAS(p) (((p) >> 28) & 0xf)
#define PMCR_E HV_U64(1 << 0)
#define PMCR_D HV_U64(1 << 3)
#define PMCR_X HV_U64(1 << 4)
#define PMCR_DP HV_U64(1 << 5)
#define PMCR_LC HV_U64(1 << 6)
#define PMCR_N(p) (((p) >> 11) & 0x1f)
#define OSLSR_OSLK HV_U64(1 << 1)
#define ALL (~HV_U64(0))

/* ---- register access ------------------------------------------------------ */

#define PAIR(fn, wreg, rreg)                                                   \
	static hv_u64 rd_##fn(unsigned int n)                                  \
	{                                                                      \
		(void)n;                                                       \
		return read_sysreg(rreg);                                      \
	}                                                                      \
	static void wr_##fn(unsigned int n, hv_u64 v)                          \
	{                                                                      \
		(void)n;                                                       \
		write_sysreg(wreg, v);                                         \
	}
#define SINGLE(reg) PAIR(reg, reg, reg)

#define RD_CASE(reg, i, sfx)                                                   \
	case i:                                                                \
		return read_sysreg(reg##i##sfx);
#define WR_CASE(reg, i, sfx)                                                   \
	case i:                                                                \
		write_sysreg(reg##i##sfx, v);                                  \
		break;
#define UPTO16(m, reg, sfx)                                                    \
	m(reg, 0, sfx) m(reg, 1, sfx) m(reg, 2, sfx) m(reg, 3, sfx)            \
	m(reg, 4, sfx) m(reg, 5, sfx) m(reg, 6, sfx) m(reg, 7, sfx)            \
	m(reg, 8, sfx) m(reg, 9, sfx) m(reg, 10, sfx) m(reg, 11, sfx)          \
	m(reg, 12, sfx) m(reg, 13, sfx) m(reg, 14, sfx) m(reg, 15, sfx)
#define UPTO31(m, reg, sfx)                                                    \
	UPTO16(m, reg, sfx)                                                    \
	m(reg, 16, sfx) m(reg, 17, sfx) m(reg, 18, sfx) m(reg, 19, sfx)        \
	m(reg, 20, sfx) m(reg, 21, sfx) m(reg, 22, sfx) m(reg, 23, sfx)        \
	m(reg, 24, sfx) m(reg, 25, sfx) m(reg, 26, sfx) m(reg, 27, sfx)        \
	m(reg, 28, sfx) m(reg, 29, sfx) m(reg, 30, sfx)
/* reg<n><sfx> for n < count (the caller's count() keeps n in range) */
#define INDEXED(reg, sfx, upto)                                                \
	static hv_u64 rd_##reg(unsigned int n)                                 \
	{                                                                      \
		switch (n) {                                                   \
		upto(RD_CASE, reg, sfx)                                        \
		default:                                                       \
			return 0;                                              \
		}                                                              \
	}                                                                      \
	static void wr_##reg(unsigned int n, hv_u64 v)                         \
	{                                                                      \
		switch (n) {                                                   \
		upto(WR_CASE, reg, sfx)                                        \
		default:                                                       \
			break;                                                 \
		}                                                              \
	}

SINGLE(cpacr_el1)
SINGLE(icc_pmr_el1)
SINGLE(icc_igrpen1_el1)
SINGLE(cntkctl_el1)
SINGLE(cntv_cval_el0)
SINGLE(cntv_ctl_el0)
SINGLE(cntp_cval_el0)
SINGLE(cntp_ctl_el0)
SINGLE(tpidr_el0)
SINGLE(tpidrro_el0)
SINGLE(tpidr_el1)
SINGLE(sp_el0)
SINGLE(contextidr_el1)
SINGLE(csselr_el1)
SINGLE(par_el1)
SINGLE(far_el1)
SINGLE(esr_el1)
SINGLE(elr_el1)
SINGLE(spsr_el1)
SINGLE(ttbr1_el1)
PAIR(disr_el1, DISR_EL1, DISR_EL1)
SINGLE(mdscr_el1)
INDEXED(dbgbvr, _el1, UPTO16)
INDEXED(dbgbcr, _el1, UPTO16)
INDEXED(dbgwvr, _el1, UPTO16)
INDEXED(dbgwcr, _el1, UPTO16)
PAIR(dbgclaim, dbgclaimset_el1, dbgclaimclr_el1)
PAIR(oslock, oslar_el1, oslsr_el1)
SINGLE(osdlr_el1)
SINGLE(mdccint_el1)
SINGLE(pmselr_el0)
INDEXED(pmevtyper, _el0, UPTO31)
INDEXED(pmevcntr, _el0, UPTO31)
SINGLE(pmccntr_el0)
SINGLE(pmccfiltr_el0)
SINGLE(pmuserenr_el0)
SINGLE(pmintenset_el1)
SINGLE(pmovsset_el0)
SINGLE(pmcntenset_el0)
SINGLE(pmcr_el0)

/* ---- what is implemented: how many of each -------------------------------- */

static hv_u64 dfr0(void)
{
	return read_sysreg(id_aa64dfr0_el1);
}

static unsigned int one(void)
{
	return 1;
}

/* PMUv3 (0: none, 0xf: an IMPLEMENTATION DEFINED one, left alone) */
static unsigned int pmu(void)
{
	hv_u64 v = DFR0_PMUVER(dfr0());

	return v && v != 0xf;
}

/* event counters: PMCR_EL0.N, as EL2 lets EL1 see them (MDCR_EL2.HPMN) */
static unsigned int pmu_counters(void)
{
	return pmu() ? (unsigned int)PMCR_N(read_sysreg(pmcr_el0)) : 0;
}

/* PMSELR and the overflow flag use counter 1 */
static unsigned int pmu_two_counters(void)
{
	return pmu_counters() >= 2;
}

static unsigned int breakpoints(void)
{
	return (unsigned int)DFR0_BRPS(dfr0());
}

static unsigned int watchpoints(void)
{
	return (unsigned int)DFR0_WRPS(dfr0());
}

static unsigned int double_lock(void)
{
	return DFR0_DOUBLELOCK(dfr0()) != 0xf;
}

static unsigned int ras(void)
{
	return PFR0_RAS(read_sysreg(id_aa64pfr0_el1)) != 0;
}

/* ---- the registers -------------------------------------------------------- */

struct state_reg {
	const char *name;
	unsigned int (*count)(void); /* instances n = 0..count()-1 */
	hv_u64 (*read)(unsigned int n);
	void (*write)(unsigned int n, hv_u64 v);
	hv_u64 plant, step; /* instance n: plant + n * step */
	hv_u64 mask; /* the bits compared */
	hv_u64 reset; /* what Haven's reset leaves, in the masked bits */
	unsigned int flags;
};

#define INDEXED_NAME (1U << 0) /* named with n: dbgbvr0, pmevcntr5, ... */
/*
 * May ignore writes: MDCCINT_EL1 is RAZ/WI in QEMU (no debug
 * communications channel). A plant that reads back the reset value is
 * reported, but is no failure of the plant.
 */
#define MAY_IGNORE (1U << 1)

#define REG_FLAGS(name, count, fn, plant, step, mask, reset, flags)             \
	{ name, count, rd_##fn, wr_##fn, plant, step, mask, reset, flags }
#define REG(name, count, fn, plant, step, mask, reset)                         \
	REG_FLAGS(name, count, fn, plant, step, mask, reset, 0)
#define REGN(name, count, fn, plant, step, mask, reset)                        \
	REG_FLAGS(name, count, fn, plant, step, mask, reset, INDEXED_NAME)

/*
 * Planted in this order (the PMU stopped first and PMCR_EL0.E last, so the
 * counters read back before they count); checked in this order (CPACR_EL1
 * before FP/SIMD is enabled to read the FP/SIMD registers).
 */
static const struct state_reg regs[] = {
	REG("cpacr_el1", one, cpacr_el1, CPACR_FPEN, 0, ALL, 0),
	/* the virtual CPU interface: priority mask and group 1 enable */
	REG("icc_pmr_el1", one, icc_pmr_el1, 0xa0, 0, 0xff, 0),
	REG("icc_igrpen1_el1", one, icc_igrpen1_el1, 1, 0, 1, 0),
	/* timers: EL0 access, event stream; ENABLE and IMASK, compare values */
	REG("cntkctl_el1", one, cntkctl_el1, 0x3ff, 0, 0x3ff, 0),
	REG("cntv_cval_el0", one, cntv_cval_el0, HV_U64(0x0fedcba987654321), 0, ALL, 0),
	REG("cntv_ctl_el0", one, cntv_ctl_el0, 3, 0, 3, 0),
	REG("cntp_cval_el0", one, cntp_cval_el0, HV_U64(0x0edcba9876543210), 0, ALL, 0),
	REG("cntp_ctl_el0", one, cntp_ctl_el0, 3, 0, 3, 0),
	/* thread IDs, stack pointer, context ID, cache selection, syndromes */
	REG("tpidr_el0", one, tpidr_el0, HV_U64(0x305f524449505448), 0, ALL, 0),
	REG("tpidrro_el0", one, tpidrro_el0, HV_U64(0x4f525f5244495048), 0, ALL, 0),
	REG("tpidr_el1", one, tpidr_el1, HV_U64(0x315f524449505448), 0, ALL, 0),
	REG("sp_el0", one, sp_el0, HV_U64(0x4012345670), 0, ALL, 0),
	REG("contextidr_el1", one, contextidr_el1, 0xc0ffee, 0, ALL, 0),
	REG("csselr_el1", one, csselr_el1, 1, 0, 0xf, 0), /* L1 I-cache */
	REG("par_el1", one, par_el1, HV_U64(0x7c123000), 0, ALL, 0),
	REG("far_el1", one, far_el1, HV_U64(0x4f4f4f4f4000), 0, ALL, 0),
	REG("esr_el1", one, esr_el1, 0x96000045, 0, ALL, 0),
	REG("elr_el1", one, elr_el1, HV_U64(0x40000bad0), 0, ALL, 0),
	REG("spsr_el1", one, spsr_el1, 0x600003c5, 0, ALL, 0),
	REG("ttbr1_el1", one, ttbr1_el1, HV_U64(0x7c1ff000), 0, ALL, 0), /* TCR_EL1.EPD1 */
	REG("disr_el1", ras, disr_el1, 0x80000811, 0, ALL, 0),
	/* self-hosted debug */
	REG("mdscr_el1", one, mdscr_el1, 0xb000, 0, ALL, 0), /* MDE, KDE, TDCC */
	REGN("dbgbvr", breakpoints, dbgbvr, BKPT_PAGE, 16, ALL, 0),
	REGN("dbgbcr", breakpoints, dbgbcr, 0x1e7, 0, ALL, 0), /* EL1+EL0, all bytes, on */
	REGN("dbgwvr", watchpoints, dbgwvr, WATCH_PAGE, 8, ALL, 0),
	REGN("dbgwcr", watchpoints, dbgwcr, 0x1fff, 0, ALL, 0), /* ld/st, 8 bytes, on */
	REG("dbgclaim", one, dbgclaim, 0xff, 0, 0xff, 0),
	REG("oslsr_el1", one, oslock, 0, 0, OSLSR_OSLK, OSLSR_OSLK), /* reset: locked */
	REG("osdlr_el1", double_lock, osdlr_el1, 1, 0, 1, 0),
	REG_FLAGS("mdccint_el1", one, mdccint_el1, HV_U64(3) << 29, 0, HV_U64(3) << 29, 0,
		  MAY_IGNORE),
	/* PMU: configuration, counts, EL0 access, interrupts, then enable */
	REG("pmselr_el0", pmu_two_counters, pmselr_el0, 1, 0, 0x1f, 0),
	REGN("pmevtyper", pmu_counters, pmevtyper, 0x40000008, 1, ALL, 0), /* not EL0 */
	REGN("pmevcntr", pmu_counters, pmevcntr, 0x10000000, 0x100, 0xffffffff, 0),
	REG("pmccntr_el0", pmu, pmccntr_el0, HV_U64(0x123456780000), 0, ALL, 0),
	REG("pmccfiltr_el0", pmu, pmccfiltr_el0, 0x40000000, 0, ALL, 0),
	REG("pmuserenr_el0", pmu, pmuserenr_el0, 0xf, 0, 0xf, 0),
	REG("pmintenset_el1", pmu, pmintenset_el1, 0x80000001, 0, ALL, 0),
	REG("pmovsset_el0", pmu_two_counters, pmovsset_el0, 2, 0, ALL, 0),
	REG("pmcntenset_el0", pmu, pmcntenset_el0, 0x80000001, 0, ALL, 0),
	REG("pmcr_el0", pmu, pmcr_el0, PMCR_E | PMCR_D | PMCR_X | PMCR_DP | PMCR_LC, 0,
	    PMCR_E | PMCR_D | PMCR_X | PMCR_DP | PMCR_LC, 0),
};

/* FP/SIMD: q<n> = Q_PATTERN_LO | n, Q_PATTERN_HI | n */
#define Q_PATTERN_LO HV_U64(0x514c4f0000000000)
#define Q_PATTERN_HI HV_U64(0x5148490000000000)
#define FPCR_PLANT HV_U64(0x03c00000) /* DN, FZ, RMode toward zero */
#define FPSR_PLANT HV_U64(0x0800001f) /* QC, the cumulative flags */

static hv_u64 qregs[64];

/* ---- reporting ------------------------------------------------------------ */

/* the registers that are off: counted, the first few kept for the end line */
struct offs {
	unsigned int count;
	char name[MAX_VALUES - 1][24];
	hv_u64 value[MAX_VALUES - 1];
};

static struct offs offs;

static void reg_name(char *buf, unsigned int size, const char *name, int n)
{
	unsigned int i = 0;

	for (; name[i] && i + 3 < size; i++)
		buf[i] = name[i];
	if (n >= 10)
		buf[i++] = (char)('0' + n / 10);
	if (n >= 0)
		buf[i++] = (char)('0' + n % 10);
	buf[i] = 0;
}

/* one register that is off (n < 0: not an indexed one): a line, and kept */
static void off(const char *what, const char *want_what, const char *name, int n,
		hv_u64 value, hv_u64 want, hv_u64 mask)
{
	char buf[sizeof(offs.name[0])];

	reg_name(buf, sizeof(buf), name, n);
	printf("HOSTILE: %s %s=0x%lx (%s 0x%lx, mask 0x%lx)\n", what, buf, value,
	       want_what, want, mask);
	if (offs.count < ARRAY_SIZE(offs.name)) {
		reg_name(offs.name[offs.count], sizeof(offs.name[0]), name, n);
		offs.value[offs.count] = value;
	}
	offs.count++;
}

/* the count of registers that are off as KEY, then the first ones */
static void note_offs(struct result *r, const char *key)
{
	note(r, key, offs.count);
	for (unsigned int i = 0; i < offs.count && i < ARRAY_SIZE(offs.name); i++)
		note(r, offs.name[i], offs.value[i]);
}

/* ---- the two attacks ------------------------------------------------------- */

void state_plant(struct result *r)
{
	unsigned int planted = 0;

	offs.count = 0;
	/* FP/SIMD first: the CPACR_EL1 entry below keeps it enabled */
	write_sysreg(cpacr_el1, CPACR_FPEN);
	isb();
	for (unsigned int i = 0; i < 32; i++) {
		qregs[2 * i] = Q_PATTERN_LO | i;
		qregs[2 * i + 1] = Q_PATTERN_HI | i;
	}
	fpsimd_load(qregs);
	fpcr_write(FPCR_PLANT);
	fpsr_write(FPSR_PLANT);
	for (unsigned int i = 0; i < 64; i++)
		qregs[i] = 0;
	fpsimd_store(qregs);
	for (unsigned int i = 0; i < 32; i++, planted++)
		if (qregs[2 * i] != (Q_PATTERN_LO | i) || qregs[2 * i + 1] != (Q_PATTERN_HI | i))
			off("not held", "planted", "q", (int)i, qregs[2 * i],
			    Q_PATTERN_LO | i, ALL);
	if (fpcr_read() != FPCR_PLANT)
		off("not held", "planted", "fpcr", -1, fpcr_read(), FPCR_PLANT, ALL);
	if (fpsr_read() != FPSR_PLANT)
		off("not held", "planted", "fpsr", -1, fpsr_read(), FPSR_PLANT, ALL);
	planted += 2;

	/* the PMU stopped first, whatever it was: counts must read back */
	if (pmu()) {
		write_sysreg(pmcr_el0, 0);
		write_sysreg(pmcntenclr_el0, ~HV_U64(0));
		isb();
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
		const struct state_reg *s = &regs[i];
		unsigned int count = s->count();

		for (unsigned int n = 0; n < count; n++, planted++) {
			hv_u64 want = s->plant + n * s->step, got;

			s->write(n, want);
			isb();
			got = s->read(n);
			if (!((got ^ want) & s->mask))
				continue;
			if (s->flags & MAY_IGNORE && !((got ^ s->reset) & s->mask)) {
				printf("HOSTILE: ignores writes %s=0x%lx (planted 0x%lx): checked, but proves nothing here\n",
				       s->name, got, want);
				continue;
			}
			off("not held", "planted", s->name, s->flags & INDEXED_NAME ? (int)n : -1,
			    got, want, s->mask);
		}
	}
	printf("HOSTILE: planted %u values (%u PMU event counters, %u breakpoints, %u watchpoints)\n",
	       planted, pmu_counters(), breakpoints(), watchpoints());
	r->observed = offs.count ? "not-held" : "planted";
	note(r, "values", planted);
	if (offs.count)
		note_offs(r, "not_held");
}

void state_check(struct result *r)
{
	unsigned int checked = 0;

	offs.count = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
		const struct state_reg *s = &regs[i];
		unsigned int count = s->count();

		for (unsigned int n = 0; n < count; n++, checked++) {
			hv_u64 got = s->read(n);

			if ((got ^ s->reset) & s->mask)
				off("leak", "reset", s->name,
				    s->flags & INDEXED_NAME ? (int)n : -1, got, s->reset, s->mask);
		}
	}

	/* CPACR_EL1 was checked: now FP/SIMD may be enabled to be read */
	write_sysreg(cpacr_el1, CPACR_FPEN);
	isb();
	fpsimd_store(qregs);
	for (unsigned int i = 0; i < 32; i++, checked++)
		if (qregs[2 * i] || qregs[2 * i + 1]) /* the low half, or the high one */
			off("leak", "reset", "q", (int)i,
			    qregs[2 * i] ? qregs[2 * i] : qregs[2 * i + 1], 0, ALL);
	if (fpcr_read())
		off("leak", "reset", "fpcr", -1, fpcr_read(), 0, ALL);
	if (fpsr_read())
		off("leak", "reset", "fpsr", -1, fpsr_read(), 0, ALL);
	checked += 2;

	printf("HOSTILE: checked %u values (%u PMU event counters, %u breakpoints, %u watchpoints)\n",
	       checked, pmu_counters(), breakpoints(), watchpoints());
	r->observed = offs.count ? "leaked" : "reset-state";
	note_offs(r, "leaks");
}
