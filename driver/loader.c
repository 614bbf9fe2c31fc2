// SPDX-License-Identifier: GPL-2.0-only
/*
 * Enable and disable. The firmware is copied into the reserved hypervisor
 * memory and entered on every online CPU through Linux's hyp-stub
 * (HVC_SOFT_RESTART branches to a physical address at EL2 with the MMU
 * off), from stop_machine so no CPU is inside an interrupt handler.
 */
#include <linux/arm-smccc.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <asm/cputype.h>
#include <haven/errors.h>
#include <haven/hypercall.h>
#include "haven.h"

struct cpu_entry_result {
	long status;
	u64 detail, value;
	u64 mpidr;
	bool ran, entered;
};

struct enable_ctx {
	phys_addr_t entry;
	const struct haven_system *sys;
	int first_cpu;
	atomic_t first_done;
	struct cpu_entry_result res[NR_CPUS];
};

long haven_hypercall3(u64 fn, u64 a1, u64 a2, u64 a3, struct arm_smccc_res *res)
{
	arm_smccc_1_1_hvc(fn, a1, a2, a3, res);
	return (long)res->a0;
}

long haven_hypercall(u64 fn, u64 a1, u64 a2, u64 *value)
{
	struct arm_smccc_res res;

	haven_hypercall3(fn, a1, a2, 0, &res);
	if (value)
		*value = res.a1;
	return (long)res.a0;
}

static int platform_cpu_index(const struct haven_system *sys, u64 mpidr)
{
	u32 i;

	for (i = 0; i < sys->platform.num_cpus && i < HAVEN_MAX_CPUS; i++)
		if ((sys->platform.cpu_mpidr[i] & MPIDR_HWID_BITMASK) ==
		    (mpidr & MPIDR_HWID_BITMASK))
			return i;
	return -1;
}

/* HVC_SOFT_RESTART: the stub branches to x1 with x0..x2 <- x2..x4. */
static void enter_firmware(phys_addr_t entry, u64 reason, u64 flags,
			   struct cpu_entry_result *r)
{
	register u64 x0 asm("x0") = HAVEN_STUB_SOFT_RESTART;
	register u64 x1 asm("x1") = entry;
	register u64 x2 asm("x2") = reason;
	register u64 x3 asm("x3") = flags;
	register u64 x4 asm("x4") = 0;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
		     :
		     : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		       "x14", "x15", "x16", "x17", "memory");
	r->status = (long)x0;
	r->detail = x1;
	r->value = x2;
	r->entered = r->status == HAVEN_OK;
}

/* Which Linux CPU is which platform CPU: cells name platform indices. */
static void record_linux_cpus(const struct enable_ctx *ctx)
{
	int cpu, index;

	for (index = 0; index < HAVEN_MAX_CPUS; index++)
		haven.linux_cpu[index] = -1;
	for_each_possible_cpu(cpu) {
		if (!ctx->res[cpu].ran)
			continue;
		index = platform_cpu_index(ctx->sys, ctx->res[cpu].mpidr);
		if (index >= 0)
			haven.linux_cpu[index] = cpu;
	}
}

/* stop_machine callback: the first CPU sets Haven up, then the others join. */
static int enter_cpu(void *data)
{
	struct enable_ctx *ctx = data;
	int cpu = smp_processor_id();
	struct cpu_entry_result *r = &ctx->res[cpu];
	int index = platform_cpu_index(ctx->sys, read_cpuid_mpidr());
	bool first = cpu == ctx->first_cpu;

	r->ran = true;
	r->mpidr = read_cpuid_mpidr() & MPIDR_HWID_BITMASK;
	if (!first) {
		while (!atomic_read_acquire(&ctx->first_done))
			cpu_relax();
		if (!ctx->res[ctx->first_cpu].entered)
			return 0;
	}
	if (index >= 0 && (ctx->sys->root.cpus & BIT(index)))
		enter_firmware(ctx->entry, HAVEN_ENTRY_ENABLE | index, first, r);
	else
		r->status = HAVEN_E_PERM;
	if (first)
		atomic_set_release(&ctx->first_done, 1);
	return 0;
}

