// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of hypervisor/paging.c: block/page selection, translation,
 * attributes, block splitting on unmap, freeing of tables and behaviour
 * when the page allocator runs dry. Table pages come from a fake allocator
 * over a static array; free pages are ASan-poisoned, so any access to a
 * table after it was freed aborts the test.
 */
#include <paging.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* ASan's manual poisoning, declared here: clang may lack the header */
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define ASAN_POISON_MEMORY_REGION(a, n) __asan_poison_memory_region((a), (n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) __asan_unpoison_memory_region((a), (n))
#else
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#endif

#define KiB(x) ((hv_u64)(x) << 10)
#define MiB(x) ((hv_u64)(x) << 20)
#define GiB(x) ((hv_u64)(x) << 30)

/* --- fake page allocator ------------------------------------------------ */

#define FAKE_PAGES 2048

static _Alignas(4096) hv_u8 fake_mem[FAKE_PAGES][4096];

static struct fake {
	unsigned char used[FAKE_PAGES];
	unsigned int next; /* round-robin cursor: freed pages are not reused at once */
	unsigned long allocs, frees, live;
	unsigned long budget; /* allocations still allowed */
	unsigned long bad_frees; /* double or foreign frees */
} fake;

static hv_u64 fake_alloc(void *ctx)
{
	struct fake *f = ctx;
	unsigned int n;

	if (!f->budget)
		return 0;
	for (n = 0; n < FAKE_PAGES; n++) {
		unsigned int i = (f->next + n) % FAKE_PAGES;

		if (f->used[i])
			continue;
		f->used[i] = 1;
		f->next = (i + 1) % FAKE_PAGES;
		f->allocs++;
		f->live++;
		f->budget--;
		ASAN_UNPOISON_MEMORY_REGION(fake_mem[i], 4096);
		memset(fake_mem[i], 0, 4096);
		return (hv_u64)(uintptr_t)fake_mem[i];
	}
	return 0;
}

static void fake_free(void *ctx, hv_u64 page)
{
	struct fake *f = ctx;
	uintptr_t base = (uintptr_t)fake_mem, p = (uintptr_t)page;
	unsigned long i;

	if (p < base || p >= base + sizeof(fake_mem) || (p - base) % 4096) {
		f->bad_frees++;
		return;
	}
	i = (p - base) / 4096;
	if (!f->used[i]) {
		f->bad_frees++;
		return;
	}
	/* scribble, then poison: stale descriptors must never be followed */
	memset(fake_mem[i], 0xa5, 4096);
	ASAN_POISON_MEMORY_REGION(fake_mem[i], 4096);
	f->used[i] = 0;
	f->frees++;
	f->live--;
}

static const struct pt_ops ops = { fake_alloc, fake_free, &fake };

static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.budget = ~0UL;
	ASAN_UNPOISON_MEMORY_REGION(fake_mem, sizeof(fake_mem));
	memset(fake_mem, 0xa5, sizeof(fake_mem));
	ASAN_POISON_MEMORY_REGION(fake_mem, sizeof(fake_mem));
}

/* A fresh allocator and an empty root table at start_level. */
static struct pt_root new_root(unsigned int start_level)
{
	struct pt_root root;

	fake_reset();
	root.table = (hv_u64 *)(uintptr_t)fake_alloc(&fake);
	root.start_level = start_level;
	return root;
}

/* Frees everything below the root and the root; 0 if nothing leaked. */
static int teardown(struct pt_root *root)
{
	pt_destroy(root, &ops);
	if (fake.live != 1 || fake.bad_frees)
		return -1;
	fake_free(&fake, (hv_u64)(uintptr_t)root->table);
	return fake.live == 0 && fake.allocs == fake.frees && !fake.bad_frees ? 0 : -1;
}

/* Attribute bits a leaf keeps: everything but type and address. */
#define TEST_ATTRS ((1ULL << 54) | (1ULL << 53) | (3ULL << 8) | (1ULL << 7) | \
		    (1ULL << 6) | (0xfULL << 2) | (1ULL << 11) | (1ULL << 58))

struct xlat {
	int rc;
	hv_u64 pa, attrs;
	unsigned int level;
};

static struct xlat walk(const struct pt_root *root, hv_u64 va)
{
	struct xlat x = { 0, ~0ULL, ~0ULL, ~0U };

