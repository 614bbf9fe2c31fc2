/* SPDX-License-Identifier: GPL-2.0-only */
/* System register access and the bits Haven uses (Arm ARM D19, D23). */
#ifndef HAVEN_SYSREGS_H
#define HAVEN_SYSREGS_H

#include <hv.h>

#define read_sysreg(r)                                                         \
	({                                                                     \
		u64 __v;                                                       \
		asm volatile("mrs %0, " #r : "=r"(__v));                       \
		__v;                                                           \
	})
#define write_sysreg(r, v) asm volatile("msr " #r ", %0" ::"r"((u64)(v)))
#define isb() asm volatile("isb" ::: "memory")
#define dsb(opt) asm volatile("dsb " #opt ::: "memory")
#define sev() asm volatile("sev" ::: "memory")
#define wfe() asm volatile("wfe" ::: "memory")

/* GICv3 CPU interface registers by encoding (GIC spec 12.1) */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define ICC_BPR0_EL1 S3_0_C12_C8_3
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_SGI0R_EL1 S3_0_C12_C11_7
#define ICC_AP1R0_EL1 S3_0_C12_C9_0
#define ICC_AP1R1_EL1 S3_0_C12_C9_1
#define ICC_AP1R2_EL1 S3_0_C12_C9_2
#define ICC_AP1R3_EL1 S3_0_C12_C9_3
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_MISR_EL2 S3_4_C12_C11_2
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_AP1R0_EL2 S3_4_C12_C9_0

/* HCR_EL2 (D19.2.48) */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TSC BIT(19)
#define HCR_RW BIT(31)
/* a cell's: stage 2, interrupts and SMCs to EL2, AArch64, broadcast */
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_TSC | HCR_RW | HCR_FB | HCR_BSU_IS)
/* a cell with direct interrupt delivery: IRQs to its EL1, FIQs (Group 0) still to EL2 */
#define HCR_DIRECT (HCR_GUEST & ~HCR_IMO)

/* ID_AA64DFR0_EL1 and PMCR_EL0 fields (D19.2.58, D13.3) */
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)
#define DFR0_PMUVER(d) (((d) >> 8) & 0xf)
#define DFR0_BRPS(d) ((((d) >> 12) & 0xf) + 1)
#define DFR0_WRPS(d) ((((d) >> 20) & 0xf) + 1)

/* Exception classes (ESR_ELx.EC, D19.2.40) */
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL BIT(25)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)

/* SPSR */
#define SPSR_EL1H 0x5UL
#define SPSR_DAIF (0xfUL << 6)
#define SPSR_MODE_MASK 0xfUL

/* ICH_HCR_EL2 / ICH_LR<n>_EL2 / ICH_VMCR_EL2 (GIC spec 12.4) */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_PENDING (1UL << 62)
#define ICH_LR_ACTIVE (2UL << 62)
#define ICH_LR_STATE_MASK (3UL << 62)
#define ICH_LR_HW BIT(61)
#define ICH_LR_GROUP1 BIT(60)
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_VINTID_MASK 0xffffffffUL
#define ICH_VMCR_VENG1 BIT(1)
#define ICH_VMCR_VCBPR BIT(4)
#define ICH_VMCR_VEOIM BIT(9)
#define ICH_VMCR_VBPR1_SHIFT 18
#define ICH_VMCR_VPMR_SHIFT 24
#define ICC_CTLR_CBPR BIT(0)
#define ICC_CTLR_EOIMODE BIT(1)
#define ICC_CTLR_PRIBITS(c) ((((c) >> 8) & 7) + 1)

#endif
