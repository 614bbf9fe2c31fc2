// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cell lifecycle hypercalls from the root: create, load, start, shutdown,
 * destroy, and the read-only info queries. One lock serialises them; a
 * cell's own CPUs never take it (cell_fail.c uses atomics), so the root
 * may wait for them while holding it.
 *
 *   none -create-> created -load-> loading -start-> running
 *   running -shutdown-> shutting-down -(ack or force)-> shut-down
 *   running -(unhandled trap)-> failed
 *   created/loading/shut-down/failed -load/start/destroy-> ...
 */
#include <cell.h>
#include <config_check.h>
#include <gic.h>
#include <lib.h>
#include <pci.h>
#include <sched.h>
#include <setup.h>
#include <smmu.h>
#include <spinlock.h>
#include <sysregs.h>

#define STOP_TIMEOUT_MS 100

static spinlock_t cells_lock;
/* a private copy: the root cannot change it while it is checked */
static u8 cfg_copy[HAVEN_CELL_CONFIG_MAX] __aligned(8);

static bool is_stopped(u32 state)
{
	return state == HAVEN_CELL_CREATED || state == HAVEN_CELL_LOADING ||
	       state == HAVEN_CELL_SHUT_DOWN || state == HAVEN_CELL_FAILED;
}

/* A created non-root cell, or 0. */
struct cell *created_cell(u64 id)
{
	if (id == 0 || id >= HAVEN_MAX_CELLS || id > hv.sys->num_cells ||
	    READ_ONCE(cells[id].state) == HAVEN_CELL_NONE)
		return 0;
	return &cells[id];
}

/* The declared cell of that name: its id, or 0. */
static u32 declared_id(const char *name)
{
	u32 id;

	for (id = 1; id <= hv.sys->num_cells; id++)
		if (!memcmp(haven_cfg_cell(hv.config, id)->name, name, HAVEN_NAME_LEN))
			return id;
	return 0;
}

/*
 * Compare a cell file with the declaration: the haven_cell (except where
 * its regions sit in the file) and the regions. Returns the offset of the
 * first differing byte in the file, or -1 if equal.
 */
static long declaration_diff(const u8 *file, const struct haven_cell *decl)
{
	const u64 cell_off = sizeof(struct haven_config_header);
	const struct haven_cell *c = (const void *)(file + cell_off);
	const u8 *a = (const u8 *)c, *b = (const u8 *)decl;
	const u8 *ra, *rb;
	u64 i;

	for (i = 0; i < sizeof(*c); i++)
		if (a[i] != b[i] &&
		    (i < __builtin_offsetof(struct haven_cell, mem_regions_offset) ||
		     i >= __builtin_offsetof(struct haven_cell, vuart_irq)))
			return (long)(cell_off + i);
	ra = file + c->mem_regions_offset;
	rb = (const u8 *)haven_cfg_regions(hv.config, decl);
	for (i = 0; i < c->num_mem_regions * sizeof(struct haven_mem_region); i++)
		if (ra[i] != rb[i])
			return (long)(c->mem_regions_offset + i);
	return -1;
}

static const struct haven_mem_region *find_region(const struct cell *c, u64 flag)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if (r[i].flags & flag)
			return &r[i];
	return 0;
}

/* SPIs move between the root and a cell; SGIs and PPIs are per CPU. */
static u64 spi_mask(u32 word)
{
	return word == 0 ? ~0xffffffffUL : ~0UL;
}

/* An SPI changing hands starts disabled and not pending for its new owner. */
static void quiesce_spis(const struct cell *c)
{
	u32 w;

	for (w = 0; w < HAVEN_IRQ_WORDS; w++)
		gicd_quiesce(w, c->irqs[w] & spi_mask(w));
}

static void root_give_spis(const struct cell *c)
{
	u32 w;

	quiesce_spis(c);
	for (w = 0; w < HAVEN_IRQ_WORDS; w++)
		root_cell.irqs[w] &= ~(c->irqs[w] & spi_mask(w));
}

static void root_take_back_spis(const struct cell *c)
{
	u32 w;

	quiesce_spis(c);
	for (w = 0; w < HAVEN_IRQ_WORDS; w++)
		root_cell.irqs[w] |= c->irqs[w] & spi_mask(w) & root_cell.cfg->irqs[w];
}