	x.rc = pt_walk(root, va, &x.pa, &x.attrs, &x.level);
	return x;
}

/* va translates to pa through a leaf at level; reports the first mismatch. */
#define CHECK_XLAT(root, va, pa_, level_)                                      \
	do {                                                                   \
		hv_u64 va_ = (va);                                             \
		struct xlat x_ = walk((root), va_);                            \
		if (x_.rc || x_.pa != (hv_u64)(pa_) || x_.level != (level_))   \
			FAILF("walk(0x%llx): rc %d pa 0x%llx level %u, "       \
			      "expected pa 0x%llx level %u",                   \
			      (unsigned long long)va_, x_.rc,                  \
			      (unsigned long long)x_.pa, x_.level,             \
			      (unsigned long long)(pa_), (unsigned)(level_));  \
	} while (0)

#define CHECK_UNMAPPED(root, va)                                               \
	do {                                                                   \
		hv_u64 va_ = (va);                                             \
		struct xlat x_ = walk((root), va_);                            \
		if (x_.rc != -1)                                               \
			FAILF("walk(0x%llx): mapped to 0x%llx at level %u, "   \
			      "expected unmapped",                             \
			      (unsigned long long)va_,                         \
			      (unsigned long long)x_.pa, x_.level);            \
	} while (0)

#define CHECK_LEAVES(root, l1, l2, l3)                                         \
	do {                                                                   \
		hv_u64 c_[4];                                                  \
		pt_count_leaves((root), c_);                                   \
		if (c_[0] || c_[1] != (l1) || c_[2] != (l2) || c_[3] != (l3))  \
			FAILF("leaves {%llu,%llu,%llu,%llu}, expected "        \
			      "{0,%llu,%llu,%llu}",                            \
			      (unsigned long long)c_[0],                       \
			      (unsigned long long)c_[1],                       \
			      (unsigned long long)c_[2],                       \
			      (unsigned long long)c_[3],                       \
			      (unsigned long long)(l1),                        \
			      (unsigned long long)(l2),                        \
			      (unsigned long long)(l3));                       \
	} while (0)

/* --- block and page selection ----------------------------------------- */

static void test_map_1g_block(void)
{
	struct pt_root root = new_root(1);

	CHECK(root.table);
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(3), GiB(1), TEST_ATTRS), 0);
	CHECK_EQ(fake.allocs, 1); /* the root only: no table below a 1G block */
	CHECK_LEAVES(&root, 1, 0, 0);
	CHECK_EQ(root.table[1] & 3, 1); /* a block descriptor at index 1 */
	CHECK_XLAT(&root, GiB(1), GiB(3), 1);
	CHECK_XLAT(&root, GiB(1) + 0x12345678, GiB(3) + 0x12345678, 1);
	CHECK_XLAT(&root, GiB(2) - 1, GiB(4) - 1, 1);
	CHECK_UNMAPPED(&root, GiB(1) - 1);
	CHECK_UNMAPPED(&root, GiB(2));
	CHECK_UNMAPPED(&root, 0);
	CHECK(teardown(&root) == 0);
}

static void test_map_1g_block_start_level_0(void)
{
	struct pt_root root = new_root(0);

	CHECK_EQI(pt_map(&root, &ops, GiB(5), GiB(5), GiB(1), TEST_ATTRS), 0);
	CHECK_EQ(fake.allocs, 2); /* root + one level-1 table */
	CHECK_LEAVES(&root, 1, 0, 0);
	CHECK_XLAT(&root, GiB(5) + 0x1000, GiB(5) + 0x1000, 1);
	CHECK_UNMAPPED(&root, GiB(4));
	CHECK(teardown(&root) == 0);
}

static void test_map_2m_block(void)
{
	struct pt_root root = new_root(1);

	CHECK_EQI(pt_map(&root, &ops, GiB(1) + MiB(2), GiB(2) + MiB(6), MiB(2),
			 TEST_ATTRS), 0);
	CHECK_EQ(fake.allocs, 2); /* root + one level-2 table */
	CHECK_LEAVES(&root, 0, 1, 0);
	CHECK_XLAT(&root, GiB(1) + MiB(2), GiB(2) + MiB(6), 2);
	CHECK_XLAT(&root, GiB(1) + MiB(4) - 1, GiB(2) + MiB(8) - 1, 2);
	CHECK_UNMAPPED(&root, GiB(1) + MiB(2) - 1);
	CHECK_UNMAPPED(&root, GiB(1) + MiB(4));
	CHECK(teardown(&root) == 0);
}

