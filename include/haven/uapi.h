/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The /dev/haven interface between havenctl and haven.ko.
 * Every ioctl that can fail fills err[] with a one-line reason.
 */
#ifndef HAVEN_UAPI_H
#define HAVEN_UAPI_H

#include <linux/ioctl.h>
#include "config.h"
#include "hypercall.h"

#define HAVEN_ERR_LEN 256

struct haven_enable_args {
	hv_u64 config_ptr; /* user pointer to a system config */
	hv_u32 config_size;
	hv_u32 reserved;
	char err[HAVEN_ERR_LEN]; /* out */
};

struct haven_disable_args {
	char err[HAVEN_ERR_LEN]; /* out */
};

struct haven_info_args {
	hv_u32 abi_version; /* of the driver */
	hv_u32 enabled;
	hv_u64 hv_mem_base;
	hv_u64 hv_mem_size;
	hv_u64 pool_pages;
	hv_u64 pool_used;
	hv_u32 num_cpus; /* platform CPUs */
	hv_u32 num_stats; /* HAVEN_STAT_COUNT */
	hv_u64 cpus_in_haven; /* bitmap */
	hv_u64 enable_ns; /* how long the last enable took */
	char version[32]; /* firmware version */
	hv_u64 stats[HAVEN_MAX_CPUS][HAVEN_STAT_COUNT];
	hv_u32 sealed; /* the final layout has started */
	hv_u32 final_cells; /* bitmap of cell ids in the final layout */
	/* HAVEN_INFO_HAS_*: which of the values below Haven answered */
	hv_u32 has;
	hv_u32 reserved;
	hv_u64 image_sum; /* HAVEN_INFO_IMAGE_SUM */
	hv_u64 dma_unassigned; /* HAVEN_INFO_DMA_UNASSIGNED */
	struct haven_platform platform; /* from system.cell; zero while disabled */
};

#define HAVEN_INFO_HAS_IMAGE_SUM (1U << 0)
#define HAVEN_INFO_HAS_DMA_UNASSIGNED (1U << 1)

struct haven_console_args {
	hv_u64 buf_ptr; /* user buffer */
	hv_u32 buf_size;
	hv_u32 lost; /* out: bytes overwritten before they could be read */
	hv_u64 pos; /* in/out: position in the console's byte stream */
	hv_u32 len; /* out: bytes copied */
	hv_u32 reserved;
};

/* Input for a cell's emulated UART (HAVEN_MEM_VUART). */
struct haven_console_write_args {
	hv_u64 buf_ptr; /* user buffer */
	hv_u32 len; /* bytes to send */
	hv_u32 id; /* cell id */
	hv_u32 written; /* out: bytes the UART took (its FIFO may fill) */
	hv_u32 reserved;
	char err[HAVEN_ERR_LEN]; /* out */
};
struct haven_cell_create_args {
	hv_u64 config_ptr; /* user pointer to a cell config */
	hv_u32 config_size;
	hv_u32 id; /* out */
	char err[HAVEN_ERR_LEN]; /* out */
};

#define HAVEN_STOP_FORCED 1
#define HAVEN_STOP_NO_COMM 2
#define HAVEN_MAX_IMAGES 8
#define HAVEN_LOAD_DEFAULT_ADDR (~HV_U64(0)) /* start of the first loadable region */

struct haven_cell_image {
	hv_u64 ptr; /* user pointer to the bytes */
	hv_u64 size;
	hv_u64 addr; /* cell IPA, or HAVEN_LOAD_DEFAULT_ADDR */
};

/* All images are checked before any is copied. */
struct haven_cell_load_args {
	hv_u32 id;
	hv_u32 num_images; /* 1..HAVEN_MAX_IMAGES */
	struct haven_cell_image images[HAVEN_MAX_IMAGES];
	char err[HAVEN_ERR_LEN]; /* out */
};

/* start, shutdown and destroy */
struct haven_cell_op_args {
	hv_u32 id;
	hv_u32 timeout_ms; /* shutdown: wait this long for the cell's ack */
	hv_u64 entry; /* start: cell IPA, or HAVEN_ENTRY_DEFAULT */
	hv_u64 boot_arg; /* start: x0 of the cell's first CPU, or HAVEN_BOOT_ARG_DEFAULT */
	/*
	 * out, shutdown: HAVEN_STOP_FORCED if Haven had to stop the cell,
	 * HAVEN_STOP_NO_COMM if it stopped it at once (no comm page to ask)
	 */
	hv_u32 forced;
	hv_u32 waited_ms; /* out, shutdown: time until it stopped */
	char err[HAVEN_ERR_LEN]; /* out */
};