static int leave_cpu(void *data)
{
	struct enable_ctx *ctx = data;
	int cpu = smp_processor_id();

	if (!ctx || ctx->res[cpu].entered)
		haven_hypercall(HAVEN_HC_DISABLE, 0, 0, NULL);
	return 0;
}

/* Describe a refusal from the firmware (see include/haven/errors.h). */
static void firmware_error(const struct cpu_entry_result *r, int cpu, char *err)
{
	unsigned int code = r->detail & 0xff;
	int cell = (int)((r->detail >> 8) & 0xff) - 1;
	int region = (int)((r->detail >> 16) & 0xffff) - 1;
	char where[48] = "";

	if (r->status == HAVEN_E_PERM) {
		haven_err(err, "CPU %d (MPIDR 0x%llx) is not a CPU of the root cell in the configuration",
			  cpu, r->mpidr);
		return;
	}
	if (r->status != HAVEN_E_CONFIG) {
		haven_err(err, "CPU %d: firmware refused: %s (detail %llu, value 0x%llx)",
			  cpu, haven_strerror(r->status), r->detail, r->value);
		return;
	}
	if (cell >= 0)
		snprintf(where, sizeof(where), cell ? "cell %d, " : "root cell, ", cell);
	if (region >= 0)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 "region %d, ", region);
	haven_err(err, "config: %s%s (value 0x%llx)", where, haven_cfg_strerror(code),
		  r->value);
}

/* Copy image and config into hypervisor memory, uncached (see README). */
static int load_image(const struct firmware *fw, const void *cfg, size_t cfg_size,
		      phys_addr_t *entry, char *err)
{
	struct haven_fw_header *h;
	const struct haven_fw_header *src = (const void *)fw->data;
	u64 config_offset = PAGE_ALIGN(src->core_size);
	void *mem;

	if (config_offset + cfg_size > haven.hv_size) {
		haven_err(err, "hypervisor memory (%llu KiB) is too small for haven.bin (%llu KiB) and the config",
			  haven.hv_size >> 10, src->core_size >> 10);
		return -ENOMEM;
	}
	mem = memremap(haven.hv_base, haven.hv_size, MEMREMAP_WC);
	if (!mem) {
		haven_err(err, "cannot map hypervisor memory at 0x%llx", (u64)haven.hv_base);
		return -ENOMEM;
	}
	memset(mem, 0, config_offset);
	memcpy(mem, fw->data, fw->size);
	memcpy(mem + config_offset, cfg, cfg_size);
	h = mem;
	h->config_offset = config_offset;
	h->config_size = cfg_size;
	*entry = haven.hv_base + src->entry_offset;
	haven.console_offset = src->console_offset;
	haven.console_map_size = src->console_size;
	memcpy(haven.version, src->version, sizeof(haven.version));
	haven.version[sizeof(haven.version) - 1] = '\0';
	wmb();
	memunmap(mem);
	return 0;
}

static int check_firmware(const struct firmware *fw, char *err)
{
	const struct haven_fw_header *h = (const void *)fw->data;

	if (fw->size < sizeof(*h) || memcmp(h->magic, HAVEN_FW_MAGIC, sizeof(HAVEN_FW_MAGIC))) {
		haven_err(err, "haven.bin is not a Haven firmware image");
		return -EINVAL;
	}
	if (h->abi_version != HAVEN_ABI_VERSION) {
		haven_err(err, "haven.bin has ABI version %u, this driver speaks %u: rebuild both from one tree",
			  h->abi_version, HAVEN_ABI_VERSION);
		return -EINVAL;
	}
	if (h->image_size != fw->size || h->core_size < fw->size ||
	    h->entry_offset >= fw->size) {
		haven_err(err, "haven.bin header does not match the file (truncated?)");
		return -EINVAL;
	}
	return 0;
}