static void test_map_4k_pages_unaligned(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1) + 0x1000, pa = GiB(2) + 0x3000, n = 5;
	hv_u64 i;

	CHECK_EQI(pt_map(&root, &ops, va, pa, n * KiB(4), TEST_ATTRS), 0);
	CHECK_EQ(fake.allocs, 3); /* root + level 2 + level 3 */
	CHECK_LEAVES(&root, 0, 0, n);
	for (i = 0; i < n; i++) {
		CHECK_XLAT(&root, va + i * KiB(4), pa + i * KiB(4), 3);
		CHECK_XLAT(&root, va + i * KiB(4) + 0xfff, pa + i * KiB(4) + 0xfff, 3);
	}
	CHECK_UNMAPPED(&root, va - 1);
	CHECK_UNMAPPED(&root, va + n * KiB(4));
	CHECK(teardown(&root) == 0);
}

/* 2M-aligned VA and size, but the PA is only page-aligned: no block. */
static void test_map_pa_misaligned_for_block(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1), pa = GiB(2) + 0x1000;
	hv_u64 i;

	CHECK_EQI(pt_map(&root, &ops, va, pa, MiB(2), TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 0, 0, 512);
	for (i = 0; i < 512; i++)
		CHECK_XLAT(&root, va + i * KiB(4), pa + i * KiB(4), 3);
	CHECK_UNMAPPED(&root, va + MiB(2));
	CHECK(teardown(&root) == 0);
}

/* Pages on both sides of a 2M and of a 1G boundary land in separate tables. */
static void test_map_pages_across_boundaries(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(2) - KiB(8), pa = 0x10000000 - KiB(8);
	hv_u64 i;

	CHECK_EQI(pt_map(&root, &ops, va, pa, KiB(16), TEST_ATTRS), 0);
	/* root + 2 level-2 tables + 2 level-3 tables */
	CHECK_EQ(fake.allocs, 5);
	CHECK_LEAVES(&root, 0, 0, 4);
	for (i = 0; i < 4; i++) {
		CHECK_XLAT(&root, va + i * KiB(4), pa + i * KiB(4), 3);
		CHECK_XLAT(&root, va + i * KiB(4) + 0xfff, pa + i * KiB(4) + 0xfff, 3);
	}
	CHECK_UNMAPPED(&root, va - 1);
	CHECK_UNMAPPED(&root, va + KiB(16));
	CHECK(teardown(&root) == 0);
}

/* The root cell's RAM on QEMU virt: 1008 MiB at 1 GiB, 504 2M blocks. */
static void test_map_root_ram_region(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 base = 0x40000000, size = 0x3f000000;

	CHECK_EQI(pt_map(&root, &ops, base, base, size, TEST_ATTRS), 0);
	CHECK_EQ(fake.allocs, 2);
	CHECK_LEAVES(&root, 0, 504, 0);
	CHECK_XLAT(&root, base, base, 2);
	CHECK_XLAT(&root, base + size - 1, base + size - 1, 2);
	CHECK_UNMAPPED(&root, base + size);
	CHECK_UNMAPPED(&root, base - 1);
	CHECK(teardown(&root) == 0);
}

/*
 * Page, 2M block, 1G block, 2M block, pages:
 * [1G-2M-4K, 1G-2M) page, [1G-2M, 1G) block, [1G, 2G) block,
 * [2G, 2G+2M) block, [2G+2M, 2G+2M+12K) pages.
 */