/* Fails with ENOENT for an id that is not a created cell. */
struct haven_cell_info_args {
	hv_u32 id; /* in: 0 = root */
	hv_u32 state; /* enum haven_cell_state */
	char name[HAVEN_NAME_LEN];
	hv_u64 cpus;
	hv_u64 failed_cpus;
	hv_u64 uptime_ns; /* since the last start; 0 if never started */
	hv_u64 heartbeat;
	hv_u64 faults;
	hv_u64 starts;
	hv_u64 rtos_releases;
	hv_u64 rtos_completions;
	hv_u64 rtos_deadline_misses;
	hv_u64 rtos_worst_response_ns;
	hv_u32 num_stats; /* HAVEN_STAT_COUNT */
	hv_u32 num_regions;
	hv_u64 stats[HAVEN_STAT_COUNT];
	struct haven_mem_region regions[HAVEN_MAX_MEM_REGIONS];
	/* HAVEN_CELL_HAS_*: which of the counters below Haven answered */
	hv_u32 has;
	hv_u32 reserved;
	hv_u64 denied; /* HAVEN_CELL_INFO_DENIED */
	hv_u64 dma_faults; /* HAVEN_CELL_INFO_DMA_FAULTS */
};

#define HAVEN_CELL_HAS_DENIED (1U << 0)
#define HAVEN_CELL_HAS_DMA_FAULTS (1U << 1)

/*
 * FNV-1a 64 (HAVEN_CELL_INFO_MEM_SUM) of the first bytes of a cell's first
 * loadable region, as Haven computes it: a cell's memory seen from outside
 * the cell. Fails with ENOENT for an id that is not a created cell.
 */
struct haven_cell_checksum_args {
	hv_u32 id;
	hv_u32 reserved;
	hv_u64 bytes; /* 1 .. the region's size */
	hv_u64 sum; /* out */
	hv_u64 region_virt; /* out: the region's start (cell IPA) */
	hv_u64 region_size; /* out */
	char err[HAVEN_ERR_LEN]; /* out */
};

/* same layout for 32- and 64-bit callers: no implicit padding */
HAVEN_STATIC_ASSERT(sizeof(struct haven_enable_args) == 16 + HAVEN_ERR_LEN, "enable ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_info_args) ==
			    128 + 8 * HAVEN_MAX_CPUS * HAVEN_STAT_COUNT +
				    sizeof(struct haven_platform), "info ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_cell_create_args) == 16 + HAVEN_ERR_LEN,
		    "cell create ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_cell_load_args) ==
			    8 + 24 * HAVEN_MAX_IMAGES + HAVEN_ERR_LEN, "cell load ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_cell_op_args) == 32 + HAVEN_ERR_LEN,
		    "cell op ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_cell_info_args) ==
			    152 + 8 * HAVEN_STAT_COUNT + 32 * HAVEN_MAX_MEM_REGIONS,
		    "cell info ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_cell_checksum_args) == 40 + HAVEN_ERR_LEN,
		    "cell checksum ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_console_args) == 32, "console ABI");
HAVEN_STATIC_ASSERT(sizeof(struct haven_console_write_args) == 24 + HAVEN_ERR_LEN,
		    "console write ABI");

#define HAVEN_IOCTL_MAGIC 0xB7
#define HAVEN_ENABLE _IOWR(HAVEN_IOCTL_MAGIC, 0x01, struct haven_enable_args)
#define HAVEN_DISABLE _IOWR(HAVEN_IOCTL_MAGIC, 0x02, struct haven_disable_args)
#define HAVEN_INFO _IOR(HAVEN_IOCTL_MAGIC, 0x03, struct haven_info_args)
#define HAVEN_CONSOLE_READ                                                     \
	_IOWR(HAVEN_IOCTL_MAGIC, 0x04, struct haven_console_args)
#define HAVEN_CONSOLE_WRITE                                                    \
	_IOWR(HAVEN_IOCTL_MAGIC, 0x05, struct haven_console_write_args)
#define HAVEN_CELL_CREATE _IOWR(HAVEN_IOCTL_MAGIC, 0x10, struct haven_cell_create_args)
#define HAVEN_CELL_LOAD _IOWR(HAVEN_IOCTL_MAGIC, 0x11, struct haven_cell_load_args)
#define HAVEN_CELL_START _IOWR(HAVEN_IOCTL_MAGIC, 0x12, struct haven_cell_op_args)
#define HAVEN_CELL_SHUTDOWN _IOWR(HAVEN_IOCTL_MAGIC, 0x13, struct haven_cell_op_args)
#define HAVEN_CELL_DESTROY _IOWR(HAVEN_IOCTL_MAGIC, 0x14, struct haven_cell_op_args)
#define HAVEN_CELL_INFO _IOWR(HAVEN_IOCTL_MAGIC, 0x15, struct haven_cell_info_args)
#define HAVEN_CELL_CHECKSUM                                                    \
	_IOWR(HAVEN_IOCTL_MAGIC, 0x16, struct haven_cell_checksum_args)

#endif
