/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Haven's binary configuration format, produced by tools/haven-config from
 * YAML and consumed by havenctl, the driver and the hypervisor.
 *
 * A file is a header followed by a body. Every variable-length part is
 * reached through an (offset, count) pair; offsets are in bytes from the
 * start of the file and must lie inside total_size. All fields are
 * fixed-width little-endian; reserved fields must be zero.
 *
 *   system.cell: header | haven_system | root cell | declared cells | regions
 *   <name>.cell: header | haven_cell | regions
 *
 * Cell ids: the root is 0, declared cell n (1-based, in file order) is n.
 * A cell file is accepted only if its haven_cell (all but
 * mem_regions_offset) and its regions equal those of the declared cell
 * of the same name byte for byte.
 */
#ifndef HAVEN_CONFIG_H
#define HAVEN_CONFIG_H

#include "types.h"

#define HAVEN_CONFIG_MAGIC "HAVENCFG"
#define HAVEN_CONFIG_VERSION 3
#define HAVEN_ARCH_ARM64 183 /* ELF e_machine of AArch64 */

#define HAVEN_CONFIG_SYSTEM 1
#define HAVEN_CONFIG_CELL 2

#define HAVEN_MAX_CPUS 16
#define HAVEN_MAX_CELLS 8
#define HAVEN_MAX_MEM_REGIONS 64
#define HAVEN_NAME_LEN 32
/* SGIs, PPIs and SPIs that a cell can own: 0..HAVEN_MAX_IRQS-1. */
#define HAVEN_MAX_IRQS 1024
#define HAVEN_IRQ_WORDS (HAVEN_MAX_IRQS / 64)
/* SMMU stream IDs, PCI functions and allowed SMCs a cell can own */
#define HAVEN_MAX_STREAMS 8
#define HAVEN_MAX_PCI_DEVICES 8
#define HAVEN_MAX_SMCS 4
/* Haven's SMMU stream table covers stream IDs 0..HAVEN_STREAM_LIMIT-1 */
#define HAVEN_STREAM_LIMIT 256
#define HAVEN_PAGE_SIZE 4096ULL
/* guest-physical (stage-2 input) and physical address limits */
#define HAVEN_IPA_LIMIT (1ULL << 39)
#define HAVEN_PA_LIMIT (1ULL << 48)

struct haven_config_header {
	hv_u8 magic[8]; /* HAVEN_CONFIG_MAGIC, not NUL-terminated */
	hv_u16 version; /* HAVEN_CONFIG_VERSION */
	hv_u16 arch; /* HAVEN_ARCH_ARM64 */
	hv_u16 kind; /* HAVEN_CONFIG_SYSTEM or HAVEN_CONFIG_CELL */
	hv_u16 header_size; /* sizeof(struct haven_config_header) */
	hv_u32 total_size; /* bytes in the whole file */
	hv_u32 reserved[3];
};

/* Memory region flags. */
#define HAVEN_MEM_READ (1ULL << 0)
#define HAVEN_MEM_WRITE (1ULL << 1)
#define HAVEN_MEM_EXEC (1ULL << 2)
#define HAVEN_MEM_IO (1ULL << 3) /* device memory (nGnRE) */
#define HAVEN_MEM_LOADABLE (1ULL << 4) /* root may load images into it */
/*
 * The cell's communication page (comm.h): Haven maps a page of its own at
 * virt_start. phys_start must be 0 and size one page; at most one per cell,
 * never in the root cell.
 */
#define HAVEN_MEM_COMM (1ULL << 5)
/*
 * A PL011 UART emulated by Haven at virt_start, for a cell without a UART of
 * its own: phys_start 0, one page, at most one per cell, never in the root.
 * What the cell writes goes to Haven's console, prefixed with the cell's
 * name; the root feeds its input (HAVEN_HC_VUART_INPUT). Its interrupt is
 * the cell's vuart_irq.
 */
