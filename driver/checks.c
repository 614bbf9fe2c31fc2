// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preconditions of enable. Each refusal says what is wrong and what to do,
 * and nothing has been changed when it is given.
 */
#include <linux/arm-smccc.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>
#include <asm/virt.h>
#include <haven/errors.h>
#include <haven/hypercall.h>
#include "haven.h"

/* ask whoever owns EL2 about an unknown call: the hyp-stub says 0xbadca11 */
static u64 probe_el2(u64 *x1)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(HAVEN_HC_PROBE, 0, 0, 0, &res);
	*x1 = res.a1;
	return res.a0;
}

int haven_check_el2(char *err)
{
	u64 pfr0 = read_sysreg_s(SYS_ID_AA64PFR0_EL1), ret, x1;

	if (is_kernel_in_hyp_mode()) {
		haven_err(err, "the kernel runs at EL2 with VHE: Haven needs it at EL1 with Linux's hyp-stub at EL2 (boot with kvm-arm.mode=nvhe)");
		return -EPERM;
	}
	if (!((pfr0 >> ID_AA64PFR0_EL1_EL2_SHIFT) & 0xf)) {
		haven_err(err, "this CPU implements no EL2");
		return -ENODEV;
	}
	ret = probe_el2(&x1);
	if (ret == HAVEN_STUB_ERR)
		return 0;
	if (ret == HAVEN_OK && x1 == HAVEN_PROBE_MAGIC) {
		haven_err(err, "a Haven hypervisor is already running at EL2");
		return -EBUSY;
	}
	if (IS_ENABLED(CONFIG_KVM))
		haven_err(err, "KVM owns EL2 (HVC probe returned 0x%llx): boot with kvm-arm.mode=none", ret);
	else
		haven_err(err, "EL2 is not Linux's hyp-stub (HVC probe returned 0x%llx): the kernel did not boot at EL2, or another hypervisor runs there", ret);
	return -ENODEV;
}

int haven_check_memory(phys_addr_t base, u64 size, char *err)
{
	if (region_intersects(base, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_DISJOINT) {
		haven_err(err, "hypervisor memory 0x%llx-0x%llx is System RAM used by Linux: reserve it (mem= or a reserved-memory node with no-map)",
			  (u64)base, (u64)(base + size - 1));
		return -EBUSY;
	}
	return 0;
}

int haven_check_config_header(const void *cfg, size_t size, char *err)
{
	const struct haven_config_header *h = cfg;
	const struct haven_system *sys;

	if (size < sizeof(*h) + sizeof(*sys)) {
		haven_err(err, "config: %s (%zu bytes)", haven_cfg_strerror(HAVEN_CFG_SHORT), size);
		return -EINVAL;
	}
	if (memcmp(h->magic, HAVEN_CONFIG_MAGIC, sizeof(h->magic))) {
		haven_err(err, "config: %s", haven_cfg_strerror(HAVEN_CFG_MAGIC));
		return -EINVAL;
	}
	if (h->version != HAVEN_CONFIG_VERSION) {
		haven_err(err, "config: format version %u, this Haven reads version %u: recompile it with this release's haven-config",
			  h->version, HAVEN_CONFIG_VERSION);
		return -EINVAL;
	}
	if (h->kind != HAVEN_CONFIG_SYSTEM) {
		haven_err(err, "config: not a system configuration (kind %u): enable needs system.cell", h->kind);
		return -EINVAL;
	}
	if (h->total_size != size) {
		haven_err(err, "config: %s (header says %u, file has %zu)",
			  haven_cfg_strerror(HAVEN_CFG_TOTAL_SIZE), h->total_size, size);
		return -EINVAL;
	}
	sys = cfg + sizeof(*h);
	if (!sys->hv_mem_size || sys->hv_mem_base % PAGE_SIZE || sys->hv_mem_size % PAGE_SIZE) {
		haven_err(err, "config: %s", haven_cfg_strerror(HAVEN_CFG_HV_MEM));
		return -EINVAL;
	}
	return 0;
}