static void test_map_mixed_blocks(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1) - MiB(2) - KiB(4);
	const hv_u64 size = GiB(1) + 2 * MiB(2) + KiB(4) + KiB(12);
	const hv_u64 off = GiB(8); /* pa = va + off keeps every alignment */

	CHECK_EQI(pt_map(&root, &ops, va, va + off, size, TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 1, 2, 4);
	CHECK_XLAT(&root, va, va + off, 3);
	CHECK_XLAT(&root, GiB(1) - MiB(2), GiB(1) - MiB(2) + off, 2);
	CHECK_XLAT(&root, GiB(1) - 1, GiB(1) - 1 + off, 2);
	CHECK_XLAT(&root, GiB(1), GiB(1) + off, 1);
	CHECK_XLAT(&root, GiB(2) - 1, GiB(2) - 1 + off, 1);
	CHECK_XLAT(&root, GiB(2), GiB(2) + off, 2);
	CHECK_XLAT(&root, GiB(2) + MiB(2), GiB(2) + MiB(2) + off, 3);
	CHECK_XLAT(&root, va + size - 1, va + size - 1 + off, 3);
	CHECK_UNMAPPED(&root, va - 1);
	CHECK_UNMAPPED(&root, va + size);
	CHECK(teardown(&root) == 0);
}

static void test_attrs_preserved(void)
{
	struct pt_root root = new_root(1);
	/* type, address and AF bits in attrs must not leak into the leaf */
	const hv_u64 junk = PT_VALID | PT_TABLE | 0x0000123456789000ULL;
	const hv_u64 want = TEST_ATTRS | PT_AF;
	const hv_u64 a2 = (1ULL << 54) | (1ULL << 2); /* device-like */
	struct xlat x;

	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), GiB(1), TEST_ATTRS | junk), 0);
	CHECK_EQI(pt_map(&root, &ops, GiB(2), GiB(2), MiB(2), TEST_ATTRS), 0);
	CHECK_EQI(pt_map(&root, &ops, GiB(3), GiB(3), KiB(4), TEST_ATTRS), 0);
	CHECK_EQI(pt_map(&root, &ops, GiB(3) + KiB(4), 0x09000000, KiB(4), a2), 0);
	CHECK_LEAVES(&root, 1, 1, 2);

	x = walk(&root, GiB(1) + 5);
	CHECK(x.rc == 0 && x.level == 1);
	CHECK_EQ(x.attrs, want);
	CHECK_EQ(x.pa, GiB(1) + 5);
	x = walk(&root, GiB(2) + 5);
	CHECK(x.rc == 0 && x.level == 2);
	CHECK_EQ(x.attrs, want);
	x = walk(&root, GiB(3) + 5);
	CHECK(x.rc == 0 && x.level == 3);
	CHECK_EQ(x.attrs, want);
	x = walk(&root, GiB(3) + KiB(4) + 5);
	CHECK(x.rc == 0 && x.level == 3);
	CHECK_EQ(x.attrs, a2 | PT_AF);
	CHECK_EQ(x.pa, 0x09000005);

	/* splitting keeps the attributes of the block */
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1) + MiB(7), KiB(4)), 0);
	CHECK_LEAVES(&root, 0, 511 + 1, 511 + 2);
	x = walk(&root, GiB(1) + MiB(7) - 1);
	CHECK(x.rc == 0 && x.level == 3);
	CHECK_EQ(x.attrs, want);
	x = walk(&root, GiB(1) + MiB(9));
	CHECK(x.rc == 0 && x.level == 2);
	CHECK_EQ(x.attrs, want);
	CHECK(teardown(&root) == 0);
}

static void test_map_misaligned_input(void)
{
	struct pt_root root = new_root(1);
	hv_u64 c[4];

	CHECK_EQI(pt_map(&root, &ops, GiB(1) + 0x800, GiB(1), KiB(4), 0), -1);
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1) + 0x10, KiB(4), 0), -1);
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), KiB(4) + 1, 0), -1);
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), 0x800, 0), -1);
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1) + 1, KiB(4)), -1);
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1), 1), -1);
	CHECK_EQ(fake.allocs, 1); /* nothing was built */
	pt_count_leaves(&root, c);
	CHECK(c[0] + c[1] + c[2] + c[3] == 0);
	CHECK_UNMAPPED(&root, GiB(1));
	CHECK(teardown(&root) == 0);
}

/* --- unmap ------------------------------------------------------------- */

