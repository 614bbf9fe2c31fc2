// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of hypervisor/mem_pool.c: the bitmap page allocator and the
 * pt_ops it hands to the page-table code. Pools are backed by exactly-sized
 * heap blocks, so any access outside the pool trips ASan.
 */
#include <mem_pool.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define PAGE HAVEN_PAGE_SIZE

static struct mem_pool pool; /* ~2 KiB of bitmap: keep it off the stack */

/*
 * A page-aligned block of pages filled with garbage; the block of the
 * previous test is freed here, so a test that fails half-way leaks nothing.
 */
static hv_u8 *backing_mem;

static hv_u8 *backing(hv_u64 pages)
{
	free(backing_mem);
	backing_mem = aligned_alloc(PAGE, pages * PAGE);
	if (backing_mem)
		memset(backing_mem, 0xa5, pages * PAGE);
	return backing_mem;
}

static int page_is_zero(hv_u64 page)
{
	const hv_u8 *p = (const hv_u8 *)(uintptr_t)page;
	hv_u64 i;

	for (i = 0; i < PAGE; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_alloc_distinct_zeroed_in_range(void)
{
	enum { N = 70 }; /* not a multiple of 64: a partial last bitmap word */
	hv_u8 *mem = backing(N);
	hv_u64 base = (hv_u64)(uintptr_t)mem, got[N];
	int i, j;

	CHECK(mem);
	mem_pool_init(&pool, base, N);
	CHECK_EQ(pool.pages, N);
	CHECK_EQ(pool.used, 0);
	for (i = 0; i < N; i++) {
		got[i] = mem_pool_alloc(&pool);
		CHECK(got[i] != 0);
		CHECK(got[i] >= base && got[i] + PAGE <= base + N * PAGE);
		CHECK_EQ(got[i] % PAGE, 0);
		CHECK(page_is_zero(got[i]));
		CHECK_EQ(pool.used, (hv_u64)i + 1);
		for (j = 0; j < i; j++)
			CHECK(got[j] != got[i]);
		/* the caller owns the page: dirty it */
		memset((void *)(uintptr_t)got[i], 0x5a, PAGE);
	}
}

static void test_exhaustion_returns_0(void)
{
	enum { N = 130 };
	hv_u8 *mem = backing(N);
	int i;

	CHECK(mem);
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, N);
	for (i = 0; i < N; i++)
		CHECK(mem_pool_alloc(&pool) != 0);
	CHECK_EQ(mem_pool_alloc(&pool), 0);
	CHECK_EQ(mem_pool_alloc(&pool), 0);
	CHECK_EQ(pool.used, N);
}

static void test_empty_pool(void)
{
	hv_u8 *mem = backing(1);

	CHECK(mem);
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, 0);
	CHECK_EQ(mem_pool_alloc(&pool), 0);
	CHECK_EQ(pool.used, 0);
	mem_pool_free(&pool, (hv_u64)(uintptr_t)mem);
	CHECK_EQ(pool.used, 0);
}

static void test_free_then_realloc(void)
{
	enum { N = 100 };
	hv_u8 *mem = backing(N);
	hv_u64 pages[N], again;
	int i;

	CHECK(mem);
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, N);
	for (i = 0; i < N; i++) {
		pages[i] = mem_pool_alloc(&pool);
		CHECK(pages[i]);
		memset((void *)(uintptr_t)pages[i], 0xff, PAGE);
	}
	/* free one page in the second bitmap word: the only one to reuse */
	mem_pool_free(&pool, pages[77]);
	CHECK_EQ(pool.used, N - 1);
	again = mem_pool_alloc(&pool);
	CHECK_EQ(again, pages[77]);
	CHECK(page_is_zero(again)); /* zeroed again on reuse */
	CHECK_EQ(pool.used, N);
	CHECK_EQ(mem_pool_alloc(&pool), 0);

	/* free all, allocate all again */
	for (i = 0; i < N; i++)
		mem_pool_free(&pool, pages[i]);
	CHECK_EQ(pool.used, 0);
	for (i = 0; i < N; i++)
		CHECK(mem_pool_alloc(&pool));
	CHECK_EQ(pool.used, N);
}