static void free_cell_tables(struct cell *c)
{
	if (c->s2.table) {
		pt_destroy(&c->s2, &hv.pt_ops);
		mem_pool_free(&hv.pool, (u64)c->s2.table);
	}
	if (c->comm)
		mem_pool_free(&hv.pool, (u64)c->comm);
	c->s2.table = 0;
	c->comm = 0;
}

/* The cell's own stage-2: its regions, and a pool page as its comm page. */
static long build_cell(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	c->s2.table = (u64 *)mem_pool_alloc(&hv.pool);
	c->s2.start_level = 1;
	if (!c->s2.table)
		return trace_error(HAVEN_E_NOMEM);
	for (i = 0; i < c->cfg->num_mem_regions; i++) {
		if (r[i].flags & HAVEN_MEM_VUART)
			continue; /* emulated: every access traps */
		if (r[i].flags & HAVEN_MEM_COMM) {
			c->comm = (struct haven_comm_page *)mem_pool_alloc(&hv.pool);
			if (!c->comm || stage2_map(c, r[i].virt_start, (u64)c->comm,
						   PAGE_SIZE, r[i].flags))
				return trace_error(HAVEN_E_NOMEM);
		} else if (stage2_map_region(c, &r[i])) {
			return trace_error(HAVEN_E_NOMEM);
		}
	}
	return 0;
}

/* CPUs held by created cells other than c */
static u64 cpus_of_other_cells(const struct cell *c)
{
	u64 cpus = 0;
	u32 id;

	for (id = 1; id < HAVEN_MAX_CELLS; id++)
		if (&cells[id] != c && READ_ONCE(cells[id].state) != HAVEN_CELL_NONE)
			cpus |= cells[id].cpus;
	return cpus;
}

/*
 * Each CPU must be parked in Haven by the root, or be a shared CPU that
 * another created cell already holds (then the cell gets its own vCPU).
 */
static long check_cpus(const struct haven_cell *decl, u32 id, u64 *detail)
{
	u32 i;

	for (i = 0; i < hv.sys->platform.num_cpus; i++) {
		if (!(decl->cpus & BIT(i)))
			continue;
		if (sched_vcpu(&cells[id], i) && (cpus_of_other_cells(&cells[id]) & BIT(i)))
			continue;
		if (!(root_cell.cpus & BIT(i)) || !cpu_is_parked(&root_cell, i)) {
			*detail = i; /* still online in the root (or not in Haven) */
			return HAVEN_E_BUSY;
		}
	}
	if (!(root_cell.cpus & ~decl->cpus & READ_ONCE(hv.cpus_in_haven))) {
		*detail = __builtin_ctzl(decl->cpus);
		return HAVEN_E_BUSY; /* the root would keep no running CPU */
	}
	return 0;
}

