// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cell lifecycle ioctls. The driver moves the CPUs (Linux CPU hotplug: an
 * offlined CPU's PSCI CPU_OFF parks it in Haven) and copies images; Haven
 * checks and does everything else. Every refusal names its reason.
 */
#include <linux/arm-smccc.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <haven/errors.h>
#include <haven/hypercall.h>
#include "haven.h"

static const char *const state_names[] = HAVEN_CELL_STATE_NAMES;

long haven_cell_query(u32 id, u64 key, u64 arg, u64 *value)
{
	struct arm_smccc_res res;
	long ret = haven_hypercall3(HAVEN_HC_CELL_INFO, id, key, arg, &res);

	*value = res.a1;
	return ret;
}

static const char *state_name(u64 state)
{
	return state < HAVEN_CELL_STATE_COUNT ? state_names[state] : "unknown";
}

/* The cell's name from Haven; "" if there is no such cell. */
static void cell_name(u32 id, char name[HAVEN_NAME_LEN])
{
	u64 chunk;
	u32 i, b;

	memset(name, 0, HAVEN_NAME_LEN);
	for (i = 0; i < HAVEN_NAME_LEN / 8; i++) {
		if (haven_cell_query(id, HAVEN_CELL_INFO_NAME, i, &chunk))
			return;
		for (b = 0; b < 8; b++)
			name[i * 8 + b] = (char)(chunk >> (8 * b));
	}
	name[HAVEN_NAME_LEN - 1] = '\0';
}

static int cell_region(u32 id, u32 index, struct haven_mem_region *r)
{
	struct arm_smccc_res res;

	if (haven_hypercall3(HAVEN_HC_CELL_REGION, id, index, 0, &res) ||
	    haven_cell_query(id, HAVEN_CELL_INFO_REGION_FLAGS, index, &r->flags))
		return -ENOENT;
	r->phys_start = res.a1;
	r->virt_start = res.a2;
	r->size = res.a3;
	return 0;
}

/* Which field of a cell file holds byte off (for "differs" messages). */
static const char *cell_field_at(const void *cfg, u64 off)
{
	const struct haven_cell *c = cfg + sizeof(struct haven_config_header);
	u64 base = sizeof(struct haven_config_header);
	static const char *const region_fields[] = { "phys", "virt", "size", "flags" };

	if (off < base + offsetof(struct haven_cell, cpus))
		return "name";
	if (off < base + offsetof(struct haven_cell, flags))
		return "cpus";
	if (off < base + offsetof(struct haven_cell, num_mem_regions))
		return "flags";
	if (off < base + offsetof(struct haven_cell, mem_regions_offset))
		return "number of memory regions";
	if (off < base + offsetof(struct haven_cell, irqs))
		return "vuart_irq";
	if (off < base + offsetof(struct haven_cell, num_stream_ids))
		return "irqs";
	if (off < base + offsetof(struct haven_cell, num_pci_devices))
		return "stream IDs";
	if (off < base + offsetof(struct haven_cell, num_smcs))
		return "PCI devices";
	if (off < base + offsetof(struct haven_cell, reserved))
		return "allowed SMCs";
	if (off < base + offsetof(struct haven_cell, sched))
		return "reserved";
	if (off < base + sizeof(*c))
		return "sched (budget, period or priority)";
	if (off >= c->mem_regions_offset)
		return region_fields[((off - c->mem_regions_offset) % 32) / 8];
	return "?";
}