static void test_double_and_foreign_free_ignored(void)
{
	enum { N = 8 };
	hv_u8 *mem = backing(N);
	hv_u64 base = (hv_u64)(uintptr_t)mem, a, b;

	CHECK(mem);
	mem_pool_init(&pool, base, N);
	a = mem_pool_alloc(&pool);
	b = mem_pool_alloc(&pool);
	CHECK(a && b && a != b);
	CHECK_EQ(pool.used, 2);

	mem_pool_free(&pool, a);
	CHECK_EQ(pool.used, 1);
	mem_pool_free(&pool, a); /* double free */
	CHECK_EQ(pool.used, 1);

	/* a never-allocated page of the pool */
	mem_pool_free(&pool, base + 5 * PAGE);
	CHECK_EQ(pool.used, 1);
	/* outside the pool */
	mem_pool_free(&pool, base - PAGE);
	mem_pool_free(&pool, base + N * PAGE);
	mem_pool_free(&pool, base + 1000 * PAGE);
	mem_pool_free(&pool, 0);
	mem_pool_free(&pool, ~0ULL & ~(PAGE - 1));
	CHECK_EQ(pool.used, 1);
	/* an address inside b that is not b's page address */
	mem_pool_free(&pool, b + 8);
	mem_pool_free(&pool, b + PAGE - 1);
	CHECK_EQ(pool.used, 1);

	/* b is still allocated: the next allocations are other pages */
	for (a = mem_pool_alloc(&pool); a; a = mem_pool_alloc(&pool))
		CHECK(a != b);
	CHECK_EQ(pool.used, N);
}

static void test_pool_clamped_to_max_pages(void)
{
	/* backing for the maximum only: a page beyond would be a heap overflow */
	hv_u8 *mem = backing(MEM_POOL_MAX_PAGES);
	hv_u64 base = (hv_u64)(uintptr_t)mem, i, p, last = 0;

	CHECK(mem);
	mem_pool_init(&pool, base, MEM_POOL_MAX_PAGES + 1000);
	CHECK_EQ(pool.pages, MEM_POOL_MAX_PAGES);
	for (i = 0; i < MEM_POOL_MAX_PAGES; i++) {
		p = mem_pool_alloc(&pool);
		if (!p || p < base || p >= base + MEM_POOL_MAX_PAGES * PAGE)
			FAILF("allocation %llu: 0x%llx outside the pool",
			      (unsigned long long)i, (unsigned long long)p);
		if (p > last)
			last = p;
	}
	CHECK_EQ(last, base + (MEM_POOL_MAX_PAGES - 1) * PAGE);
	CHECK_EQ(mem_pool_alloc(&pool), 0);
	CHECK_EQ(pool.used, MEM_POOL_MAX_PAGES);
}

/* Re-initialising forgets all allocations. */
static void test_init_resets(void)
{
	enum { N = 4 };
	hv_u8 *mem = backing(N);
	int i;

	CHECK(mem);
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, N);
	for (i = 0; i < N; i++)
		CHECK(mem_pool_alloc(&pool));
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, N);
	CHECK_EQ(pool.used, 0);
	for (i = 0; i < N; i++)
		CHECK(mem_pool_alloc(&pool));
	CHECK_EQ(mem_pool_alloc(&pool), 0);
}

/* The page-table code drawing from a pool: tables come and go with it. */
static void test_pt_ops(void)
{
	enum { N = 16 };
	hv_u8 *mem = backing(N);
	struct pt_ops ops;
	struct pt_root root;
	hv_u64 pa, attrs;
	unsigned int level;

	CHECK(mem);
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, N);
	mem_pool_pt_ops(&pool, &ops);
	CHECK(ops.alloc_page && ops.free_page);
	CHECK(ops.ctx == &pool);

	root.table = (hv_u64 *)(uintptr_t)mem_pool_alloc(&pool);
	root.start_level = 1;
	CHECK(root.table);
	CHECK_EQI(pt_map(&root, &ops, 0x40001000, 0x80001000, 0x3000, 0), 0);
	CHECK_EQ(pool.used, 3);
	CHECK_EQI(pt_walk(&root, 0x40002abc, &pa, &attrs, &level), 0);
	CHECK_EQ(pa, 0x80002abc);
	CHECK_EQ(level, 3);
	CHECK_EQI(pt_unmap(&root, &ops, 0x40000000, 0x40000000), 0);
	CHECK_EQ(pool.used, 1);

	/* a pool too small for a table: pt_map fails, nothing leaks */
	mem_pool_init(&pool, (hv_u64)(uintptr_t)mem, 2);
	root.table = (hv_u64 *)(uintptr_t)mem_pool_alloc(&pool);
	CHECK(root.table);
	CHECK_EQI(pt_map(&root, &ops, 0x40001000, 0x80001000, 0x1000, 0), -1);
	pt_destroy(&root, &ops);
	CHECK_EQ(pool.used, 1);
}

int main(void)
{
	RUN(test_alloc_distinct_zeroed_in_range);
	RUN(test_exhaustion_returns_0);
	RUN(test_empty_pool);
	RUN(test_free_then_realloc);
	RUN(test_double_and_foreign_free_ignored);
	RUN(test_pool_clamped_to_max_pages);
	RUN(test_init_resets);
	RUN(test_pt_ops);
	free(backing_mem);
	return UNIT_EXIT();
}