static long create_locked(u64 ipa, u64 size, u64 flags, u64 *detail)
{
	const struct haven_mem_region *vuart;
	struct haven_cfg_result res;
	const struct haven_cell *decl;
	struct cell *c;
	long err;
	u32 id;

	if (copy_from_root(cfg_copy, ipa, size))
		return HAVEN_E_INVAL;
	if (haven_check_cell(cfg_copy, size, hv.sys, &res)) {
		*detail = HAVEN_CFG_DETAIL(res);
		return HAVEN_E_CONFIG;
	}
	id = declared_id((const char *)cfg_copy + sizeof(struct haven_config_header));
	if (!id)
		return HAVEN_E_UNDECLARED;
	decl = haven_cfg_cell(hv.config, id);
	if ((*detail = (u64)declaration_diff(cfg_copy, decl)) != ~0UL)
		return HAVEN_E_MISMATCH;
	*detail = id;
	c = &cells[id];
	if (c->state != HAVEN_CELL_NONE)
		return HAVEN_E_EXISTS;
	/* the check comes before the root takes the CPUs offline */
	if (flags & HAVEN_CREATE_CHECK_ONLY)
		return HAVEN_OK;
	err = check_cpus(decl, id, detail);
	if (!err && (decl->flags & HAVEN_CELL_DIRECT_IRQ))
		err = direct_irq_check(detail);
	if (err)
		return err;

	memset(c, 0, sizeof(*c));
	c->cfg = decl;
	c->name = decl->name;
	c->id = id;
	c->vmid = id + 1;
	c->cpus = decl->cpus;
	memcpy(c->irqs, decl->irqs, sizeof(c->irqs));
	vuart = find_region(c, HAVEN_MEM_VUART);
	vuart_init(&c->vuart, vuart ? vuart->virt_start : 0, decl->vuart_irq);
	err = build_cell(c);
	if (!err)
		err = cell_memory_take(c);
	if (err) {
		free_cell_tables(c);
		return err;
	}
	cell_memory_scrub(c);
	/* the root's DMA through the cell's functions ends before they change hands */
	pci_quiesce_functions(c);
	smmu_streams_to_cell(c);
	root_cell.cpus &= ~c->cpus;
	root_give_spis(c);
	if (cell_direct_irq(c))
		direct_irq_take(c);
	__atomic_store_n(&c->state, HAVEN_CELL_CREATED, __ATOMIC_RELEASE);
	printk("cell '%s' created: id %u, CPUs 0x%lx, %lu pool pages used%s%s\n",
	       c->name, id, c->cpus, hv.pool.used,
	       cell_direct_irq(c) ? ", direct interrupt delivery" : "",
	       c->cfg->flags & HAVEN_CELL_PMU_EL2 ? ", counts EL2 events (pmu_el2)" : "");
	return HAVEN_OK;
}

long cell_create(u64 ipa, u64 size, u64 flags, u64 *detail)
{
	long err;

	*detail = size;
	if (READ_ONCE(hv.sealed))
		return HAVEN_E_SEALED;
	if (size < sizeof(struct haven_config_header) || size > HAVEN_CELL_CONFIG_MAX ||
	    flags & ~(u64)HAVEN_CREATE_CHECK_ONLY)
		return HAVEN_E_INVAL;
	spin_lock(&cells_lock);
	err = create_locked(ipa, size, flags, detail);
	spin_unlock(&cells_lock);
	return err;
}

long cell_load(u64 id)
{
	struct cell *c;
	long err = HAVEN_OK;

	if (READ_ONCE(hv.sealed))
		return HAVEN_E_SEALED;
	spin_lock(&cells_lock);
	c = created_cell(id);
	if (!c)
		err = HAVEN_E_NOCELL;
	else if (!is_stopped(c->state))
		err = HAVEN_E_RUNNING;
	else if (c->state != HAVEN_CELL_LOADING && !(err = cell_memory_open_loadable(c)))
		WRITE_ONCE(c->state, HAVEN_CELL_LOADING);
	spin_unlock(&cells_lock);
	return err;
}

/* All cells of the final layout running: seal, for good. */
static void maybe_seal(void)
{
	u32 id, final = hv.sys->final_cells;

	if (!final)
		return;
	for (id = 1; id < HAVEN_MAX_CELLS; id++)
		if ((final & BIT(id)) && READ_ONCE(cells[id].state) != HAVEN_CELL_RUNNING)
			return;
	WRITE_ONCE(hv.sealed, true);
	printk("layout sealed: create, load, shutdown, destroy and disable are refused until reboot\n");
}

static bool entry_valid(const struct cell *c, u64 entry)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if ((r[i].flags & HAVEN_MEM_EXEC) && entry >= r[i].virt_start &&
		    entry - r[i].virt_start < r[i].size && !(entry & 3))
			return true;
	return false;
}

static void comm_reset(struct cell *c)
{
	if (!c->comm)
		return;
	memset(c->comm, 0, PAGE_SIZE);
	memcpy(c->comm->magic, HAVEN_COMM_MAGIC, sizeof(c->comm->magic));
	c->comm->cell_state = HAVEN_COMM_RUNNING;
	c->comm->counter_freq = read_sysreg(cntfrq_el0);
	sched_comm_info(c, &c->comm->sched);
	/* the cell reads it first with its MMU off */
	dcache_clean_inval_range((u64)c->comm, PAGE_SIZE);
}

