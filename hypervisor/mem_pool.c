// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page pool. Filled once at enable; after that only page tables of cells
 * come from it, so the hypervisor never allocates memory it was not given.
 */
#include <mem_pool.h>

void mem_pool_init(struct mem_pool *pool, hv_u64 base, hv_u64 pages)
{
	hv_u64 i;

	pool->base = base;
	pool->pages = pages > MEM_POOL_MAX_PAGES ? MEM_POOL_MAX_PAGES : pages;
	pool->used = 0;
	for (i = 0; i < MEM_POOL_MAX_PAGES / 64; i++)
		pool->bitmap[i] = 0;
}

hv_u64 mem_pool_alloc(struct mem_pool *pool)
{
	hv_u64 i, w;

	for (w = 0; w * 64 < pool->pages; w++) {
		if (pool->bitmap[w] == ~0ULL)
			continue;
		for (i = w * 64; i < (w + 1) * 64 && i < pool->pages; i++) {
			hv_u64 *word = &pool->bitmap[i / 64];
			volatile hv_u64 *page;
			unsigned int k;

			if (*word & (1ULL << (i % 64)))
				continue;
			*word |= 1ULL << (i % 64);
			pool->used++;
			page = (volatile hv_u64 *)(uintptr_t)(pool->base + i * HAVEN_PAGE_SIZE);
			for (k = 0; k < HAVEN_PAGE_SIZE / 8; k++)
				page[k] = 0;
			return pool->base + i * HAVEN_PAGE_SIZE;
		}
	}
	return 0;
}

void mem_pool_free(struct mem_pool *pool, hv_u64 page)
{
	hv_u64 i = (page - pool->base) / HAVEN_PAGE_SIZE;

	if (page < pool->base || (page - pool->base) % HAVEN_PAGE_SIZE ||
	    i >= pool->pages || !(pool->bitmap[i / 64] & (1ULL << (i % 64))))
		return;
	pool->bitmap[i / 64] &= ~(1ULL << (i % 64));
	pool->used--;
}

static hv_u64 pool_alloc_page(void *ctx)
{
	return mem_pool_alloc(ctx);
}

static void pool_free_page(void *ctx, hv_u64 page)
{
	mem_pool_free(ctx, page);
}

void mem_pool_pt_ops(struct mem_pool *pool, struct pt_ops *ops)
{
	ops->alloc_page = pool_alloc_page;
	ops->free_page = pool_free_page;
	ops->ctx = pool;
}