#define HAVEN_MEM_VUART (1ULL << 6)
/*
 * A sub-page device window (with HAVEN_MEM_IO, never exec or loadable):
 * bytes [phys_start, phys_start + size) of a device page, which need not be
 * page-aligned. Haven never maps the pages it lies in into the cell; it
 * performs each access the cell makes there itself, if it lies inside the
 * window, has one of the region's HAVEN_MEM_WIDTH* sizes (at least one is
 * set), is naturally aligned, is a write only with HAVEN_MEM_WRITE, and is
 * a single load or store (ESR_EL2.ISV 1: no pair, exclusive or atomic).
 * phys_start, virt_start and size are multiples of the smallest width,
 * phys_start and virt_start have the same offset in their page, and the
 * window spans at most HAVEN_SUBPAGE_MAX_PAGES pages. Cells (the root
 * included) may own disjoint windows of one page; a window shares no page
 * with a region another cell maps (the root hands such pages over while
 * the cell exists), nor with the GIC, the SMMU, the PCI ECAM or Haven's
 * UART. Width bits without HAVEN_MEM_SUBPAGE are refused.
 */
#define HAVEN_MEM_SUBPAGE (1ULL << 7)
#define HAVEN_MEM_WIDTH8 (1ULL << 8)
#define HAVEN_MEM_WIDTH16 (1ULL << 9)
#define HAVEN_MEM_WIDTH32 (1ULL << 10)
#define HAVEN_MEM_WIDTH64 (1ULL << 11)
#define HAVEN_MEM_WIDTHS (0xfULL << 8) /* bit 8 + log2(bytes) */
#define HAVEN_SUBPAGE_MAX_PAGES 4
#define HAVEN_MEM_ALL_FLAGS 0xfffULL
/* regions Haven provides itself (phys_start 0): neither RAM nor a device */
#define HAVEN_MEM_EMULATED (HAVEN_MEM_COMM | HAVEN_MEM_VUART)

/* Cell flags. */
/*
 * A stage-2 fault of the cell (an access outside its memory) injects a
 * synchronous external abort into the cell, which continues; without this
 * flag the cell fails. Never set for the root, which always gets the abort.
 */
#define HAVEN_CELL_FAULT_ABORT (1U << 0)
/*
 * Direct interrupt delivery: the cell's interrupts reach its EL1 through the
 * physical GIC CPU interface, without entering Haven (HCR_EL2.IMO clear);
 * Haven keeps its stop SGI as Group 0 (FIQ, HCR_EL2.FMO set). Never for the
 * root; every CPU of the cell must be dedicated (listed by no other cell).
 */
#define HAVEN_CELL_DIRECT_IRQ (1U << 1)
/*
 * The cell may count Haven's EL2 events with its PMU (PMEVTYPER<n>.NSH):
 * Haven then leaves MDCR_EL2.HPMD (and HCCD) clear on the cell's CPUs.
 * For benchmarking only: it shows the cell how much work Haven does and
 * when. Without it (the default) event counting at EL2 is prohibited.
 * The only flag the root may have; never on a shared CPU, and never in a
 * system with a final layout.
 */
#define HAVEN_CELL_PMU_EL2 (1U << 2)
#define HAVEN_CELL_ALL_FLAGS 0x7U
#define HAVEN_CELL_ROOT_FLAGS HAVEN_CELL_PMU_EL2

/*
 * Scheduling of a cell on the CPUs it shares with other cells (a CPU listed
 * by more than one non-root cell; every other CPU is dedicated and not
 * scheduled). Every cell on a shared CPU has one; a cell with no shared CPU
 * has none (all zero). Per shared CPU, Haven runs the highest-priority cell
 * that is runnable and has budget left; a cell's budget is consumed while
 * it runs and refilled to budget_us at each of its period boundaries
 * (epoch + k * period_us, the epoch being when the CPU became shared). A
 * cell with budget_us 0 is best effort: it runs only in slack (no cell with
 * budget left is runnable), as does a cell whose budget is spent.
 */
struct haven_sched {
	hv_u32 budget_us; /* 0: best effort */
	hv_u32 period_us; /* 0: no shared CPU (the whole block is zero) */
	hv_u32 priority; /* 1..255, higher first, unique on each shared CPU */
	hv_u32 reserved;
};

#define HAVEN_SCHED_MAX_PRIORITY 255
#define HAVEN_SCHED_MIN_BUDGET_US 100
#define HAVEN_SCHED_MAX_PERIOD_US 1000000