static void test_unmap_page_splits_2m_block(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1), pa = GiB(3), hole = va + MiB(1);

	CHECK_EQI(pt_map(&root, &ops, va, pa, MiB(2), TEST_ATTRS), 0);
	CHECK_EQI(pt_unmap(&root, &ops, hole, KiB(4)), 0);
	CHECK_LEAVES(&root, 0, 0, 511);
	CHECK_UNMAPPED(&root, hole);
	CHECK_UNMAPPED(&root, hole + 0xfff);
	CHECK_XLAT(&root, hole - 1, pa + MiB(1) - 1, 3);
	CHECK_XLAT(&root, hole - KiB(4), pa + MiB(1) - KiB(4), 3);
	CHECK_XLAT(&root, hole + KiB(4), pa + MiB(1) + KiB(4), 3);
	CHECK_XLAT(&root, va, pa, 3);
	CHECK_XLAT(&root, va + MiB(2) - 1, pa + MiB(2) - 1, 3);
	CHECK_UNMAPPED(&root, va + MiB(2));
	CHECK(teardown(&root) == 0);
}

static void test_unmap_page_splits_1g_block(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1), pa = GiB(5), hole = va + MiB(301);

	CHECK_EQI(pt_map(&root, &ops, va, pa, GiB(1), TEST_ATTRS), 0);
	CHECK_EQI(pt_unmap(&root, &ops, hole, KiB(4)), 0);
	CHECK_EQ(fake.live, 3); /* root + level 2 + level 3 */
	CHECK_LEAVES(&root, 0, 511, 511);
	CHECK_UNMAPPED(&root, hole);
	CHECK_XLAT(&root, hole - 1, pa + MiB(301) - 1, 3);
	CHECK_XLAT(&root, hole + KiB(4), pa + MiB(301) + KiB(4), 3);
	CHECK_XLAT(&root, va + MiB(300) - 1, pa + MiB(300) - 1, 2);
	CHECK_XLAT(&root, va + MiB(302), pa + MiB(302), 2);
	CHECK_XLAT(&root, va, pa, 2);
	CHECK_XLAT(&root, va + GiB(1) - 1, pa + GiB(1) - 1, 2);
	CHECK(teardown(&root) == 0);
}

/* Unmapping a 2M-aligned 2M range inside a 1G block leaves no level 3. */
static void test_unmap_2m_inside_1g_block(void)
{
	struct pt_root root = new_root(1);

	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), GiB(1), TEST_ATTRS), 0);
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1) + MiB(4), MiB(2)), 0);
	CHECK_EQ(fake.live, 2);
	CHECK_LEAVES(&root, 0, 511, 0);
	CHECK_UNMAPPED(&root, GiB(1) + MiB(5));
	CHECK_XLAT(&root, GiB(1) + MiB(6), GiB(1) + MiB(6), 2);
	CHECK(teardown(&root) == 0);
}

/* Unmapping whole 1G entries frees the tables below them at once. */
static void test_unmap_whole_range_frees_tables(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1) - MiB(2) - KiB(4);
	const hv_u64 size = GiB(1) + 2 * MiB(2) + KiB(4) + KiB(12);
	hv_u64 c[4];

	/* scattered pages and blocks in [1G, 2G) */
	CHECK_EQI(pt_map(&root, &ops, GiB(1) + KiB(4), GiB(7), KiB(4), 0), 0);
	CHECK_EQI(pt_map(&root, &ops, GiB(1) + MiB(100), GiB(7), MiB(2), 0), 0);
	CHECK_EQI(pt_map(&root, &ops, GiB(2) - KiB(4), GiB(7), KiB(4), 0), 0);
	CHECK_EQ(fake.live, 4); /* root, level 2, two level 3 */
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1), GiB(1)), 0);
	CHECK_EQ(fake.live, 1);
	CHECK_EQ(fake.bad_frees, 0);
	pt_count_leaves(&root, c);
	CHECK(c[1] + c[2] + c[3] == 0);

	/* the mixed range: unmapped, nothing translates; destroy frees the rest */
	CHECK_EQI(pt_map(&root, &ops, va, va, size, TEST_ATTRS), 0);
	CHECK_EQI(pt_unmap(&root, &ops, va, size), 0);
	pt_count_leaves(&root, c);
	CHECK(c[1] + c[2] + c[3] == 0);
	CHECK_UNMAPPED(&root, va);
	CHECK_UNMAPPED(&root, GiB(1));
	CHECK_UNMAPPED(&root, GiB(2));
	CHECK_UNMAPPED(&root, va + size - 1);
	/* unmapping what is not mapped is fine */
	CHECK_EQI(pt_unmap(&root, &ops, 0, GiB(64)), 0);
	CHECK_EQ(fake.live, 1);
	CHECK(teardown(&root) == 0);
}

