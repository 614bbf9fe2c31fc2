// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMMUv3 for DMA isolation (Arm IHI 0070). Haven takes the SMMU at enable
 * and the root never sees it working. A linear stream table covers stream
 * IDs 0..HAVEN_STREAM_LIMIT-1: the streams a cell declares translate
 * through that cell's own stage-2 tables (STE.Config = stage 2 only, the
 * cell's VMID, the CPU's VTCR), and belong to the root while the cell does
 * not exist; every other entry stays invalid, so its DMA aborts and is
 * reported (C_BAD_STE), as does a stream beyond the table (C_BAD_STREAMID).
 * Tables and queues are static: nothing is allocated.
 */
#include <cell.h>
#include <config_check.h>
#include <gic.h>
#include <lib.h>
#include <mmio.h>
#include <setup.h>
#include <smmu.h>
#include <spinlock.h>
#include <sysregs.h>
#include <unit.h>

#define IDR0_S2P BIT(0)
#define IDR0_TTF_AA64 BIT(3) /* TTF = 0b1x */
#define IDR0_COHACC BIT(4)
#define IDR0_VMID16 BIT(18)
#define IDR1_SIDSIZE(v) ((v) & 0x3f)
#define IDR5_GRAN4K BIT(4)
#define IDR5_OAS(v) ((v) & 7)

#define CR0_SMMUEN BIT(0)
#define CR0_EVENTQEN BIT(2)
#define CR0_CMDQEN BIT(3)
/* queues and tables: inner/outer write-back, inner shareable */
#define CR1_VALUE (1U << 0 | 1U << 2 | 3U << 4 | 1U << 6 | 1U << 8 | 3U << 10)
#define CR2_RECINVSID BIT(1)
#define CR2_PTM BIT(2)
#define GBPA_ABORT BIT(20)
#define GBPA_UPDATE BIT(31)
#define IRQ_CTRL_GERROR BIT(0)
#define IRQ_CTRL_EVENTQ BIT(2)
#define Q_BASE_RA BIT(62)

/* STE (5.2): dword 0 valid + config, dword 2 VMID and VTCR fields, dword 3 S2TTB */
#define STE0_V BIT(0)
#define STE0_CFG_S2 (6UL << 1)
#define STE2_VTCR_SHIFT 32
#define STE2_VTCR_MASK 0x7ffffUL
#define STE2_S2AA64 BIT(51)
#define STE2_S2AFFD BIT(53)
#define STE2_S2R BIT(58)
#define STE3_S2TTB_MASK GENMASK(51, 4)

/* commands (4.1): opcode in byte 0 */
#define CMD_CFGI_STE 0x03
#define CMD_CFGI_ALL 0x04 /* CFGI_STE_RANGE, with Range 31 in dword 1 */
#define CMD_CFGI_ALL_RANGE 31
#define CMD_TLBI_S12_VMALL 0x28
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_SYNC 0x46
#define CMDQ_CONS_ERR(v) (((v) >> 24) & 0x7f)

#define POLL_LIMIT 1000000

static u64 strtab[HAVEN_STREAM_LIMIT * 8] __aligned(HAVEN_STREAM_LIMIT * 64);
static u64 cmdq[2 << SMMU_QUEUE_LOG2] __aligned(16 << SMMU_QUEUE_LOG2);
u64 smmu_eventq[4 << SMMU_QUEUE_LOG2] __aligned(32 << SMMU_QUEUE_LOG2);
static spinlock_t cmdq_lock;
static u32 linux_gbpa;
static bool smmu_on;

u32 smmu_read(u32 off)
{
	return *(volatile u32 *)(hv.sys->platform.smmu_base + off);
}

void smmu_write(u32 off, u32 value)
{
	*(volatile u32 *)(hv.sys->platform.smmu_base + off) = value;
}

static void smmu_write64(u32 off, u64 value)
{
	*(volatile u64 *)(hv.sys->platform.smmu_base + off) = value;
}

static int wait_reg(u32 off, u32 mask, u32 value)
{
	u32 n;

	for (n = 0; n < POLL_LIMIT; n++)
		if ((smmu_read(off) & mask) == value)
			return 0;
	return trace_error(HAVEN_E_HW);
}