static void describe_create_error(long status, u64 detail, const void *cfg,
				  const char *name, char *err)
{
	unsigned int code = detail & 0xff;
	int region = (int)((detail >> 16) & 0xffff) - 1;
	const struct haven_cell *c = cfg + sizeof(struct haven_config_header);

	switch (status) {
	case HAVEN_E_CONFIG:
		if (region >= 0)
			haven_err(err, "cell config: region %d: %s", region,
				  haven_cfg_strerror(code));
		else
			haven_err(err, "cell config: %s", haven_cfg_strerror(code));
		break;
	case HAVEN_E_UNDECLARED:
		haven_err(err, "cell '%s' is not declared in system.cell", name);
		break;
	case HAVEN_E_MISMATCH:
		if (detail >= c->mem_regions_offset)
			haven_err(err, "cell '%s' differs from its declaration in system.cell: region %llu, %s (byte 0x%llx)",
				  name, (detail - c->mem_regions_offset) / 32,
				  cell_field_at(cfg, detail), detail);
		else
			haven_err(err, "cell '%s' differs from its declaration in system.cell: %s (byte 0x%llx)",
				  name, cell_field_at(cfg, detail), detail);
		break;
	case HAVEN_E_EXISTS:
		haven_err(err, "cell '%s' already exists (id %llu)", name, detail);
		break;
	case HAVEN_E_BUSY:
		haven_err(err, "cell '%s': CPU %llu is still in use by the root", name, detail);
		break;
	case HAVEN_E_INVAL:
		haven_err(err, "cell config of %llu bytes could not be read by Haven", detail);
		break;
	default:
		haven_err(err, "cell '%s': %s", name, haven_strerror(status));
	}
}

/* Platform CPU indices -> Linux CPUs; refuse the root's last online CPU. */
static int check_cell_cpus(u64 cpus, const char *name, char *err)
{
	int index, cpu, remaining = 0;

	for_each_online_cpu(cpu)
		remaining++;
	for (index = 0; index < HAVEN_MAX_CPUS; index++) {
		if (!(cpus & BIT_ULL(index)))
			continue;
		cpu = haven.linux_cpu[index];
		if (index >= haven.num_cpus || cpu < 0) {
			haven_err(err, "cell '%s': CPU %d was not a CPU of the root when Haven was enabled",
				  name, index);
			return -EINVAL;
		}
		if (cpu_online(cpu) && --remaining == 0) {
			haven_err(err, "cell '%s': CPU %d is the root's last online CPU", name,
				  index);
			return -EBUSY;
		}
	}
	return 0;
}

/* Bring back online the CPUs of the mask (those the driver took). */
static int online_cpus(u64 cpus)
{
	int index, ret = 0, err;

	for (index = 0; index < HAVEN_MAX_CPUS; index++) {
		if (!(cpus & BIT_ULL(index)) || haven.linux_cpu[index] < 0)
			continue;
		err = add_cpu(haven.linux_cpu[index]);
		if (err && !cpu_online(haven.linux_cpu[index]))
			ret = ret ?: err;
	}
	return ret;
}

static int offline_cpus(u64 cpus, u64 *taken, const char *name, char *err)
{
	int index, cpu, ret;

	*taken = 0;
	for (index = 0; index < HAVEN_MAX_CPUS; index++) {
		if (!(cpus & BIT_ULL(index)))
			continue;
		cpu = haven.linux_cpu[index];
		if (!cpu_online(cpu))
			continue;
		ret = remove_cpu(cpu);
		if (ret) {
			haven_err(err, "cell '%s': Linux could not take CPU %d offline (%d)",
				  name, index, ret);
			online_cpus(*taken);
			return ret;
		}
		*taken |= BIT_ULL(index);
	}
	return 0;
}

static long create(struct haven_cell_create_args *args)
{
	const struct haven_cell *c;
	struct arm_smccc_res res;
	char name[HAVEN_NAME_LEN];
	u64 taken;
	void *cfg;
	long status;
	int ret;

	if (args->config_size < sizeof(struct haven_config_header) + sizeof(*c) ||
	    args->config_size > HAVEN_CELL_CONFIG_MAX) {
		haven_err(args->err, "cell config is %u bytes; a cell file has %zu..%u",
			  args->config_size, sizeof(struct haven_config_header) + sizeof(*c),
			  HAVEN_CELL_CONFIG_MAX);
		return -EINVAL;
	}
	/* kmalloc: physically contiguous, so Haven reads it by address */
	cfg = kmalloc(args->config_size, GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(cfg, u64_to_user_ptr(args->config_ptr), args->config_size))
		goto out;
	c = cfg + sizeof(struct haven_config_header);
	strscpy(name, c->name, sizeof(name));

	status = haven_hypercall3(HAVEN_HC_CELL_CREATE, virt_to_phys(cfg), args->config_size,
				  HAVEN_CREATE_CHECK_ONLY, &res);
	ret = -EINVAL;
	if (status) {
		describe_create_error(status, res.a1, cfg, name, args->err);
		ret = status == HAVEN_E_SEALED ? -EPERM : status == HAVEN_E_EXISTS ? -EEXIST : -EINVAL;
		goto out;
	}
	ret = check_cell_cpus(c->cpus, name, args->err) ?:
	      offline_cpus(c->cpus, &taken, name, args->err);
	if (ret)
		goto out;
	status = haven_hypercall3(HAVEN_HC_CELL_CREATE, virt_to_phys(cfg), args->config_size,
				  0, &res);
	if (status) {
		describe_create_error(status, res.a1, cfg, name, args->err);
		online_cpus(taken);
		ret = status == HAVEN_E_NOMEM ? -ENOMEM : -EBUSY;
		goto out;
	}
	args->id = res.a1;
	/* while a cell exists, the module cannot go (it could not disable) */
	__module_get(THIS_MODULE);
	pr_info("haven: cell '%s' created (id %u)\n", name, args->id);
	ret = 0;
out:
	kfree(cfg);
	return ret;
}

