/* SPDX-License-Identifier: GPL-2.0-only */
/* Page allocator over the part of hypervisor memory after image and config. */
#ifndef HAVEN_MEM_POOL_H
#define HAVEN_MEM_POOL_H

#include <haven/config.h>
#include <paging.h>

/* Up to 64 MiB of pool: one bit per page. */
#define MEM_POOL_MAX_PAGES 16384

struct mem_pool {
	hv_u64 base;
	hv_u64 pages;
	hv_u64 used;
	hv_u64 bitmap[MEM_POOL_MAX_PAGES / 64];
};

void mem_pool_init(struct mem_pool *pool, hv_u64 base, hv_u64 pages);
hv_u64 mem_pool_alloc(struct mem_pool *pool); /* zeroed page or 0 */
void mem_pool_free(struct mem_pool *pool, hv_u64 page);
/* pt_ops drawing page-table pages from a pool */
void mem_pool_pt_ops(struct mem_pool *pool, struct pt_ops *ops);

#endif