static int set_cr0(u32 value)
{
	smmu_write(SMMU_CR0, value);
	return wait_reg(SMMU_CR0ACK, ~0U, value);
}

/* Queue an entry and wait until the SMMU has consumed the whole queue. */
static int issue(u64 cmd0, u64 cmd1)
{
	u32 slots = 1U << SMMU_QUEUE_LOG2, prod = smmu_read(SMMU_CMDQ_PROD), n;
	u32 idx = prod & (slots - 1), next;

	cmdq[idx * 2] = cmd0;
	cmdq[idx * 2 + 1] = cmd1;
	next = (prod + 1) & (2 * slots - 1); /* index and wrap bit */
	dsb(ishst);
	smmu_write(SMMU_CMDQ_PROD, next);
	for (n = 0; n < POLL_LIMIT; n++) {
		u32 cons = smmu_read(SMMU_CMDQ_CONS);

		if (CMDQ_CONS_ERR(cons)) {
			printk("smmu: command 0x%lx refused (error 0x%x)\n", cmd0,
			       CMDQ_CONS_ERR(cons));
			return trace_error(HAVEN_E_HW);
		}
		if ((cons & (2 * slots - 1)) == next)
			return 0;
	}
	return trace_error(HAVEN_E_HW);
}

static void issue_synced(u64 cmd0, u64 cmd1)
{
	spin_lock(&cmdq_lock);
	if (!issue(cmd0, cmd1))
		issue(CMD_SYNC, 0);
	spin_unlock(&cmdq_lock);
}

void smmu_flush_vmid(const struct cell *c)
{
	if (smmu_on)
		issue_synced(CMD_TLBI_S12_VMALL | (u64)c->vmid << 32, 0);
}

/* Point one stream at a cell's stage 2 (owner 0: invalid, its DMA aborts). */
static void set_ste(u32 sid, const struct cell *owner)
{
	u64 *ste = &strtab[sid * 8];

	WRITE_ONCE(ste[0], 0); /* invalid while the rest changes */
	dsb(ishst);
	if (smmu_on)
		issue_synced(CMD_CFGI_STE | (u64)sid << 32, 1);
	if (!owner)
		return;
	ste[2] = owner->vmid | (stage2_vtcr() & STE2_VTCR_MASK) << STE2_VTCR_SHIFT |
		 STE2_S2AA64 | STE2_S2AFFD | STE2_S2R;
	ste[3] = (u64)owner->s2.table & STE3_S2TTB_MASK;
	dsb(ishst);
	WRITE_ONCE(ste[0], STE0_V | STE0_CFG_S2);
	dsb(ishst);
	if (smmu_on)
		issue_synced(CMD_CFGI_STE | (u64)sid << 32, 1);
}

static void assign_streams(const struct haven_cell *cfg, const struct cell *owner)
{
	u32 i;

	for (i = 0; i < cfg->num_stream_ids; i++)
		set_ste(cfg->stream_ids[i], owner);
}

void smmu_streams_to_cell(struct cell *c)
{
	if (!smmu_present())
		return;
	assign_streams(c->cfg, c);
	smmu_flush_vmid(&root_cell);
}

void smmu_streams_to_root(struct cell *c)
{
	if (!smmu_present())
		return;
	assign_streams(c->cfg, &root_cell);
	smmu_flush_vmid(c);
}

/* What Haven needs: stage 2 with AArch64 tables, 4K granule, coherent walks. */
static int check_features(void)
{
	u32 idr0 = smmu_read(SMMU_IDR0), idr5 = smmu_read(SMMU_IDR5);

	if (!(idr0 & IDR0_S2P)) {
		printk("smmu: no stage-2 translation (IDR0 0x%x): Haven needs it "
		       "(QEMU: -global arm-smmuv3.stage=2)\n", idr0);
		return HAVEN_E_HW;
	}
	if (!(idr0 & IDR0_TTF_AA64) || !(idr0 & IDR0_COHACC) || !(idr5 & IDR5_GRAN4K) ||
	    IDR1_SIDSIZE(smmu_read(SMMU_IDR1)) < 8) {
		printk("smmu: unsupported (IDR0 0x%x IDR5 0x%x): Haven needs AArch64 "
		       "tables, coherent walks, 4K granule, 8-bit stream IDs\n", idr0, idr5);
		return HAVEN_E_HW;
	}
	if (smmu_read(SMMU_CR0) & CR0_SMMUEN) {
		printk("smmu: already enabled by Linux: Haven must own it\n");
		return HAVEN_E_HW;
	}
	return 0;
}