static const struct haven_mem_region *find_loadable(const struct haven_mem_region *r,
						    u32 n, u64 addr, u64 size)
{
	u32 i;

	for (i = 0; i < n; i++)
		if ((r[i].flags & HAVEN_MEM_LOADABLE) &&
		    (addr == HAVEN_LOAD_DEFAULT_ADDR ||
		     (addr >= r[i].virt_start && size <= r[i].size &&
		      addr - r[i].virt_start <= r[i].size - size)))
			return &r[i];
	return NULL;
}

/* Copy an image into the cell, and keep a copy for its restart (restart.c). */
static int copy_image(u32 id, u32 index, const struct haven_cell_image *img,
		      const struct haven_mem_region *r, char *err)
{
	u64 addr = img->addr == HAVEN_LOAD_DEFAULT_ADDR ? r->virt_start : img->addr;
	phys_addr_t phys = r->phys_start + (addr - r->virt_start);
	void *dst = memremap(phys, img->size, MEMREMAP_WB);
	int ret = 0;

	if (!dst) {
		haven_err(err, "cannot map cell memory at 0x%llx", r->phys_start);
		return -ENOMEM;
	}
	if (copy_from_user(dst, u64_to_user_ptr(img->ptr), img->size)) {
		ret = -EFAULT;
	} else if (haven_restart_save(id, dst, img->size, phys)) {
		haven_err(err, "no memory to keep image %u (%llu bytes) for the cell's restart",
			  index + 1, img->size);
		ret = -ENOMEM;
	}
	memunmap(dst);
	return ret;
}

static long load(struct haven_cell_load_args *args)
{
	struct haven_mem_region *regions;
	const struct haven_mem_region *fit[HAVEN_MAX_IMAGES];
	char name[HAVEN_NAME_LEN];
	u64 n, i;
	long status;
	int ret = -ENOENT;

	if (args->num_images < 1 || args->num_images > HAVEN_MAX_IMAGES) {
		haven_err(args->err, "%u images; a load takes 1..%u", args->num_images,
			  HAVEN_MAX_IMAGES);
		return -EINVAL;
	}
	if (args->id == 0 || haven_cell_query(args->id, HAVEN_CELL_INFO_NUM_REGIONS, 0, &n)) {
		haven_err(args->err, "no cell with id %u", args->id);
		return -ENOENT;
	}
	cell_name(args->id, name);
	regions = kcalloc(n, sizeof(*regions), GFP_KERNEL);
	if (!regions)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (cell_region(args->id, i, &regions[i]))
			goto out;
	}
	ret = -EINVAL;
	/* every image must fit before anything is copied */
	for (i = 0; i < args->num_images; i++) {
		const struct haven_cell_image *img = &args->images[i];

		fit[i] = find_loadable(regions, n, img->addr, img->size);
		if (img->size == 0) {
			haven_err(args->err, "image %llu is empty", i + 1);
			goto out;
		}
		if (!fit[i] || img->size > fit[i]->size) {
			haven_err(args->err, "image %llu (%llu bytes at 0x%llx) does not fit a loadable region of cell '%s'",
				  i + 1, img->size,
				  img->addr == HAVEN_LOAD_DEFAULT_ADDR && fit[i] ?
					  fit[i]->virt_start : img->addr,
				  name);
			goto out;
		}
	}
	status = haven_hypercall(HAVEN_HC_CELL_LOAD, args->id, 0, NULL);
	if (status) {
		haven_err(args->err, "cell '%s': %s%s", name, haven_strerror(status),
			  status == HAVEN_E_RUNNING ? ": shut it down first" : "");
		ret = status == HAVEN_E_SEALED ? -EPERM : -EBUSY;
		goto out;
	}
	haven_restart_forget(args->id); /* a new load replaces the images kept */
	for (i = 0; i < args->num_images; i++) {
		ret = copy_image(args->id, i, &args->images[i], fit[i], args->err);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	kfree(regions);
	return ret;
}

