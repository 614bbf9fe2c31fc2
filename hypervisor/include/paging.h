/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A VMSAv8-64 page-table builder for the 4 KiB granule (Arm ARM D8.3),
 * shared by the EL2 stage-1 map and the cells' stage-2 maps. Pure code:
 * the caller supplies the leaf attributes in the format of its regime and
 * a page allocator; table addresses are used as pointers (identity map).
 */
#ifndef HAVEN_PAGING_H
#define HAVEN_PAGING_H

#include <haven/types.h>
#include <stdint.h>

#define PT_VALID (1ULL << 0)
#define PT_TABLE (1ULL << 1) /* table at levels 0-2, page at level 3 */
#define PT_AF (1ULL << 10)
#define PT_ADDR_MASK 0x0000fffffffff000ULL
#define PT_ENTRIES 512

struct pt_ops {
	/* returns a zeroed, page-aligned page, or 0 */
	hv_u64 (*alloc_page)(void *ctx);
	void (*free_page)(void *ctx, hv_u64 page);
	void *ctx;
};

/* A translation table tree; start_level 0..2, root is one page. */
struct pt_root {
	hv_u64 *table;
	unsigned int start_level;
};

/*
 * Map [va, va + size) to pa with attrs (all descriptor bits but type and
 * address). Uses 1 GiB / 2 MiB blocks where va, pa and size allow.
 * Returns 0, or -1 when out of pages or on misaligned input.
 */
int pt_map(struct pt_root *root, const struct pt_ops *ops, hv_u64 va,
	   hv_u64 pa, hv_u64 size, hv_u64 attrs);
/* Unmap [va, va + size), splitting blocks that are partly covered. */
int pt_unmap(struct pt_root *root, const struct pt_ops *ops, hv_u64 va,
	     hv_u64 size);
/* Translate va; returns 0 and fills *pa, *attrs, *level, or -1 if unmapped. */
int pt_walk(const struct pt_root *root, hv_u64 va, hv_u64 *pa, hv_u64 *attrs,
	    unsigned int *level);
/* Free all tables below the root (not the root page itself). */
void pt_destroy(struct pt_root *root, const struct pt_ops *ops);
/* Count leaf entries by level (blocks at 1 and 2, pages at 3). */
void pt_count_leaves(const struct pt_root *root, hv_u64 counts[4]);

#endif
