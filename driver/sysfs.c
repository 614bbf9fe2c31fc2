// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/devices/haven: enabled, version, hypervisor memory, and one file
 * per trap kind under statistics/ with a count per CPU (CPU 0 first).
 */
#include <linux/sysfs.h>
#include <haven/hypercall.h>
#include "haven.h"

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", haven.enabled);
}
static DEVICE_ATTR_RO(enabled);

static ssize_t version_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", haven.enabled ? haven.version : "");
}
static DEVICE_ATTR_RO(version);

static ssize_t memory_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	if (!haven.enabled)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "0x%llx 0x%llx\n", (u64)haven.hv_base, haven.hv_size);
}
static DEVICE_ATTR_RO(memory);

static struct attribute *haven_attrs[] = {
	&dev_attr_enabled.attr,
	&dev_attr_version.attr,
	&dev_attr_memory.attr,
	NULL,
};

static const struct attribute_group haven_group = { .attrs = haven_attrs };

struct stat_attribute {
	struct device_attribute attr;
	enum haven_stat kind;
};

static ssize_t stat_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct stat_attribute *sa = container_of(attr, struct stat_attribute, attr);
	ssize_t len = 0;
	u64 value;
	u32 cpu;

	mutex_lock(&haven.lock);
	for (cpu = 0; haven.enabled && cpu < haven.num_cpus; cpu++) {
		haven_hypercall(HAVEN_HC_CPU_STAT, cpu, sa->kind, &value);
		len += sysfs_emit_at(buf, len, "%s%llu", cpu ? " " : "", value);
	}
	mutex_unlock(&haven.lock);
	return len + sysfs_emit_at(buf, len, "\n");
}

#define STAT_ATTR(name, k)                                                     \
	static struct stat_attribute stat_##name = {                           \
		.attr = __ATTR(name, 0444, stat_show, NULL), .kind = k         \
	}

STAT_ATTR(hvc, HAVEN_STAT_HVC);
STAT_ATTR(psci, HAVEN_STAT_PSCI);
STAT_ATTR(smc_other, HAVEN_STAT_SMC_OTHER);
STAT_ATTR(gicd, HAVEN_STAT_GICD);
STAT_ATTR(sgi, HAVEN_STAT_SGI);
STAT_ATTR(irq, HAVEN_STAT_IRQ);
STAT_ATTR(maintenance, HAVEN_STAT_MAINTENANCE);
STAT_ATTR(abort, HAVEN_STAT_ABORT);
STAT_ATTR(other, HAVEN_STAT_OTHER);

static struct attribute *stat_attrs[] = {
	&stat_hvc.attr.attr, &stat_psci.attr.attr, &stat_smc_other.attr.attr,
	&stat_gicd.attr.attr, &stat_sgi.attr.attr, &stat_irq.attr.attr,
	&stat_maintenance.attr.attr, &stat_abort.attr.attr, &stat_other.attr.attr,
	NULL,
};

static const struct attribute_group stat_group = {
	.name = "statistics",
	.attrs = stat_attrs,
};

const struct attribute_group *haven_attr_groups[] = { &haven_group, &stat_group, NULL };