/* The refusals all cell operations share: no such cell, sealed, others. */
static long op_refused(long status, u32 id, const char *name, char *err)
{
	if (status == HAVEN_E_NOCELL) {
		haven_err(err, "no cell with id %u", id);
		return -ENOENT;
	}
	haven_err(err, "cell '%s': %s", name, haven_strerror(status));
	return status == HAVEN_E_SEALED ? -EPERM : -EBUSY;
}

static long start(struct haven_cell_op_args *args)
{
	struct arm_smccc_res res;
	char name[HAVEN_NAME_LEN];
	long status;
	u64 sealed;

	cell_name(args->id, name);
	status = haven_hypercall3(HAVEN_HC_CELL_START, args->id, args->entry, args->boot_arg,
				  &res);
	switch (status) {
	case HAVEN_OK:
		break;
	case HAVEN_E_RUNNING:
		haven_err(args->err, "cell '%s' is already running", name);
		return -EBUSY;
	case HAVEN_E_INVAL:
		haven_err(args->err, "cell '%s': entry 0x%llx is not in an executable region",
			  name, args->entry);
		return -EINVAL;
	default:
		return op_refused(status, args->id, name, args->err);
	}
	pr_info("haven: cell '%s' started\n", name);
	haven_restart_started(args->id, args->entry, args->boot_arg);
	haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_SEALED, 0, &sealed);
	if (sealed && !haven.sealed_pin) {
		/* sealed until reboot: Haven can no longer be disabled */
		__module_get(THIS_MODULE);
		haven.sealed_pin = true;
		pr_info("haven: layout sealed; a cell that reboots now stays stopped: the %llu KiB of images kept for restarts are freed\n",
			haven_restart_sealed() >> 10);
	}
	return 0;
}

static bool stopped(u64 state)
{
	return state != HAVEN_CELL_RUNNING && state != HAVEN_CELL_SHUTTING_DOWN;
}

static bool has_comm_page(u32 id)
{
	u64 n, i, flags;

	if (haven_cell_query(id, HAVEN_CELL_INFO_NUM_REGIONS, 0, &n))
		return false;
	for (i = 0; i < n; i++)
		if (!haven_cell_query(id, HAVEN_CELL_INFO_REGION_FLAGS, i, &flags) &&
		    (flags & HAVEN_MEM_COMM))
			return true;
	return false;
}