static int smmu_setup(void)
{
	const struct haven_platform *p = &hv.sys->platform;
	u32 id;

	if (set_cr0(0))
		return trace_error(HAVEN_E_HW);
	memset(strtab, 0, sizeof(strtab));
	smmu_write(SMMU_CR1, CR1_VALUE);
	smmu_write(SMMU_CR2, CR2_RECINVSID | CR2_PTM);
	smmu_write64(SMMU_STRTAB_BASE, Q_BASE_RA | (u64)strtab);
	smmu_write(SMMU_STRTAB_BASE_CFG, __builtin_ctz(HAVEN_STREAM_LIMIT));
	smmu_write64(SMMU_CMDQ_BASE, Q_BASE_RA | (u64)cmdq | SMMU_QUEUE_LOG2);
	smmu_write(SMMU_CMDQ_PROD, 0);
	smmu_write(SMMU_CMDQ_CONS, 0);
	smmu_write64(SMMU_EVENTQ_BASE, (u64)smmu_eventq | SMMU_QUEUE_LOG2);
	smmu_write(SMMU_EVENTQ_PROD, 0);
	smmu_write(SMMU_EVENTQ_CONS, 0);
	smmu_write(SMMU_GERRORN, smmu_read(SMMU_GERROR));
	/* while the SMMU is off (disable, or a failure here), DMA aborts */
	smmu_write(SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	if (wait_reg(SMMU_GBPA, GBPA_UPDATE, 0))
		return trace_error(HAVEN_E_HW);
	for (id = 0; id <= hv.sys->num_cells; id++)
		assign_streams(haven_cfg_cell(hv.config, id), &root_cell);
	dsb(ish);
	if (set_cr0(CR0_CMDQEN | CR0_EVENTQEN))
		return trace_error(HAVEN_E_HW);
	smmu_write(SMMU_IRQ_CTRL, IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ);
	if (wait_reg(SMMU_IRQ_CTRLACK, ~0U, IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ))
		return trace_error(HAVEN_E_HW);
	gicd_claim_spi(p->smmu_event_irq);
	gicd_claim_spi(p->smmu_gerror_irq);
	if (set_cr0(CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN))
		return trace_error(HAVEN_E_HW);
	smmu_on = true;
	/* nothing cached from before (Linux, an earlier enable) may survive */
	issue_synced(CMD_CFGI_ALL, CMD_CFGI_ALL_RANGE);
	issue_synced(CMD_TLBI_NSNH_ALL, 0);
	printk("smmu: stage 2 for %u stream IDs at 0x%lx, undeclared streams abort\n",
	       HAVEN_STREAM_LIMIT, p->smmu_base);
	return 0;
}

/* Off, with Linux's global bypass setting back (also after a failed setup). */
static void hand_back(void)
{
	const struct haven_platform *p = &hv.sys->platform;

	smmu_on = false;
	gicd_release_spi(p->smmu_event_irq);
	gicd_release_spi(p->smmu_gerror_irq);
	smmu_write(SMMU_IRQ_CTRL, 0);
	set_cr0(0);
	smmu_write(SMMU_GBPA, GBPA_UPDATE | (linux_gbpa & ~GBPA_UPDATE));
	wait_reg(SMMU_GBPA, GBPA_UPDATE, 0);
}

static int smmu_init(void)
{
	int err;

	if (!smmu_present())
		return 0;
	if ((u64)strtab % sizeof(strtab))
		return trace_error(HAVEN_E_INVAL); /* hypervisor memory misaligned */
	err = check_features();
	if (err)
		return err;
	linux_gbpa = smmu_read(SMMU_GBPA);
	err = smmu_setup();
	if (err)
		hand_back();
	return err;
}

void smmu_shutdown(void)
{
	/* every CPU disables; the first one hands the SMMU back */
	if (!__atomic_exchange_n(&smmu_on, false, __ATOMIC_ACQ_REL))
		return;
	hand_back();
	printk("smmu: handed back to Linux (GBPA 0x%x)\n", linux_gbpa);
}

HV_UNIT(4, smmu, .init = smmu_init);