/* Park every CPU of the cell; the root waits (a cell cannot mask Haven's SGI). */
static long stop_cpus(struct cell *c)
{
	u64 freq = read_sysreg(cntfrq_el0);
	u64 deadline = read_sysreg(cntpct_el0) + freq / 1000 * STOP_TIMEOUT_MS;
	u32 i;
	bool all;

	WRITE_ONCE(c->stopping, true);
	dsb(ish);
	do {
		all = true;
		for (i = 0; i < hv.sys->platform.num_cpus; i++) {
			if (!(c->cpus & BIT(i)) || cpu_is_parked(c, i))
				continue;
			all = false;
			/* again if it was woken by the cell's CPU_ON in the meantime */
			if (!cpu_stop_requested(c, i))
				cpu_request_stop(c, i);
		}
		if (read_sysreg(cntpct_el0) > deadline) {
			printk("cell '%s': CPUs did not stop\n", c->name);
			return HAVEN_E_BUSY;
		}
	} while (!all);
	return HAVEN_OK;
}

static long start_locked(struct cell *c, u64 entry, u64 boot_arg)
{
	const struct haven_mem_region *load = find_region(c, HAVEN_MEM_LOADABLE);
	const struct haven_mem_region *comm = find_region(c, HAVEN_MEM_COMM);
	u32 first = __builtin_ctzl(c->cpus);
	long err;

	if (!is_stopped(c->state))
		return HAVEN_E_RUNNING;
	if (entry == HAVEN_ENTRY_DEFAULT)
		entry = load ? load->virt_start : cell_regions(c)->virt_start;
	if (!entry_valid(c, entry))
		return HAVEN_E_INVAL;
	err = stop_cpus(c); /* all parked: a restart begins from one CPU */
	if (err)
		return err;
	if (c->state == HAVEN_CELL_LOADING)
		cell_memory_close_loadable(c);
	cell_memory_clean(c);
	pci_quiesce_functions(c); /* no DMA left running from its last run */
	comm_reset(c);
	vuart_reset(&c->vuart);
	c->denials_logged = 0;
	c->denial_kinds_logged = 0;
	console_flush_cell(&c->console, c->name); /* what its last run left unfinished */
	if (boot_arg == HAVEN_BOOT_ARG_DEFAULT)
		boot_arg = comm ? comm->virt_start : 0;
	c->failed_cpus = 0;
	c->starts++;
	c->start_time = read_sysreg(cntpct_el0);
	WRITE_ONCE(c->stopping, false);
	WRITE_ONCE(c->reset_requested, false);
	__atomic_store_n(&c->state, HAVEN_CELL_RUNNING, __ATOMIC_RELEASE);
	if (!cpu_wake(c, first, entry, boot_arg))
		panic("cell %s: CPU %u left its park\n", c->name, first);
	printk("cell '%s' started on CPU %u at 0x%lx\n", c->name, first, entry);
	maybe_seal();
	return HAVEN_OK;
}

long cell_start(u64 id, u64 entry, u64 boot_arg)
{
	struct cell *c;
	long err;

	spin_lock(&cells_lock);
	c = created_cell(id);
	err = c ? start_locked(c, entry, boot_arg) : HAVEN_E_NOCELL;
	spin_unlock(&cells_lock);
	return err;
}

