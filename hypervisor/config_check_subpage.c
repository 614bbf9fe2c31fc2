// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation of sub-page device windows (HAVEN_MEM_SUBPAGE, config.h): the
 * region itself, and its bytes against the other cells' (within a cell,
 * config_check.c's overlap rule holds for windows too). Pure code, like
 * config_check.c.
 */
#include <config_check.h>

#define PAGE_OFFSET_MASK (HAVEN_PAGE_SIZE - 1)

static int overlap(hv_u64 a, hv_u64 as, hv_u64 b, hv_u64 bs)
{
	return a < b + bs && b < a + as;
}

static hv_u64 page_down(hv_u64 v)
{
	return v & ~PAGE_OFFSET_MASK;
}

/* Bytes from the start of base's page to the end of the last page touched. */
static hv_u64 page_span(hv_u64 base, hv_u64 size)
{
	return page_down(base + size - 1) + HAVEN_PAGE_SIZE - page_down(base);
}

int haven_cfg_is_window(const struct haven_mem_region *r)
{
	return (r->flags & HAVEN_MEM_SUBPAGE) != 0;
}

/* The smallest access width the window allows, in bytes (widths not 0). */
static hv_u64 smallest_width(hv_u64 flags)
{
	hv_u64 w = (flags & HAVEN_MEM_WIDTHS) >> 8, bytes = 1;

	while (!(w & 1)) {
		w >>= 1;
		bytes <<= 1;
	}
	return bytes;
}

/*
 * Is the window in Haven's memory or devices (all page-aligned, so a page
 * of the window is in them exactly when some of its bytes are)?
 */
static int on_haven_page(const struct haven_mem_region *r,
			 const struct haven_system *sys)
{
	const struct haven_platform *p = &sys->platform;
	hv_u64 b = r->phys_start, s = r->size;

	return overlap(b, s, sys->hv_mem_base, sys->hv_mem_size) ||
	       overlap(b, s, p->gicd_base, p->gicd_size) ||
	       overlap(b, s, p->gicr_base, p->gicr_size) ||
	       (p->smmu_size && overlap(b, s, p->smmu_base, p->smmu_size)) ||
	       (p->pci_ecam_size &&
		overlap(b, s, p->pci_ecam_base, p->pci_ecam_size)) ||
	       (p->uart_type != HAVEN_UART_NONE &&
		overlap(b, s, p->uart_base, HAVEN_PAGE_SIZE));
}

unsigned int haven_cfg_window_rule(const struct haven_mem_region *r,
				   const struct haven_system *sys, hv_u64 *value)
{
	const hv_u64 not_with = HAVEN_MEM_EXEC | HAVEN_MEM_LOADABLE |
				HAVEN_MEM_EMULATED;
	hv_u64 w;

	*value = r->flags;
	if ((r->flags & ~HAVEN_MEM_ALL_FLAGS) || !(r->flags & HAVEN_MEM_READ))
		return HAVEN_CFG_REGION_FLAGS;
	if (!(r->flags & HAVEN_MEM_IO) || (r->flags & not_with) ||
	    !(r->flags & HAVEN_MEM_WIDTHS))
		return HAVEN_CFG_SUBPAGE_FLAGS;
	*value = r->size;
	if (!r->size || r->phys_start + r->size < r->phys_start ||
	    r->virt_start + r->size < r->virt_start ||
	    page_span(r->phys_start, r->size) >
		    HAVEN_SUBPAGE_MAX_PAGES * HAVEN_PAGE_SIZE)
		return HAVEN_CFG_SUBPAGE_SIZE;
	*value = r->virt_start + r->size > HAVEN_IPA_LIMIT ? r->virt_start :
							      r->phys_start;
	if (r->phys_start + r->size > HAVEN_PA_LIMIT ||
	    r->virt_start + r->size > HAVEN_IPA_LIMIT)
		return HAVEN_CFG_REGION_RANGE;
	/* Haven's own access must be naturally aligned on the device too */
	w = smallest_width(r->flags);
	*value = r->phys_start % w ? r->phys_start :
		 r->size % w ? r->size : r->virt_start;
	if (r->phys_start % w || r->virt_start % w || r->size % w ||
	    (r->phys_start ^ r->virt_start) & PAGE_OFFSET_MASK)
		return HAVEN_CFG_SUBPAGE_ALIGN;
	*value = r->phys_start;
	if (on_haven_page(r, sys))
		return HAVEN_CFG_SUBPAGE_HAVEN_DEVICE;
	return HAVEN_CFG_OK;
}

/*
 * Region rb of a later declared cell against region ra of an earlier cell
 * (a_root: the root): a window shares no byte (and so, regions being whole
 * pages otherwise, no page) with another cell's region, except that the
 * root's mapped pages are handed over while the cell exists; the root's
 * own windows never are. Regions of other kinds: config_check.c.
 */
static int windows_clash(const struct haven_mem_region *ra,
			 const struct haven_mem_region *rb, int a_root)
{
	if ((ra->flags | rb->flags) & HAVEN_MEM_EMULATED)
		return 0; /* no physical range */
	if (!haven_cfg_is_window(ra) &&
	    (!haven_cfg_is_window(rb) || a_root))
		return 0;
	return overlap(ra->phys_start, ra->size, rb->phys_start, rb->size);
}

int haven_cfg_window_clash(const void *buf, const struct haven_cell *a,
			   int a_root, const struct haven_cell *b)
{
	const struct haven_mem_region *ra = haven_cfg_regions(buf, a);
	const struct haven_mem_region *rb = haven_cfg_regions(buf, b);
	hv_u32 i, j;

	for (i = 0; i < b->num_mem_regions; i++)
		for (j = 0; j < a->num_mem_regions; j++)
			if (windows_clash(&ra[j], &rb[i], a_root))
				return (int)i;
	return -1;
}