static long shutdown(struct haven_cell_op_args *args)
{
	struct arm_smccc_res res;
	char name[HAVEN_NAME_LEN];
	ktime_t t0 = ktime_get();
	u64 state;
	long status;

	cell_name(args->id, name);
	status = haven_hypercall3(HAVEN_HC_CELL_SHUTDOWN, args->id, 0, 0, &res);
	if (status == HAVEN_E_NOT_RUNNING) {
		haven_cell_query(args->id, HAVEN_CELL_INFO_STATE, 0, &state);
		haven_err(args->err, "cell '%s' is not running (%s)", name, state_name(state));
		return -EINVAL;
	}
	if (status)
		return op_refused(status, args->id, name, args->err);
	if (!has_comm_page(args->id))
		args->forced = HAVEN_STOP_NO_COMM; /* Haven stopped it at once */
	/*
	 * The cell acknowledges through its comm page, then stops. Each
	 * repeated request returns the state and lets Haven notice the
	 * acknowledgement; once stopped the cell is "not running".
	 */
	for (;;) {
		if (status == HAVEN_E_NOT_RUNNING || (!status && stopped(res.a1)))
			break;
		if (ktime_ms_delta(ktime_get(), t0) >= args->timeout_ms) {
			status = haven_hypercall3(HAVEN_HC_CELL_SHUTDOWN, args->id,
						  HAVEN_SHUTDOWN_FORCE, 0, &res);
			args->forced = HAVEN_STOP_FORCED;
			if (status && status != HAVEN_E_NOT_RUNNING) {
				haven_err(args->err, "cell '%s': the CPUs did not stop: %s",
					  name, haven_strerror(status));
				return -EIO;
			}
			break;
		}
		usleep_range(1000, 2000);
		status = haven_hypercall3(HAVEN_HC_CELL_SHUTDOWN, args->id, 0, 0, &res);
	}
	args->waited_ms = ktime_ms_delta(ktime_get(), t0);
	pr_info("haven: cell '%s' %s after %u ms\n", name,
		args->forced == HAVEN_STOP_NO_COMM ? "stopped by Haven (no comm page)" :
		args->forced ? "stopped by Haven (no acknowledgement)" : "shut down",
		args->waited_ms);
	return 0;
}

/* CPUs that created cells hold (a CPU shared by cells stays with them). */
static u64 cpus_of_cells(void)
{
	u64 all = 0, cpus;
	u32 id;

	for (id = 1; id < HAVEN_MAX_CELLS; id++)
		if (!haven_cell_query(id, HAVEN_CELL_INFO_CPUS, 0, &cpus))
			all |= cpus;
	return all;
}

static long destroy(struct haven_cell_op_args *args)
{
	char name[HAVEN_NAME_LEN];
	u64 cpus, state;
	long status;
	int ret;

	cell_name(args->id, name);
	if (haven_cell_query(args->id, HAVEN_CELL_INFO_CPUS, 0, &cpus))
		cpus = 0;
	status = haven_hypercall(HAVEN_HC_CELL_DESTROY, args->id, 0, NULL);
	switch (status) {
	case HAVEN_OK:
		break;
	case HAVEN_E_RUNNING:
		haven_cell_query(args->id, HAVEN_CELL_INFO_STATE, 0, &state);
		haven_err(args->err, "cell '%s' is %s: shut it down first", name,
			  state_name(state));
		return -EBUSY;
	default:
		return op_refused(status, args->id, name, args->err);
	}
	module_put(THIS_MODULE);
	haven_restart_forget(args->id);
	ret = online_cpus(cpus & ~cpus_of_cells());
	if (ret) {
		haven_err(args->err, "cell '%s' destroyed, but Linux could not bring its CPUs back online (%d)",
			  name, ret);
		return ret;
	}
	pr_info("haven: cell '%s' destroyed, CPUs back online\n", name);
	return 0;
}

static u64 ticks_to_ns(u64 ticks, u64 freq)
{
	return freq ? mul_u64_u64_div_u64(ticks, NSEC_PER_SEC, freq) : 0;
}

