// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bring-up and hand-back of CPUs. The first CPU validates the configuration
 * and builds the EL2 page tables with the MMU off (entry.S then turns it on
 * on every CPU); units then initialise themselves (see unit.h).
 */
#include <asm_offsets.h>
#include <config_check.h>
#include <console.h>
#include <el2_mmu.h>
#include <lib.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>
#include <unit.h>

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap frame layout");
_Static_assert(sizeof(struct per_cpu) == PER_CPU_SIZE, "per-CPU layout");
_Static_assert(HV_STACK_SIZE == PER_CPU_STACK_TOP, "stack layout");
_Static_assert(CONFIG_MAX_CPUS <= HAVEN_MAX_CPUS, "CONFIG_MAX_CPUS");

extern const char __image_start[], __core_end[];
extern const struct hv_unit __hv_units_start[], __hv_units_end[];

struct per_cpu per_cpu_data[CONFIG_MAX_CPUS];
struct hv_system hv;

static long refuse(struct trap_frame *f, long status, u64 detail, u64 value)
{
	f->x[0] = (u64)status;
	f->x[1] = detail;
	f->x[2] = value;
	return status;
}

static void save_linux_el2(struct linux_el2 *l)
{
	l->hcr = read_sysreg(hcr_el2);
	l->sctlr = read_sysreg(sctlr_el2);
	l->vbar = read_sysreg(vbar_el2);
	l->mdcr = read_sysreg(mdcr_el2);
	l->cptr = read_sysreg(cptr_el2);
	l->cnthctl = read_sysreg(cnthctl_el2);
	l->hstr = read_sysreg(hstr_el2);
}

static u32 entry_cpu(const struct trap_frame *f)
{
	return f->x[0] & HAVEN_ENTRY_CPU_MASK;
}

/*
 * Runs on the first CPU, MMU off, image relocated. Checks everything the
 * driver handed over; on refusal nothing has changed on this CPU.
 */
long first_cpu_setup_mmu_off(struct trap_frame *f)
{
	const struct haven_fw_header *h = (const void *)__image_start;
	struct haven_cfg_result res;
	u64 core = (u64)(__core_end - __image_start);
	u32 cpu = entry_cpu(f);

	hv.header = h;
	hv.base = (u64)__image_start;
	if (h->config_offset < core || h->config_offset % PAGE_SIZE ||
	    h->config_size > (1UL << 20))
		return refuse(f, HAVEN_E_INVAL, 0, h->config_offset);
	hv.config = (const void *)(hv.base + h->config_offset);
	hv.config_size = h->config_size;
	if (haven_check_system(hv.config, hv.config_size, &res))
		return refuse(f, HAVEN_E_CONFIG, HAVEN_CFG_DETAIL(res), res.value);
	hv.sys = haven_cfg_system(hv.config);
	hv.size = hv.sys->hv_mem_size;
	if (hv.sys->hv_mem_base != hv.base ||
	    h->config_offset + h->config_size > hv.size)
		return refuse(f, HAVEN_E_INVAL, 1, hv.sys->hv_mem_base);
	if (cpu >= hv.sys->platform.num_cpus || cpu >= CONFIG_MAX_CPUS ||
	    mpidr_affinity(read_sysreg(mpidr_el1)) !=
		    mpidr_affinity(hv.sys->platform.cpu_mpidr[cpu]))
		return refuse(f, HAVEN_E_HW, 2, read_sysreg(mpidr_el1));

	/* nothing of hypervisor memory may linger in the caches (see README) */
	dcache_inval_range(hv.base, hv.size);
	mem_pool_init(&hv.pool,
		      ALIGN_UP(hv.base + h->config_offset + h->config_size, PAGE_SIZE),
		      (hv.base + hv.size -
		       ALIGN_UP(hv.base + h->config_offset + h->config_size, PAGE_SIZE)) /
			      PAGE_SIZE);
	mem_pool_pt_ops(&hv.pool, &hv.pt_ops);
	if (el2_mmu_build())
		return refuse(f, HAVEN_E_NOMEM, 0, 0);
	save_linux_el2(&hv.linux);
	return 0;
}

int cpu_by_mpidr(u64 mpidr)
{
	const struct haven_platform *p = &hv.sys->platform;
	u32 i;

	for (i = 0; i < p->num_cpus && i < CONFIG_MAX_CPUS; i++)
		if (mpidr_affinity(p->cpu_mpidr[i]) == mpidr_affinity(mpidr))
			return (int)i;
	return -1;
}

int units_init(void)
{
	const struct hv_unit *u;
	int err;

	for (u = __hv_units_start; u < __hv_units_end; u++) {
		if (u->init && (err = u->init())) {
			printk("%s: init failed (%d)\n", u->name, err);
			return err;
		}
	}
	return 0;
}

int units_cpu_init(struct per_cpu *cpu)
{
	const struct hv_unit *u;
	int err;

	for (u = __hv_units_start; u < __hv_units_end; u++) {
		if (u->cpu_init && (err = u->cpu_init(cpu))) {
			printk("CPU %u: %s failed (%d)\n", cpu->index, u->name, err);
			while (u-- > __hv_units_start)
				if (u->cpu_exit)
					u->cpu_exit(cpu);
			return err;
		}
	}
	return 0;
}