/* pt_destroy frees every table, however the tree was built. */
/* A hole mapped back makes the block whole again and frees the table. */
static void test_map_back_merges_into_block(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1), pa = GiB(3);
	hv_u64 live;

	CHECK_EQI(pt_map(&root, &ops, va, pa, MiB(4), TEST_ATTRS), 0);
	live = fake.live;
	CHECK_EQI(pt_unmap(&root, &ops, va + MiB(1), MiB(1)), 0);
	CHECK_LEAVES(&root, 0, 1, 256);
	CHECK_EQ(fake.live, live + 1);
	CHECK_EQI(pt_map(&root, &ops, va + MiB(1), pa + MiB(1), MiB(1), TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 0, 2, 0);
	CHECK_EQ(fake.live, live);
	CHECK_XLAT(&root, va + MiB(1) + KiB(4), pa + MiB(1) + KiB(4), 2);
	/* other attributes, or another place, keep the pages */
	CHECK_EQI(pt_unmap(&root, &ops, va + MiB(1), MiB(1)), 0);
	CHECK_EQI(pt_map(&root, &ops, va + MiB(1), pa + MiB(1), MiB(1), 0), 0);
	CHECK_LEAVES(&root, 0, 1, 512);
	CHECK_EQI(pt_map(&root, &ops, va + MiB(1), pa + MiB(9), MiB(1), TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 0, 1, 512);
	CHECK(teardown(&root) == 0);
}

static void test_destroy_no_leaks(void)
{
	struct pt_root root = new_root(1);
	hv_u64 i;

	for (i = 0; i < 64; i++)
		CHECK_EQI(pt_map(&root, &ops, GiB(i % 8) + i * MiB(3) + i * KiB(8),
				 GiB(9), KiB(4) * (i + 1), TEST_ATTRS), 0);
	CHECK_EQI(pt_unmap(&root, &ops, GiB(2) + KiB(4), MiB(5)), 0);
	CHECK(fake.live > 1);
	pt_destroy(&root, &ops);
	CHECK_EQ(fake.live, 1);
	CHECK_EQ(fake.bad_frees, 0);
	for (i = 0; i < PT_ENTRIES; i++)
		CHECK_EQ(root.table[i], 0);
	/* the root is reusable */
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), KiB(4), 0), 0);
	CHECK_XLAT(&root, GiB(1), GiB(1), 3);
	CHECK(teardown(&root) == 0);
}

/* --- remap ------------------------------------------------------------- */

static void test_remap_block_over_tables(void)
{
	struct pt_root root = new_root(1);

	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(4), KiB(64), TEST_ATTRS), 0);
	CHECK_EQI(pt_map(&root, &ops, GiB(1) + MiB(4), GiB(4), KiB(4), TEST_ATTRS), 0);
	CHECK_EQ(fake.live, 4); /* root, level 2, two level 3 */

	/* a 2M block over the first level-3 table frees it */
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(6), MiB(2), TEST_ATTRS), 0);
	CHECK_EQ(fake.live, 3);
	CHECK_EQ(fake.frees, 1);
	CHECK_LEAVES(&root, 0, 1, 1);
	CHECK_XLAT(&root, GiB(1) + KiB(4), GiB(6) + KiB(4), 2);

	/* a 1G block over the level-2 table frees it and the level 3 below */
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(7), GiB(1), TEST_ATTRS), 0);
	CHECK_EQ(fake.live, 1);
	CHECK_EQ(fake.frees, 3);
	CHECK_EQ(fake.bad_frees, 0);
	CHECK_LEAVES(&root, 1, 0, 0);
	CHECK_XLAT(&root, GiB(1) + MiB(4), GiB(7) + MiB(4), 1);

	/* pages over a block split it and override just those pages */
	CHECK_EQI(pt_map(&root, &ops, GiB(1) + KiB(8), GiB(9), KiB(4), TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 0, 511, 512);
	CHECK_XLAT(&root, GiB(1) + KiB(8), GiB(9), 3);
	CHECK_XLAT(&root, GiB(1) + KiB(4), GiB(7) + KiB(4), 3);
	CHECK_XLAT(&root, GiB(1) + KiB(12), GiB(7) + KiB(12), 3);
	CHECK_XLAT(&root, GiB(1) + MiB(2), GiB(7) + MiB(2), 2);
	CHECK(teardown(&root) == 0);
}