/* The console pages are mapped read-only into the root by the firmware. */
static int map_console(void)
{
	haven.console = memremap(haven.hv_base + haven.console_offset,
				 haven.console_map_size, MEMREMAP_WB);
	return haven.console ? 0 : -ENOMEM;
}

static int run_enable(struct enable_ctx *ctx, char *err)
{
	int cpu;
	ktime_t start;

	ctx->first_cpu = raw_smp_processor_id();
	start = ktime_get();
	/* stop_machine runs enter_cpu on every online CPU; the caller's is first */
	stop_machine(enter_cpu, ctx, cpu_online_mask);
	haven.enable_ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	if (!ctx->res[ctx->first_cpu].entered) {
		firmware_error(&ctx->res[ctx->first_cpu], ctx->first_cpu, err);
		return -EIO;
	}
	for_each_possible_cpu(cpu) {
		if (ctx->res[cpu].ran && !ctx->res[cpu].entered) {
			firmware_error(&ctx->res[cpu], cpu, err);
			stop_machine(leave_cpu, ctx, cpu_online_mask);
			return -EIO;
		}
	}
	return 0;
}

int haven_enable(const void *cfg, size_t size, char *err)
{
	const struct firmware *fw = NULL;
	struct enable_ctx *ctx;
	int ret;

	if (haven.enabled) {
		haven_err(err, "Haven is already enabled");
		return -EBUSY;
	}
	ret = haven_check_config_header(cfg, size, err);
	if (ret)
		return ret;
	ret = haven_check_el2(err);
	if (ret)
		return ret;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->sys = cfg + sizeof(struct haven_config_header);
	haven.hv_base = ctx->sys->hv_mem_base;
	haven.hv_size = ctx->sys->hv_mem_size;
	ret = haven_check_memory(haven.hv_base, haven.hv_size, err);
	if (ret)
		goto free_ctx;
	haven.mem_res = request_mem_region(haven.hv_base, haven.hv_size, "haven hypervisor");
	if (!haven.mem_res) {
		haven_err(err, "hypervisor memory 0x%llx-0x%llx is claimed by another driver (see /proc/iomem)",
			  (u64)haven.hv_base, (u64)(haven.hv_base + haven.hv_size - 1));
		ret = -EBUSY;
		goto free_ctx;
	}
	ret = request_firmware(&fw, "haven.bin", haven.dev);
	if (ret) {
		haven_err(err, "cannot load firmware haven.bin (%d): install it in /lib/firmware", ret);
		goto release;
	}
	ret = check_firmware(fw, err) ?: load_image(fw, cfg, size, &ctx->entry, err) ?:
	      run_enable(ctx, err);
	release_firmware(fw);
	if (ret)
		goto release;
	ret = map_console();
	if (ret) {
		haven_err(err, "cannot map the hypervisor console");
		haven_disable(err);
		goto free_ctx;
	}
	haven.num_cpus = ctx->sys->platform.num_cpus;
	haven.platform = ctx->sys->platform;
	record_linux_cpus(ctx);
	haven.enabled = true;
	pr_info("haven: enabled on %u CPUs in %llu us\n", num_online_cpus(),
		haven.enable_ns / 1000);
	kfree(ctx);
	return 0;

release:
	release_mem_region(haven.hv_base, haven.hv_size);
	haven.mem_res = NULL;
free_ctx:
	kfree(ctx);
	return ret;
}

int haven_disable(char *err)
{
	int ret;

	if (!haven.mem_res) {
		haven_err(err, "Haven is not enabled");
		return -ENODEV;
	}
	ret = haven_cells_block_disable(err);
	if (ret)
		return ret;
	stop_machine(leave_cpu, NULL, cpu_online_mask);
	if (haven.console)
		memunmap((void *)haven.console);
	haven.console = NULL;
	release_mem_region(haven.hv_base, haven.hv_size);
	haven.mem_res = NULL;
	haven.enabled = false;
	pr_info("haven: disabled, EL2 handed back to Linux's hyp-stub\n");
	return 0;
}