void units_cpu_exit(struct per_cpu *cpu)
{
	const struct hv_unit *u = __hv_units_end;

	while (u-- > __hv_units_start)
		if (u->cpu_exit)
			u->cpu_exit(cpu);
}

/* Counters start at enable and survive a CPU going off and on again. */
static void init_per_cpu(struct per_cpu *cpu, u32 index, bool enable)
{
	cpu->index = index;
	cpu->mpidr = read_sysreg(mpidr_el1);
	cpu->own_queue.head = cpu->own_queue.len = 0;
	cpu->queue = &cpu->own_queue;
	if (enable)
		memset(cpu->stats, 0, sizeof(cpu->stats));
}

/*
 * A CPU that cannot enter: one the driver entered returns the error to it;
 * one the firmware started (CPU_ON) has no caller to return to, so it is
 * powered off again.
 */
static void __noreturn cpu_fail(struct trap_frame *f, bool enable, long err,
				u64 detail)
{
	if (!enable)
		psci_power_off(this_cpu(), "failed to enter Haven");
	cpu_leave(f, err, detail);
}

/* Runs on each CPU once its EL2 MMU is on; returns to the guest via the frame. */
void cpu_entry(struct trap_frame *f)
{
	struct per_cpu *cpu = this_cpu();
	u32 index = entry_cpu(f);
	bool enable = (f->x[0] & ~(u64)HAVEN_ENTRY_CPU_MASK) == HAVEN_ENTRY_ENABLE;
	bool first = enable && (f->x[1] & 1);
	long err;

	if (index >= hv.sys->platform.num_cpus ||
	    mpidr_affinity(read_sysreg(mpidr_el1)) !=
		    mpidr_affinity(hv.sys->platform.cpu_mpidr[index]))
		cpu_fail(f, enable, HAVEN_E_HW, 2);
	init_per_cpu(cpu, index, enable);
	if (first) {
		console_init(hv.sys->platform.uart_base, hv.sys->platform.uart_type);
		printk("\nHaven %s: hypervisor memory 0x%lx-0x%lx, %lu pool pages\n",
		       hv.header->version, hv.base, hv.base + hv.size - 1,
		       hv.pool.pages);
		err = units_init();
		if (err)
			cpu_fail(f, enable, err, 0);
	}
	if (!enable) {
		/* cold start from PSCI CPU_ON: the EL2 state is reset, redo Linux's part */
		write_sysreg(mdcr_el2, hv.linux.mdcr);
		write_sysreg(cptr_el2, hv.linux.cptr);
		write_sysreg(cnthctl_el2, hv.linux.cnthctl);
		write_sysreg(hstr_el2, hv.linux.hstr);
		write_sysreg(cntvoff_el2, 0);
	}
	err = cpu_enter_cell(cpu);
	if (err)
		cpu_fail(f, enable, err, 0);
	if (enable) {
		f->x[0] = HAVEN_OK;
		f->x[1] = 0;
	} else {
		psci_enter_cell(f, index);
	}
	printk("CPU %u (MPIDR 0x%lx) entered Haven%s\n", index, cpu->mpidr,
	       enable ? "" : " (CPU_ON)");
}

int cpu_enter_cell(struct per_cpu *cpu)
{
	int err = units_cpu_init(cpu);

	if (err)
		return err;
	write_sysreg(vbar_el2, (u64)el2_vectors);
	isb();
	cpu->in_haven = true;
	__atomic_or_fetch(&hv.cpus_in_haven, 1UL << cpu->index, __ATOMIC_SEQ_CST);
	return 0;
}

void cpu_detach(struct per_cpu *cpu)
{
	if (!cpu->in_haven)
		return;
	units_cpu_exit(cpu);
	cpu->in_haven = false;
	__atomic_and_fetch(&hv.cpus_in_haven, ~(1UL << cpu->index), __ATOMIC_SEQ_CST);
}

/*
 * Give this CPU back to Linux: undo the units, restore Linux's EL2 state,
 * clean hypervisor memory out of the caches (the next enable writes it
 * uncached) and return to the stub's caller with the MMU off.
 */
void __noreturn cpu_leave(struct trap_frame *f, long status, u64 detail)
{
	cpu_detach(this_cpu());
	write_sysreg(hcr_el2, hv.linux.hcr);
	write_sysreg(vttbr_el2, 0);
	isb();
	asm volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	f->x[0] = (u64)status;
	f->x[1] = detail;
	dcache_clean_inval_range(hv.base, hv.size);
	leave_haven(f, hv.linux.sctlr, hv.linux.vbar);
}

void __noreturn handle_hyp_fault(struct trap_frame *f)
{
	panic("EL2 exception: ESR 0x%lx ELR 0x%lx FAR 0x%lx SPSR 0x%lx\n",
	      read_sysreg(esr_el2), f->elr, read_sysreg(far_el2), f->spsr);
}
