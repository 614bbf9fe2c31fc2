/* SPDX-License-Identifier: GPL-2.0-only */
/* haven.ko: loads Haven's EL2 firmware and talks to it. */
#ifndef HAVEN_DRIVER_H
#define HAVEN_DRIVER_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <haven/config.h>
#include <haven/firmware.h>
#include <haven/uapi.h>

#define haven_err(err, fmt, ...)                                               \
	({                                                                     \
		snprintf(err, HAVEN_ERR_LEN, fmt, ##__VA_ARGS__);               \
		pr_err("haven: %s\n", err);                                    \
	})

struct haven_state {
	struct mutex lock;
	struct device *dev;
	bool enabled;
	phys_addr_t hv_base;
	u64 hv_size;
	struct resource *mem_res;
	const struct haven_console_ring *console;
	u64 console_offset;
	size_t console_map_size;
	u32 num_cpus;
	struct haven_platform platform; /* of the enabled system.cell */
	char version[32];
	u64 enable_ns;
	int linux_cpu[HAVEN_MAX_CPUS]; /* platform CPU index -> Linux CPU, or -1 */
	bool sealed_pin; /* the module holds itself once the layout is sealed */
};

extern struct haven_state haven;

struct arm_smccc_res;

/* hypercalls; x0 status, *value = x1 */
long haven_hypercall(u64 fn, u64 a1, u64 a2, u64 *value);
long haven_hypercall3(u64 fn, u64 a1, u64 a2, u64 a3, struct arm_smccc_res *res);

/* checks.c: refuse with a message unless EL2 is Linux's hyp-stub */
int haven_check_el2(char *err);
int haven_check_memory(phys_addr_t base, u64 size, char *err);
int haven_check_config_header(const void *cfg, size_t size, char *err);

/* loader.c */
int haven_enable(const void *cfg, size_t size, char *err);
int haven_disable(char *err);

/* cells.c: the cell lifecycle ioctls */
long haven_cell_ioctl(unsigned int cmd, void __user *uarg);
/* refuse disable while the layout is sealed or a cell exists */
int haven_cells_block_disable(char *err);

/* cells.c: HAVEN_HC_CELL_INFO of a cell (key, argument) into *value */
long haven_cell_query(u32 id, u64 key, u64 arg, u64 *value);

/* restart.c: a cell's PSCI SYSTEM_RESET, carried out by reloading its images */
void haven_restart_forget(u32 id);
int haven_restart_save(u32 id, const void *src, u64 size, phys_addr_t phys);
void haven_restart_started(u32 id, u64 entry, u64 boot_arg);
u64 haven_restart_sealed(void);
void haven_restart_exit(void);

/* sysfs.c */
extern const struct attribute_group *haven_attr_groups[];

/* console.c */
long haven_console_read(struct haven_console_args __user *uargs);

#endif