/* --- allocator exhaustion ------------------------------------------------- */

static void test_exhaustion(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 va = GiB(1) - MiB(2) - KiB(4);
	const hv_u64 size = GiB(1) + 2 * MiB(2) + KiB(4) + KiB(12);
	unsigned long budget;
	int rc = -1;

	/* no page at all: a page needs two tables */
	fake.budget = 0;
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), KiB(4), 0), -1);
	/* the level-2 table but not the level-3 one */
	fake.budget = 1;
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), KiB(4), 0), -1);
	CHECK_UNMAPPED(&root, GiB(1));
	CHECK_EQ(fake.bad_frees, 0);
	pt_destroy(&root, &ops);
	CHECK_EQ(fake.live, 1);

	/* every budget below what the mixed range needs fails cleanly */
	for (budget = 0; budget < 16 && rc; budget++) {
		fake.budget = budget;
		rc = pt_map(&root, &ops, va, va, size, TEST_ATTRS);
		if (rc) {
			CHECK_EQI(rc, -1);
			pt_destroy(&root, &ops);
			CHECK_EQ(fake.live, 1);
		}
	}
	CHECK_EQI(rc, 0);
	CHECK_EQ(budget, 5); /* 2 level-2 + 2 level-3, plus the one that sufficed */
	CHECK_LEAVES(&root, 1, 2, 4);

	/* splitting on unmap needs a page too; without one the block stays */
	fake.budget = 0;
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1) + MiB(8), KiB(4)), -1);
	CHECK_XLAT(&root, GiB(1) + MiB(8), GiB(1) + MiB(8), 1);
	CHECK_LEAVES(&root, 1, 2, 4);
	fake.budget = 1; /* 1G -> 2M split works, 2M -> 4K does not */
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1) + MiB(8), KiB(4)), -1);
	CHECK_XLAT(&root, GiB(1) + MiB(8), GiB(1) + MiB(8), 2);
	CHECK_XLAT(&root, GiB(1) + MiB(8) + KiB(4), GiB(1) + MiB(8) + KiB(4), 2);
	fake.budget = ~0UL;
	CHECK_EQI(pt_unmap(&root, &ops, GiB(1) + MiB(8), KiB(4)), 0);
	CHECK_UNMAPPED(&root, GiB(1) + MiB(8));
	CHECK_XLAT(&root, GiB(1) + MiB(8) + KiB(4), GiB(1) + MiB(8) + KiB(4), 3);
	CHECK(teardown(&root) == 0);
}

/* --- address range of the root ------------------------------------------- */

