// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page-table builder, 4 KiB granule: level n entries cover 1 << (39 - 9n)
 * bytes; levels 1 and 2 may hold block descriptors (Arm ARM D8.3.1).
 */
#include <paging.h>

#define ATTR_MASK (~(PT_ADDR_MASK | PT_VALID | PT_TABLE))

static hv_u64 level_size(unsigned int level)
{
	return 1ULL << (39 - 9 * level);
}

static unsigned int index_of(hv_u64 va, unsigned int level)
{
	return (va >> (39 - 9 * level)) & (PT_ENTRIES - 1);
}

static int is_table(hv_u64 desc, unsigned int level)
{
	return level < 3 && (desc & (PT_VALID | PT_TABLE)) == (PT_VALID | PT_TABLE);
}

static hv_u64 *table_of(hv_u64 desc)
{
	return (hv_u64 *)(uintptr_t)(desc & PT_ADDR_MASK);
}

static hv_u64 leaf_desc(hv_u64 pa, hv_u64 attrs, unsigned int level)
{
	return (pa & PT_ADDR_MASK) | (attrs & ATTR_MASK) | PT_AF | PT_VALID |
	       (level == 3 ? PT_TABLE : 0);
}

/* Free the table tree an entry points to and clear the entry. */
static void free_subtree(hv_u64 *entry, unsigned int level,
			 const struct pt_ops *ops)
{
	if (is_table(*entry, level)) {
		pt_destroy(&(struct pt_root){ table_of(*entry), level + 1 }, ops);
		ops->free_page(ops->ctx, *entry & PT_ADDR_MASK);
	}
	*entry = 0;
}

/* Replace a block by a table of next-level leaves with the same mapping. */
static int split_block(hv_u64 *entry, unsigned int level,
		       const struct pt_ops *ops)
{
	hv_u64 block = *entry, sub = level_size(level + 1);
	hv_u64 page = ops->alloc_page(ops->ctx);
	hv_u64 *t = (hv_u64 *)(uintptr_t)page;
	unsigned int i;

	if (!page)
		return -1;
	for (i = 0; i < PT_ENTRIES; i++)
		t[i] = leaf_desc((block & PT_ADDR_MASK) + i * sub,
				 block & ATTR_MASK, level + 1);
	*entry = page | PT_VALID | PT_TABLE;
	return 0;
}

/* The next-level table under *entry, created (or split from a block) if needed. */
static hv_u64 *next_table(hv_u64 *entry, unsigned int level,
			  const struct pt_ops *ops)
{
	hv_u64 page;

	if (is_table(*entry, level))
		return table_of(*entry);
	if (*entry & PT_VALID) {
		if (split_block(entry, level, ops))
			return 0;
		return table_of(*entry);
	}
	page = ops->alloc_page(ops->ctx);
	if (!page)
		return 0;
	*entry = page | PT_VALID | PT_TABLE;
	return table_of(*entry);
}

/*
 * After a map into the table under *entry (level + 1): if it now holds one
 * contiguous, aligned range of leaves with equal attributes, a block at this
 * level says the same; the table goes back to the pool. So memory that was
 * split for a cell and given back costs no table afterwards.
 */
static void merge_table(hv_u64 *entry, unsigned int level, const struct pt_ops *ops)
{
	const hv_u64 *t = table_of(*entry);
	hv_u64 first = t[0], sub = level_size(level + 1);
	unsigned int i;

	if (level < 1 || !(first & PT_VALID) || is_table(first, level + 1) ||
	    (first & PT_ADDR_MASK) & (level_size(level) - 1))
		return;
	for (i = 1; i < PT_ENTRIES; i++)
		if (t[i] != first + i * sub)
			return;
	free_subtree(entry, level, ops);
	*entry = leaf_desc(first & PT_ADDR_MASK, first & ATTR_MASK, level);
}

/*
 * Set [va, va + size) under table to leaves for pa (attrs), or clear it when
 * unmap. Entries covered whole become one block or are cleared; partly
 * covered ones get a next-level table (split from a block if needed).
 */
static int update_level(hv_u64 *table, unsigned int level,
			const struct pt_ops *ops, hv_u64 va, hv_u64 pa,
			hv_u64 size, hv_u64 attrs, int unmap)
{
	while (size) {
		hv_u64 bsize = level_size(level);
		hv_u64 chunk = bsize - (va & (bsize - 1));
		hv_u64 *entry = &table[index_of(va, level)];

		if (chunk > size)
			chunk = size;
		if (unmap && !(*entry & PT_VALID)) {
			/* nothing mapped here */
		} else if (chunk == bsize &&
			   (unmap || level == 3 || (level >= 1 && !(pa & (bsize - 1))))) {
			free_subtree(entry, level, ops);
			if (!unmap)
				*entry = leaf_desc(pa, attrs, level);
		} else {
			hv_u64 *next = next_table(entry, level, ops);

			if (!next || update_level(next, level + 1, ops, va, pa, chunk,
						  attrs, unmap))
				return -1;
			if (!unmap)
				merge_table(entry, level, ops);
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int pt_map(struct pt_root *root, const struct pt_ops *ops, hv_u64 va,
	   hv_u64 pa, hv_u64 size, hv_u64 attrs)
{
	if ((va | pa | size) & 0xfff || va + size < va ||
	    va + size > 1ULL << (48 - 9 * root->start_level)) /* past the root */
		return -1;
	return update_level(root->table, root->start_level, ops, va, pa, size,
			    attrs, 0);
}

int pt_unmap(struct pt_root *root, const struct pt_ops *ops, hv_u64 va,
	     hv_u64 size)
{
	if ((va | size) & 0xfff || va + size < va ||
	    va + size > 1ULL << (48 - 9 * root->start_level))
		return -1;
	return update_level(root->table, root->start_level, ops, va, 0, size, 0,
			    1);
}

int pt_walk(const struct pt_root *root, hv_u64 va, hv_u64 *pa, hv_u64 *attrs,
	    unsigned int *level)
{
	const hv_u64 *table = root->table;
	unsigned int l;

	for (l = root->start_level; l <= 3; l++) {
		hv_u64 desc = table[index_of(va, l)];

		if (!(desc & PT_VALID))
			return -1;
		if (is_table(desc, l)) {
			table = table_of(desc);
			continue;
		}
		if (l == 0 || (l < 3 && (desc & PT_TABLE)))
			return -1;
		*pa = (desc & PT_ADDR_MASK & ~(level_size(l) - 1)) +
		      (va & (level_size(l) - 1));
		*attrs = desc & ATTR_MASK;
		*level = l;
		return 0;
	}
	return -1;
}

void pt_destroy(struct pt_root *root, const struct pt_ops *ops)
{
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		hv_u64 desc = root->table[i];

		if (!is_table(desc, root->start_level))
			continue;
		pt_destroy(&(struct pt_root){ table_of(desc), root->start_level + 1 },
			   ops);
		ops->free_page(ops->ctx, desc & PT_ADDR_MASK);
		root->table[i] = 0;
	}
}

static void count_level(const hv_u64 *table, unsigned int level, hv_u64 counts[4])
{
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		if (!(table[i] & PT_VALID))
			continue;
		if (is_table(table[i], level))
			count_level(table_of(table[i]), level + 1, counts);
		else
			counts[level]++;
	}
}

void pt_count_leaves(const struct pt_root *root, hv_u64 counts[4])
{
	counts[0] = counts[1] = counts[2] = counts[3] = 0;
	count_level(root->table, root->start_level, counts);
}