/* The cell has stopped: shut down, unless it failed on the way. */
void cell_mark_stopped(struct cell *c)
{
	u32 s = READ_ONCE(c->state);

	while ((s == HAVEN_CELL_RUNNING || s == HAVEN_CELL_SHUTTING_DOWN) &&
	       !__atomic_compare_exchange_n(&c->state, &s, HAVEN_CELL_SHUT_DOWN, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	if (c->comm && READ_ONCE(c->state) == HAVEN_CELL_SHUT_DOWN)
		WRITE_ONCE(c->comm->cell_state, HAVEN_COMM_SHUT_DOWN);
}

static long shutdown_locked(struct cell *c, u64 flags, u64 *state)
{
	long err = HAVEN_OK;

	switch (READ_ONCE(c->state)) {
	case HAVEN_CELL_RUNNING:
		if (c->comm)
			WRITE_ONCE(c->comm->cell_state, HAVEN_COMM_SHUTDOWN_REQUESTED);
		WRITE_ONCE(c->state, HAVEN_CELL_SHUTTING_DOWN);
		printk("cell '%s': shutdown requested\n", c->name);
		break;
	case HAVEN_CELL_SHUTTING_DOWN:
		break;
	default:
		return HAVEN_E_NOT_RUNNING;
	}
	if (!c->comm)
		flags |= HAVEN_SHUTDOWN_FORCE; /* no page to ask through */
	if ((flags & HAVEN_SHUTDOWN_FORCE) ||
	    (c->comm && READ_ONCE(c->comm->cell_ack) == HAVEN_COMM_SHUT_DOWN)) {
		err = stop_cpus(c);
		if (!err) {
			cell_mark_stopped(c);
			printk("cell '%s': %s\n", c->name,
			       flags & HAVEN_SHUTDOWN_FORCE ? "stopped by Haven" : "shut down");
		}
	}
	*state = READ_ONCE(c->state);
	return err;
}

long cell_shutdown(u64 id, u64 flags, u64 *state)
{
	struct cell *c;
	long err;

	if (READ_ONCE(hv.sealed))
		return HAVEN_E_SEALED;
	if (flags & ~(u64)HAVEN_SHUTDOWN_FORCE)
		return HAVEN_E_INVAL;
	spin_lock(&cells_lock);
	c = created_cell(id);
	err = c ? shutdown_locked(c, flags, state) : HAVEN_E_NOCELL;
	spin_unlock(&cells_lock);
	return err;
}

static long destroy_locked(struct cell *c)
{
	long err;

	if (!is_stopped(c->state))
		return HAVEN_E_RUNNING;
	/* a CPU that stopped the cell itself may still be on its way to park */
	err = stop_cpus(c);
	if (err)
		return err;
	if (c->state == HAVEN_CELL_LOADING)
		cell_memory_close_loadable(c);
	console_flush_cell(&c->console, c->name);
	/* its devices stop before its memory is scrubbed and its streams go back */
	pci_quiesce_functions(c);
	smmu_streams_to_root(c);
	cell_memory_scrub(c);
	cell_memory_give_back(c);
	root_take_back_spis(c);
	/* a shared CPU goes back when its last cell goes */
	root_cell.cpus |= c->cpus & ~cpus_of_other_cells(c);
	free_cell_tables(c);
	__atomic_store_n(&c->state, HAVEN_CELL_NONE, __ATOMIC_RELEASE);
	printk("cell '%s' destroyed: CPUs 0x%lx back to the root, %lu pool pages used\n",
	       c->name, c->cpus, hv.pool.used);
	return HAVEN_OK;
}

long cell_destroy(u64 id)
{
	struct cell *c;
	long err;

	if (READ_ONCE(hv.sealed))
		return HAVEN_E_SEALED;
	spin_lock(&cells_lock);
	c = created_cell(id);
	err = c ? destroy_locked(c) : HAVEN_E_NOCELL;
	spin_unlock(&cells_lock);
	return err;
}

bool cells_exist(void)
{
	u32 id;

	for (id = 1; id < HAVEN_MAX_CELLS; id++)
		if (READ_ONCE(cells[id].state) != HAVEN_CELL_NONE)
			return true;
	return false;
}

long cell_vuart_input(u64 id, u64 bytes, u64 count, u64 *taken)
{
	struct cell *c;
	long err = HAVEN_OK;

	if (count == 0 || count > HAVEN_VUART_INPUT_MAX)
		return HAVEN_E_INVAL;
	spin_lock(&cells_lock);
	c = created_cell(id);
	if (!c)
		err = HAVEN_E_NOCELL;
	else if (!c->vuart.base)
		err = HAVEN_E_NODEV;
	else if (READ_ONCE(c->state) != HAVEN_CELL_RUNNING)
		err = HAVEN_E_NOT_RUNNING;
	if (!err) {
		/* its prompt, if it waits for this input */
		console_flush_cell(&c->console, c->name);
		*taken = vuart_input(&c->vuart, bytes, (u32)count);
	}
	spin_unlock(&cells_lock);
	return err;
}