static long info(struct haven_cell_info_args *a)
{
	u64 v, freq, n, i;

	if (a->id >= HAVEN_MAX_CELLS || haven_cell_query(a->id, HAVEN_CELL_INFO_STATE, 0, &v))
		return -ENOENT;
	a->state = v;
	cell_name(a->id, a->name);
	haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_COUNTER_FREQ, 0, &freq);
	haven_cell_query(a->id, HAVEN_CELL_INFO_CPUS, 0, &a->cpus);
	haven_cell_query(a->id, HAVEN_CELL_INFO_FAILED_CPUS, 0, &a->failed_cpus);
	haven_cell_query(a->id, HAVEN_CELL_INFO_UPTIME, 0, &v);
	a->uptime_ns = ticks_to_ns(v, freq);
	haven_cell_query(a->id, HAVEN_CELL_INFO_HEARTBEAT, 0, &a->heartbeat);
	haven_cell_query(a->id, HAVEN_CELL_INFO_FAULTS, 0, &a->faults);
	haven_cell_query(a->id, HAVEN_CELL_INFO_STARTS, 0, &a->starts);
	haven_cell_query(a->id, HAVEN_CELL_INFO_RTOS, 0, &a->rtos_releases);
	haven_cell_query(a->id, HAVEN_CELL_INFO_RTOS, 1, &a->rtos_completions);
	haven_cell_query(a->id, HAVEN_CELL_INFO_RTOS, 2, &a->rtos_deadline_misses);
	haven_cell_query(a->id, HAVEN_CELL_INFO_RTOS, 3, &v);
	a->rtos_worst_response_ns = ticks_to_ns(v, freq);
	a->num_stats = HAVEN_STAT_COUNT;
	for (i = 0; i < HAVEN_STAT_COUNT; i++)
		haven_cell_query(a->id, HAVEN_CELL_INFO_STAT, i, &a->stats[i]);
	haven_cell_query(a->id, HAVEN_CELL_INFO_NUM_REGIONS, 0, &n);
	a->num_regions = min_t(u64, n, HAVEN_MAX_MEM_REGIONS);
	for (i = 0; i < a->num_regions; i++)
		cell_region(a->id, i, &a->regions[i]);
	/* counters a Haven without them refuses as an unknown key */
	if (!haven_cell_query(a->id, HAVEN_CELL_INFO_DENIED, 0, &a->denied))
		a->has |= HAVEN_CELL_HAS_DENIED;
	if (!haven_cell_query(a->id, HAVEN_CELL_INFO_DMA_FAULTS, 0, &a->dma_faults))
		a->has |= HAVEN_CELL_HAS_DMA_FAULTS;
	return 0;
}

/* The cell's first loadable region, as HAVEN_CELL_INFO lists them. */
static int first_loadable(u32 id, struct haven_mem_region *r)
{
	u64 n, i;

	if (haven_cell_query(id, HAVEN_CELL_INFO_NUM_REGIONS, 0, &n))
		return -ENOENT;
	for (i = 0; i < n; i++)
		if (!cell_region(id, i, r) && (r->flags & HAVEN_MEM_LOADABLE))
			return 0;
	return -ENODATA;
}

/* HAVEN_CELL_INFO_MEM_SUM of the first a->bytes of the first loadable region. */
static long checksum(struct haven_cell_checksum_args *a)
{
	struct haven_mem_region r;
	char name[HAVEN_NAME_LEN];
	long status;
	int ret;

	if (a->id >= HAVEN_MAX_CELLS) {
		haven_err(a->err, "no cell with id %u", a->id);
		return -ENOENT;
	}
	ret = first_loadable(a->id, &r);
	if (ret == -ENOENT) {
		haven_err(a->err, "no cell with id %u", a->id);
		return ret;
	}
	cell_name(a->id, name);
	if (ret) {
		haven_err(a->err, "cell '%s' has no loadable region", name);
		return -EINVAL;
	}
	a->region_virt = r.virt_start;
	a->region_size = r.size;
	if (a->bytes == 0) {
		haven_err(a->err, "cell '%s': 0 bytes, nothing to sum", name);
		return -EINVAL;
	}
	if (a->bytes > r.size) {
		haven_err(a->err, "cell '%s': %llu bytes is more than its first loadable region (%llu bytes at IPA 0x%llx)",
			  name, a->bytes, r.size, r.virt_start);
		return -EINVAL;
	}
	status = haven_cell_query(a->id, HAVEN_CELL_INFO_MEM_SUM, a->bytes, &a->sum);
	switch (status) {
	case HAVEN_OK:
		return 0;
	case HAVEN_E_NOCELL:
		haven_err(a->err, "no cell with id %u", a->id);
		return -ENOENT;
	case HAVEN_E_INVAL:
		/* the size is checked above: this Haven has no MEM_SUM */
		haven_err(a->err, "cell '%s': this Haven computes no memory checksums (HAVEN_CELL_INFO_MEM_SUM refused)",
			  name);
		return -EOPNOTSUPP;
	default:
		haven_err(a->err, "cell '%s': %s", name, haven_strerror(status));
		return -EIO;
	}
}

