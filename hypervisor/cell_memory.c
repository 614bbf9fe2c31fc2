// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory handover between the root and a cell. A cell's memory leaves the
 * root's stage-2 at create and comes back, zeroed, at destroy; in between
 * the root sees its loadable regions only while loading a stopped cell.
 * EL2 reaches cell memory and the root's RAM through the identity map
 * built at enable (el2_mmu.c). A cell's sub-page window takes its whole
 * pages from the root, which gets each back once no created cell has a
 * window there; the root's own windows are never mapped.
 */
#include <cell.h>
#include <lib.h>
#include <mmio_subpage.h>
#include <paging.h>
#include <setup.h>
#include <sysregs.h>

/* Memory Haven scrubs and cleans: RAM, not devices or the comm page. */
static bool is_ram(const struct haven_mem_region *r)
{
	return !(r->flags & (HAVEN_MEM_IO | HAVEN_MEM_EMULATED));
}

/*
 * Apply fn to every part of the root's address space that maps physical
 * memory [phys, phys + size): (root IPA, physical address, size, flags of
 * the root's region).
 */
static int for_each_root_alias(u64 phys, u64 size,
			       int (*fn)(u64 ipa, u64 pa, u64 size, u64 flags))
{
	const struct haven_mem_region *rr = cell_regions(&root_cell);
	u32 i;

	for (i = 0; i < root_cell.cfg->num_mem_regions; i++) {
		u64 start = phys > rr[i].phys_start ? phys : rr[i].phys_start;
		u64 end = phys + size < rr[i].phys_start + rr[i].size ?
				  phys + size : rr[i].phys_start + rr[i].size;

		if (rr[i].flags & HAVEN_MEM_SUBPAGE)
			continue; /* not mapped */
		if (start < end &&
		    fn(rr[i].virt_start + (start - rr[i].phys_start), start,
		       end - start, rr[i].flags))
			return -1;
	}
	return 0;
}

static int root_unmap(u64 ipa, u64 pa, u64 size, u64 flags)
{
	(void)pa;
	(void)flags;
	return stage2_unmap(&root_cell, ipa, size);
}

static int root_map(u64 ipa, u64 pa, u64 size, u64 flags)
{
	return stage2_map(&root_cell, ipa, pa, size, flags);
}

/* Region r of cell c, its physical pages in the root: a window's whole pages. */
static int root_aliases(const struct cell *c, const struct haven_mem_region *r,
			int (*fn)(u64 ipa, u64 pa, u64 size, u64 flags))
{
	u64 page, end = r->phys_start + r->size;

	if (r->flags & HAVEN_MEM_EMULATED)
		return 0;
	if (!(r->flags & HAVEN_MEM_SUBPAGE))
		return for_each_root_alias(r->phys_start, r->size, fn);
	/*
	 * A page where another created cell has a window is not the root's
	 * now: it needs no unmap, and goes back only with the last window.
	 */
	for (page = r->phys_start & PAGE_MASK; page < end; page += PAGE_SIZE)
		if (!subpage_page_held(c, page) &&
		    for_each_root_alias(page, PAGE_SIZE, fn))
			return -1;
	return 0;
}

/*
 * Take the cell's memory from the root. Splitting a block can need a page;
 * if the pool runs dry the root gets back what was already taken.
 */
int cell_memory_take(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++) {
		if (root_aliases(c, &r[i], root_unmap)) {
			cell_memory_give_back(c);
			stage2_flush_root();
			return trace_error(HAVEN_E_NOMEM);
		}
	}
	stage2_flush_root();
	return 0;
}

/* Map the cell's memory back into the root where the root had it. */
void cell_memory_give_back(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if (root_aliases(c, &r[i], root_map))
			/* only a region the root mapped before comes back */
			panic("cell %s: cannot return memory to the root\n", c->name);
}

/* Loadable regions appear in the root at IPA = phys, never executable. */
int cell_memory_open_loadable(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if ((r[i].flags & HAVEN_MEM_LOADABLE) &&
		    root_map(r[i].phys_start, r[i].phys_start, r[i].size,
			     HAVEN_MEM_READ | HAVEN_MEM_WRITE)) {
			cell_memory_close_loadable(c);
			return trace_error(HAVEN_E_NOMEM);
		}
	return 0;
}

void cell_memory_close_loadable(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if (r[i].flags & HAVEN_MEM_LOADABLE)
			stage2_unmap(&root_cell, r[i].phys_start, r[i].size);
	stage2_flush_root();
}

/*
 * Zero page-aligned RAM a DC ZVA block at a time (Arm ARM, "DC ZVA": the
 * block is 4 << DCZID_EL0.BS bytes, at most 2 KiB; DCZID_EL0.DZP = 1
 * prohibits it). EL2 maps cell RAM as Normal memory (el2_mmu.c), which DC
 * ZVA needs. A byte loop took about 5 instructions per byte: 690 million
 * for a 128 MiB cell.
 */
static void zero_ram(u64 start, u64 size)
{
	u64 dczid = read_sysreg(dczid_el0);
	u64 block = 4UL << (dczid & 0xf);

	if ((dczid & BIT(4)) || ((start | size) & (block - 1))) {
		memset((void *)start, 0, size);
		return;
	}
	for (; size; size -= block, start += block)
		asm volatile("dc zva, %0" ::"r"(start) : "memory");
	dsb(ish);
}

/* Zero the cell's RAM and push the zeroes to the point of coherency. */
void cell_memory_scrub(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++) {
		if (!is_ram(&r[i]))
			continue;
		zero_ram(r[i].phys_start, r[i].size);
		dcache_clean_inval_range(r[i].phys_start, r[i].size);
	}
}

/*
 * Before a start: what the root loaded may still sit dirty in a cache, and
 * the cell starts with its MMU and caches off (Arm ARM D7.5.9 / B2.4).
 */
void cell_memory_clean(struct cell *c)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if (is_ram(&r[i]))
			dcache_clean_inval_range(r[i].phys_start, r[i].size);
	asm volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

/*
 * Copy from the root's address space: every page must be RAM the root maps
 * (so never hypervisor memory except the read-only console, and never a
 * cell's memory).
 */
int copy_from_root(void *dst, u64 ipa, u64 size)
{
	u8 *out = dst;

	if (ipa + size < ipa)
		return HAVEN_E_INVAL;
	while (size) {
		u64 chunk = PAGE_SIZE - (ipa & ~PAGE_MASK), pa;

		if (chunk > size)
			chunk = size;
		if (stage2_ram_pa(&root_cell, ipa, &pa) ||
		    (pa >= hv.base && pa < hv.base + hv.size))
			return HAVEN_E_INVAL;
		memcpy(out, (const void *)pa, chunk);
		out += chunk;
		ipa += chunk;
		size -= chunk;
	}
	return 0;
}