/* Start level 1 (T0SZ=25, the hypervisor's stage 1 and stage 2): 2^39 bytes. */
static void test_start_level_1_top_of_range(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 top = 1ULL << 39;
	const hv_u64 va = top - MiB(2) - KiB(8);

	CHECK_EQI(pt_map(&root, &ops, va, va, top - va, TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 0, 1, 2);
	CHECK_XLAT(&root, va, va, 3);
	CHECK_XLAT(&root, top - MiB(2), top - MiB(2), 2);
	CHECK_XLAT(&root, top - 1, top - 1, 2);
	CHECK_UNMAPPED(&root, va - 1);
	CHECK_EQ(root.table[0], 0); /* nothing aliased to the bottom */
	CHECK_EQI(pt_map(&root, &ops, top - GiB(2), top - GiB(2), GiB(1), 0), 0);
	CHECK_XLAT(&root, top - GiB(2), top - GiB(2), 1);
	CHECK_EQ(root.table[510] & 3, 1);
	CHECK(teardown(&root) == 0);
}

/*
 * A range reaching past the root's input range cannot be translated by the
 * hardware; it must be rejected, not wrapped onto the bottom of the range
 * (the index of VA 2^39 at level 1 is that of VA 0).
 */
static void test_start_level_1_beyond_range(void)
{
	struct pt_root root = new_root(1);
	const hv_u64 top = 1ULL << 39;
	hv_u64 c[4];

	CHECK_EQI(pt_map(&root, &ops, top, top, KiB(4), TEST_ATTRS), -1);
	CHECK_EQI(pt_map(&root, &ops, top - KiB(4), top - KiB(4), KiB(8), TEST_ATTRS), -1);
	CHECK_EQI(pt_map(&root, &ops, top + GiB(1), GiB(1), GiB(1), TEST_ATTRS), -1);
	CHECK_EQI(pt_map(&root, &ops, ~0ULL & ~0xfffULL, 0, KiB(8), TEST_ATTRS), -1);
	CHECK_UNMAPPED(&root, 0);
	CHECK_UNMAPPED(&root, GiB(1));
	pt_count_leaves(&root, c);
	CHECK(c[1] + c[2] + c[3] == 0);
	/* nor may an unmap past the top remove what is mapped at the bottom */
	CHECK_EQI(pt_map(&root, &ops, 0, GiB(2), MiB(2), TEST_ATTRS), 0);
	CHECK_EQI(pt_unmap(&root, &ops, top, KiB(4)), -1);
	CHECK_EQI(pt_unmap(&root, &ops, top - MiB(2), MiB(4)), -1);
	CHECK_XLAT(&root, 0, GiB(2), 2);
	CHECK_XLAT(&root, KiB(4), GiB(2) + KiB(4), 2);
	CHECK(teardown(&root) == 0);
}

/* Start level 0 covers 2^48: 2^39 is just the second level-0 entry. */
static void test_start_level_0_above_2_39(void)
{
	struct pt_root root = new_root(0);
	const hv_u64 top = 1ULL << 39;

	CHECK_EQI(pt_map(&root, &ops, top - KiB(4), top - KiB(4), KiB(8), TEST_ATTRS), 0);
	CHECK_EQI(pt_map(&root, &ops, top + GiB(1), top + GiB(1), GiB(1), TEST_ATTRS), 0);
	CHECK_LEAVES(&root, 1, 0, 2);
	CHECK_XLAT(&root, top - KiB(4), top - KiB(4), 3);
	CHECK_XLAT(&root, top, top, 3);
	CHECK_XLAT(&root, top + GiB(1), top + GiB(1), 1);
	CHECK_UNMAPPED(&root, 0);
	CHECK_UNMAPPED(&root, GiB(1));
	CHECK(teardown(&root) == 0);
}

/* Start level 2 covers 1 GiB; its root holds 2M blocks directly. */
static void test_start_level_2(void)
{
	struct pt_root root = new_root(2);

	CHECK_EQI(pt_map(&root, &ops, MiB(2), GiB(3), MiB(4) + KiB(4), TEST_ATTRS), 0);
	CHECK_EQ(fake.allocs, 2);
	CHECK_LEAVES(&root, 0, 2, 1);
	CHECK_XLAT(&root, MiB(2), GiB(3), 2);
	CHECK_XLAT(&root, MiB(6), GiB(3) + MiB(4), 3);
	CHECK_UNMAPPED(&root, MiB(6) + KiB(4));
	CHECK_EQI(pt_map(&root, &ops, GiB(1), GiB(1), KiB(4), 0), -1);
	CHECK_UNMAPPED(&root, 0);
	CHECK(teardown(&root) == 0);
}

int main(void)
{
	RUN(test_map_1g_block);
	RUN(test_map_1g_block_start_level_0);
	RUN(test_map_2m_block);
	RUN(test_map_4k_pages_unaligned);
	RUN(test_map_pa_misaligned_for_block);
	RUN(test_map_pages_across_boundaries);
	RUN(test_map_root_ram_region);
	RUN(test_map_mixed_blocks);
	RUN(test_attrs_preserved);
	RUN(test_map_misaligned_input);
	RUN(test_unmap_page_splits_2m_block);
	RUN(test_map_back_merges_into_block);
	RUN(test_unmap_page_splits_1g_block);
	RUN(test_unmap_2m_inside_1g_block);
	RUN(test_unmap_whole_range_frees_tables);
	RUN(test_destroy_no_leaks);
	RUN(test_remap_block_over_tables);
	RUN(test_exhaustion);
	RUN(test_start_level_1_top_of_range);
	RUN(test_start_level_1_beyond_range);
	RUN(test_start_level_0_above_2_39);
	RUN(test_start_level_2);
	return UNIT_EXIT();
}