/* Input for a cell's emulated UART, 8 bytes per hypercall, until its FIFO is full. */
static long console_input(struct haven_console_write_args *a)
{
	struct arm_smccc_res res;
	char name[HAVEN_NAME_LEN];
	u8 buf[256];
	u32 len = min_t(u32, a->len, sizeof(buf)), n, i;
	u64 bytes, taken;
	long status = HAVEN_OK;

	a->written = 0;
	if (copy_from_user(buf, u64_to_user_ptr(a->buf_ptr), len))
		return -EFAULT;
	cell_name(a->id, name);
	while (a->written < len) {
		n = min_t(u32, len - a->written, HAVEN_VUART_INPUT_MAX);
		for (bytes = 0, i = 0; i < n; i++)
			bytes |= (u64)buf[a->written + i] << (8 * i);
		status = haven_hypercall3(HAVEN_HC_VUART_INPUT, a->id, n, bytes, &res);
		if (status)
			break;
		taken = min_t(u64, res.a1, n);
		a->written += taken;
		if (taken < n)
			return 0; /* its FIFO is full: the caller tries again later */
	}
	switch (status) {
	case HAVEN_OK:
		return 0;
	case HAVEN_E_NODEV:
		haven_err(a->err, "cell '%s' has no emulated UART", name);
		return -ENODEV;
	case HAVEN_E_NOT_RUNNING:
		haven_err(a->err, "cell '%s' is not running", name);
		return -EBUSY;
	default:
		return op_refused(status, a->id, name, a->err);
	}
}

int haven_cells_block_disable(char *err)
{
	char name[HAVEN_NAME_LEN];
	u64 sealed, state;
	u32 id;

	haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_SEALED, 0, &sealed);
	if (sealed) {
		haven_err(err, "layout sealed: Haven stays enabled until reboot");
		return -EPERM;
	}
	for (id = 1; id < HAVEN_MAX_CELLS; id++) {
		if (haven_cell_query(id, HAVEN_CELL_INFO_STATE, 0, &state))
			continue;
		cell_name(id, name);
		haven_err(err, "cell '%s' exists: destroy it first", name);
		return -EBUSY;
	}
	return 0;
}

/* One ioctl: copy in, act, copy out (err[] also on failure). */
long haven_cell_ioctl(unsigned int cmd, void __user *uarg)
{
	union {
		struct haven_cell_create_args create;
		struct haven_cell_load_args load;
		struct haven_cell_op_args op;
		struct haven_console_write_args console;
		struct haven_cell_checksum_args checksum;
	} *a;
	struct haven_cell_info_args *inf;
	size_t size = _IOC_SIZE(cmd);
	long ret;

	if (!haven.enabled)
		return -ENODEV;
	if (cmd == HAVEN_CELL_INFO) {
		inf = kzalloc(sizeof(*inf), GFP_KERNEL);
		if (!inf)
			return -ENOMEM;
		ret = -EFAULT;
		if (!copy_from_user(&inf->id, uarg, sizeof(inf->id))) {
			ret = info(inf);
			if (!ret && copy_to_user(uarg, inf, sizeof(*inf)))
				ret = -EFAULT;
		}
		kfree(inf);
		return ret;
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	if (copy_from_user(a, uarg, size)) {
		kfree(a);
		return -EFAULT;
	}
	switch (cmd) {
	case HAVEN_CELL_CREATE:
		a->create.err[0] = '\0';
		ret = create(&a->create);
		break;
	case HAVEN_CELL_LOAD:
		a->load.err[0] = '\0';
		ret = load(&a->load);
		break;
	case HAVEN_CELL_START:
		a->op.err[0] = '\0';
		ret = start(&a->op);
		break;
	case HAVEN_CELL_SHUTDOWN:
		a->op.err[0] = '\0';
		a->op.forced = a->op.waited_ms = 0;
		ret = shutdown(&a->op);
		break;
	case HAVEN_CONSOLE_WRITE:
		a->console.err[0] = '\0';
		ret = console_input(&a->console);
		break;
	case HAVEN_CELL_CHECKSUM:
		a->checksum.err[0] = '\0';
		a->checksum.sum = a->checksum.region_virt = a->checksum.region_size = 0;
		ret = checksum(&a->checksum);
		break;
	default:
		a->op.err[0] = '\0';
		ret = destroy(&a->op);
		break;
	}
	if (copy_to_user(uarg, a, size))
		ret = -EFAULT;
	kfree(a);
	return ret;
}
