// SPDX-License-Identifier: GPL-2.0-only
/*
 * haven.ko: /dev/haven for havenctl, /sys/devices/haven for status.
 * Unloading the module disables Haven first.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <haven/hypercall.h>
#include "haven.h"

#define CONFIG_MAX_BYTES (1U << 20)

struct haven_state haven = { .lock = __MUTEX_INITIALIZER(haven.lock) };

static long ioctl_enable(struct haven_enable_args __user *uargs)
{
	struct haven_enable_args args;
	void *cfg;
	long ret;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	args.err[0] = '\0';
	if (args.config_size < sizeof(struct haven_config_header) ||
	    args.config_size > CONFIG_MAX_BYTES) {
		haven_err(args.err, "config size %u bytes is outside 32..%u", args.config_size,
			  CONFIG_MAX_BYTES);
		ret = -EINVAL;
		goto out;
	}
	cfg = kvmalloc(args.config_size, GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	if (copy_from_user(cfg, u64_to_user_ptr(args.config_ptr), args.config_size))
		ret = -EFAULT;
	else
		ret = haven_enable(cfg, args.config_size, args.err);
	kvfree(cfg);
out:
	if (copy_to_user(uargs->err, args.err, sizeof(args.err)))
		return -EFAULT;
	return ret;
}

static long ioctl_disable(struct haven_disable_args __user *uargs)
{
	struct haven_disable_args args = { .err = "" };
	long ret = haven_disable(args.err);

	if (copy_to_user(uargs, &args, sizeof(args)))
		return -EFAULT;
	return ret;
}

static long ioctl_info(struct haven_info_args __user *uargs)
{
	struct haven_info_args *info;
	u32 cpu, kind;
	u64 value;
	long ret = 0;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->abi_version = HAVEN_ABI_VERSION;
	info->enabled = haven.enabled;
	info->num_stats = HAVEN_STAT_COUNT;
	if (haven.enabled) {
		info->hv_mem_base = haven.hv_base;
		info->hv_mem_size = haven.hv_size;
		info->num_cpus = haven.num_cpus;
		info->platform = haven.platform;
		info->enable_ns = haven.enable_ns;
		memcpy(info->version, haven.version, sizeof(info->version));
		haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_POOL_PAGES, 0, &info->pool_pages);
		haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_POOL_USED, 0, &info->pool_used);
		haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_ONLINE_CPUS, 0, &info->cpus_in_haven);
		haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_SEALED, 0, &value);
		info->sealed = value;
		haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_FINAL_CELLS, 0, &value);
		info->final_cells = value;
		/* keys an older Haven refuses as unknown: left out of info->has */
		if (!haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_IMAGE_SUM, 0, &info->image_sum))
			info->has |= HAVEN_INFO_HAS_IMAGE_SUM;
		if (!haven_hypercall(HAVEN_HC_INFO, HAVEN_INFO_DMA_UNASSIGNED, 0,
				     &info->dma_unassigned))
			info->has |= HAVEN_INFO_HAS_DMA_UNASSIGNED;
		for (cpu = 0; cpu < haven.num_cpus && cpu < HAVEN_MAX_CPUS; cpu++)
			for (kind = 0; kind < HAVEN_STAT_COUNT; kind++)
				haven_hypercall(HAVEN_HC_CPU_STAT, cpu, kind,
						&info->stats[cpu][kind]);
	}
	if (copy_to_user(uargs, info, sizeof(*info)))
		ret = -EFAULT;
	kfree(info);
	return ret;
}

static long haven_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long ret;

	mutex_lock(&haven.lock);
	switch (cmd) {
	case HAVEN_ENABLE:
		ret = ioctl_enable(uarg);
		break;
	case HAVEN_DISABLE:
		ret = ioctl_disable(uarg);
		break;
	case HAVEN_INFO:
		ret = ioctl_info(uarg);
		break;
	case HAVEN_CONSOLE_READ:
		ret = haven.enabled ? haven_console_read(uarg) : -ENODEV;
		break;
	case HAVEN_CELL_CREATE:
	case HAVEN_CELL_LOAD:
	case HAVEN_CELL_START:
	case HAVEN_CELL_SHUTDOWN:
	case HAVEN_CELL_DESTROY:
	case HAVEN_CELL_INFO:
	case HAVEN_CELL_CHECKSUM:
	case HAVEN_CONSOLE_WRITE:
		ret = haven_cell_ioctl(cmd, uarg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&haven.lock);
	return ret;
}

static const struct file_operations haven_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = haven_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice haven_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "haven",
	.fops = &haven_fops,
	.mode = 0600,
};

static int __init haven_init(void)
{
	int ret;

	haven.dev = root_device_register("haven");
	if (IS_ERR(haven.dev))
		return PTR_ERR(haven.dev);
	ret = sysfs_create_groups(&haven.dev->kobj, haven_attr_groups);
	if (ret)
		goto unregister_root;
	ret = misc_register(&haven_misc);
	if (ret)
		goto remove_groups;
	pr_info("haven: driver loaded (ABI %u)\n", HAVEN_ABI_VERSION);
	return 0;

remove_groups:
	sysfs_remove_groups(&haven.dev->kobj, haven_attr_groups);
unregister_root:
	root_device_unregister(haven.dev);
	return ret;
}

static void __exit haven_exit(void)
{
	char err[HAVEN_ERR_LEN];

	haven_restart_exit(); /* before the lock: its work takes it */
	mutex_lock(&haven.lock);
	if (haven.enabled)
		haven_disable(err);
	mutex_unlock(&haven.lock);
	misc_deregister(&haven_misc);
	sysfs_remove_groups(&haven.dev->kobj, haven_attr_groups);
	root_device_unregister(haven.dev);
}

module_init(haven_init);
module_exit(haven_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Haven static partitioning hypervisor loader");
MODULE_FIRMWARE("haven.bin");