struct haven_mem_region {
	hv_u64 phys_start;
	hv_u64 virt_start; /* guest physical (IPA) */
	hv_u64 size;
	hv_u64 flags;
};

struct haven_cell {
	char name[HAVEN_NAME_LEN]; /* NUL-terminated */
	hv_u64 cpus; /* bitmap of platform CPU indices */
	hv_u32 flags; /* HAVEN_CELL_* */
	hv_u32 num_mem_regions;
	hv_u32 mem_regions_offset;
	/*
	 * INTID of the HAVEN_MEM_VUART's interrupt: an SPI the cell owns and no
	 * device drives (Haven makes it pending in the distributor); 0 if the
	 * cell has no emulated UART.
	 */
	hv_u32 vuart_irq;
	hv_u64 irqs[HAVEN_IRQ_WORDS]; /* bitmap of owned INTIDs */
	/*
	 * SMMU stream IDs whose DMA translates through the cell's stage 2
	 * (< HAVEN_STREAM_LIMIT, each owned by one cell at most); streams no
	 * cell declares abort. A declared cell's streams belong to the root
	 * while the cell does not exist, like its memory.
	 */
	hv_u32 num_stream_ids;
	hv_u32 stream_ids[HAVEN_MAX_STREAMS];
	/*
	 * PCI functions (bus << 8 | device << 3 | function, segment 0) whose
	 * configuration space the cell reaches through the emulated ECAM; never
	 * in the root, which reaches every function no created cell owns.
	 */
	hv_u32 num_pci_devices;
	hv_u16 pci_devices[HAVEN_MAX_PCI_DEVICES];
	/*
	 * SMCCC function IDs Haven forwards to the firmware for the cell (e.g. a
	 * secure-monitor service on a real board); PSCI is always emulated and
	 * every other SMC refused, the root's included.
	 */
	hv_u32 num_smcs;
	hv_u32 smc_allow[HAVEN_MAX_SMCS];
	hv_u32 reserved;
	struct haven_sched sched;
};

#define HAVEN_UART_NONE 0
#define HAVEN_UART_PL011 1

struct haven_platform {
	hv_u64 gicd_base;
	hv_u64 gicd_size;
	hv_u64 gicr_base; /* all redistributors, contiguous */
	hv_u64 gicr_size;
	hv_u64 uart_base; /* Haven's debug console */
	hv_u32 uart_type;
	hv_u32 num_cpus;
	hv_u64 cpu_mpidr[HAVEN_MAX_CPUS]; /* affinity of each CPU index */
	hv_u32 maintenance_irq; /* GIC maintenance PPI */
	hv_u32 num_irqs; /* SGIs + PPIs + SPIs of the platform */
	/*
	 * The SMMUv3 (smmu_size 0: none), owned by Haven and never mapped into
	 * a cell, and its event queue and global error interrupts: SPIs that
	 * belong to Haven, never to a cell.
	 */
	hv_u64 smmu_base;
	hv_u64 smmu_size;
	hv_u32 smmu_event_irq;
	hv_u32 smmu_gerror_irq;
	/*
	 * PCI configuration space (ECAM, segment 0, bus 0 at pci_ecam_base,
	 * 1 MiB per bus; size 0: no PCI). Never mapped into a cell: Haven
	 * emulates it and lets each cell reach only the functions it owns.
	 */
	hv_u64 pci_ecam_base;
	hv_u64 pci_ecam_size;
};

struct haven_system {
	hv_u64 hv_mem_base; /* hypervisor memory: never mapped into a cell */
	hv_u64 hv_mem_size;
	struct haven_platform platform;
	hv_u32 num_cells; /* non-root cells declared after the root */
	/*
	 * The final layout: bit n set for declared cell n (1..num_cells; bit 0,
	 * the root, is always clear). When the last of them starts, Haven seals
	 * the layout until reboot. 0: never sealed.
	 */
	hv_u32 final_cells;
	struct haven_cell root;
	/* struct haven_cell cells[num_cells]; then the regions */
};

HAVEN_STATIC_ASSERT(sizeof(struct haven_config_header) == 32, "header ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_mem_region) == 32, "region ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_cell) == 280, "cell ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_platform) == 224, "platform ABI");

#endif
