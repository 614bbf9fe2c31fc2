// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of hypervisor/config_check.c. Configurations are built in
 * memory by a small builder that follows include/haven/config.h (the same
 * QEMU virt layout as configs/qemu-arm64), then corrupted one field at a
 * time: each HAVEN_CFG_* code must come out with the right cell and region
 * index. A deterministic fuzz loop then feeds mutated and truncated files
 * to the checker under ASan/UBSan. Every file lives in a heap block of
 * exactly its size, so reading one byte past it aborts.
 */
#include <config_check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* --- logical description ----------------------------------------------- */

struct cell_desc {
	const char *name;
	hv_u64 cpus;
	hv_u32 flags, vuart_irq;
	unsigned int nregions;
	struct haven_mem_region regions[HAVEN_MAX_MEM_REGIONS + 1];
	hv_u64 irqs[HAVEN_IRQ_WORDS];
	hv_u32 nstreams, streams[HAVEN_MAX_STREAMS];
	hv_u32 npci;
	hv_u16 pci[HAVEN_MAX_PCI_DEVICES];
	hv_u32 nsmcs, smcs[HAVEN_MAX_SMCS];
	struct haven_sched sched;
};

struct sys_desc {
	hv_u64 hv_mem_base, hv_mem_size;
	struct haven_platform platform;
	unsigned int ncells; /* declared, besides the root */
	hv_u32 final_cells;
	struct cell_desc cells[HAVEN_MAX_CELLS + 1]; /* [0] is the root */
};

static void set_irqs(hv_u64 *irqs, unsigned int first, unsigned int last)
{
	unsigned int i;

	for (i = first; i <= last; i++)
		irqs[i / 64] |= 1ULL << (i % 64);
}

static struct haven_mem_region region(hv_u64 phys, hv_u64 virt, hv_u64 size,
				      hv_u64 flags)
{
	struct haven_mem_region r = { phys, virt, size, flags };

	return r;
}

#define RW (HAVEN_MEM_READ | HAVEN_MEM_WRITE)
#define RWX (RW | HAVEN_MEM_EXEC)
#define COMM (HAVEN_MEM_COMM | RW)
#define VUART (HAVEN_MEM_VUART | RW)
#define HV_BASE 0x7f000000ULL
#define HV_SIZE 0x1000000ULL

/*
 * The root of configs/qemu-arm64 plus two declared cells; the second has a
 * comm page (its last region).
 */
static void default_system(struct sys_desc *d)
{
	struct haven_platform *p = &d->platform;
	struct cell_desc *c;
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->hv_mem_base = HV_BASE;
	d->hv_mem_size = HV_SIZE;
	p->gicd_base = 0x08000000;
	p->gicd_size = 0x10000;
	p->gicr_base = 0x080a0000;
	p->gicr_size = 0x80000;
	p->uart_base = 0x09000000;
	p->uart_type = HAVEN_UART_PL011;
	p->num_cpus = 4;
	for (i = 0; i < 4; i++)
		p->cpu_mpidr[i] = i;
	p->maintenance_irq = 25;
	p->num_irqs = 288;

	c = &d->cells[0];
	c->name = "root";
	c->cpus = 0xf;
	c->nregions = 2;
	c->regions[0] = region(0x40000000, 0x40000000, 0x3f000000, RWX);
	c->regions[1] = region(0x09000000, 0x09000000, 0x1000, RW | HAVEN_MEM_IO);
	set_irqs(c->irqs, 0, 287);

	d->ncells = 2;
	c = &d->cells[1];
	c->name = "linux";
	c->cpus = 0xc;
	c->nregions = 3;
	c->regions[0] = region(0x60000000, 0x40000000, 0x10000000,
			       RWX | HAVEN_MEM_LOADABLE);
	c->regions[1] = region(0x09000000, 0x09000000, 0x1000, RW | HAVEN_MEM_IO);
	c->regions[2] = region(0x70000000, 0x80000000, 0x200000, HAVEN_MEM_READ);
	set_irqs(c->irqs, 33, 33);
	set_irqs(c->irqs, 64, 95);

	c = &d->cells[2];
	c->name = "bare";
	c->cpus = 0x2;
	c->nregions = 2;
	c->regions[0] = region(0x71000000, 0, 0x100000, RWX | HAVEN_MEM_LOADABLE);
	c->regions[1] = region(0, 0x100000, 0x1000, COMM);
	set_irqs(c->irqs, 40, 40);
}

/* --- serialisation ------------------------------------------------------ */

static void fill_header(struct haven_config_header *h, hv_u16 kind, hv_u64 size)
{
	memcpy(h->magic, HAVEN_CONFIG_MAGIC, 8);
	h->version = HAVEN_CONFIG_VERSION;
	h->arch = HAVEN_ARCH_ARM64;
	h->kind = kind;
	h->header_size = sizeof(*h);
	h->total_size = (hv_u32)size;
}

static void fill_cell(struct haven_cell *c, const struct cell_desc *d,
		      hv_u64 regions_offset)
{
	strncpy(c->name, d->name, HAVEN_NAME_LEN - 1);
	c->cpus = d->cpus;
	c->flags = d->flags;
	c->vuart_irq = d->vuart_irq;
	c->num_mem_regions = d->nregions;
	c->mem_regions_offset = (hv_u32)regions_offset;
	memcpy(c->irqs, d->irqs, sizeof(c->irqs));
	c->num_stream_ids = d->nstreams;
	memcpy(c->stream_ids, d->streams, sizeof(c->stream_ids));
	c->num_pci_devices = d->npci;
	memcpy(c->pci_devices, d->pci, sizeof(c->pci_devices));
	c->num_smcs = d->nsmcs;
	memcpy(c->smc_allow, d->smcs, sizeof(c->smc_allow));
	c->sched = d->sched;
}

/*
 * header | haven_system (root embedded) | cells[ncells] | regions of the
 * root | regions of cell 1 | ... Returns a malloc'd block of *size bytes.
 */
static hv_u8 *build_system(const struct sys_desc *d, hv_u64 *size)
{
	hv_u64 off = sizeof(struct haven_config_header) + sizeof(struct haven_system) +
		     d->ncells * sizeof(struct haven_cell);
	hv_u64 total = off;
	struct haven_system *sys;
	hv_u8 *buf;
	unsigned int i;

	for (i = 0; i <= d->ncells; i++)
		total += d->cells[i].nregions * sizeof(struct haven_mem_region);
	buf = calloc(1, total);
	if (!buf)
		abort();
	fill_header((struct haven_config_header *)buf, HAVEN_CONFIG_SYSTEM, total);
	sys = (struct haven_system *)(buf + sizeof(struct haven_config_header));
	sys->hv_mem_base = d->hv_mem_base;
	sys->hv_mem_size = d->hv_mem_size;
	sys->platform = d->platform;
	sys->num_cells = d->ncells;
	sys->final_cells = d->final_cells;
	for (i = 0; i <= d->ncells; i++) {
		const struct cell_desc *cd = &d->cells[i];
		struct haven_cell *c = i ? (struct haven_cell *)(sys + 1) + (i - 1) :
					   &sys->root;
		hv_u64 bytes = cd->nregions * sizeof(struct haven_mem_region);

		fill_cell(c, cd, off);
		memcpy(buf + off, cd->regions, bytes);
		off += bytes;
	}
	*size = total;
	return buf;
}

/* header | haven_cell | regions */
static hv_u8 *build_cell(const struct cell_desc *d, hv_u64 *size)
{
	hv_u64 off = sizeof(struct haven_config_header) + sizeof(struct haven_cell);
	hv_u64 total = off + d->nregions * sizeof(struct haven_mem_region);
	hv_u8 *buf = calloc(1, total);

	if (!buf)
		abort();
	fill_header((struct haven_config_header *)buf, HAVEN_CONFIG_CELL, total);
	fill_cell((struct haven_cell *)(buf + sizeof(struct haven_config_header)), d, off);
	memcpy(buf + off, d->regions, d->nregions * sizeof(struct haven_mem_region));
	*size = total;
	return buf;
}

/* A copy of the first n bytes of buf in a block of exactly n bytes. */
static hv_u8 *copy_of(const hv_u8 *buf, hv_u64 n)
{
	hv_u8 *p = malloc(n ? n : 1);

	if (!p)
		abort();
	memcpy(p, buf, n);
	return p;
}

static struct haven_config_header *hdr(hv_u8 *buf)
{
	return (struct haven_config_header *)buf;
}

static struct haven_system *sys_of(hv_u8 *buf)
{
	return (struct haven_system *)(buf + sizeof(struct haven_config_header));
}

static struct haven_cell *cell_of(hv_u8 *buf, unsigned int i)
{
	return (struct haven_cell *)haven_cfg_cell(buf, i);
}

static struct haven_mem_region *region_of(hv_u8 *buf, unsigned int cell,
					  unsigned int i)
{
	struct haven_cell *c = cell_of(buf, cell);

	return (struct haven_mem_region *)(buf + c->mem_regions_offset) + i;
}

/* --- expectations ------------------------------------------------------- */

#define CFG_NAME(name, text) #name,
static const char *const cfg_names[] = { HAVEN_CFG_ERRORS(CFG_NAME) };
#undef CFG_NAME

static const char *cfg_name(unsigned int code)
{
	return code < HAVEN_CFG_COUNT ? cfg_names[code] : "?";
}

/* Compare a check's outcome; returns a static message or NULL. */
static const char *outcome(int rc, const struct haven_cfg_result *r,
			   unsigned int code, int cell, int region)
{
	static char msg[200];

	if (rc == (code == HAVEN_CFG_OK ? 0 : -1) && r->code == code &&
	    (code == HAVEN_CFG_OK || (r->cell == cell && r->region == region)))
		return NULL;
	snprintf(msg, sizeof(msg),
		 "got rc %d %s cell %d region %d value 0x%llx, expected %s cell %d region %d",
		 rc, cfg_name(r->code), r->cell, r->region,
		 (unsigned long long)r->value, cfg_name(code), cell, region);
	return msg;
}

#define EXPECT_SYS(buf, size, code, cell, region)                              \
	do {                                                                   \
		struct haven_cfg_result r_ = { 0xdead, 99, 99, 0 };            \
		int rc_ = haven_check_system((buf), (size), &r_);              \
		const char *m_ = outcome(rc_, &r_, (code), (cell), (region));  \
		if (m_)                                                        \
			FAILF("%s", m_);                                       \
	} while (0)

#define EXPECT_CELL(buf, size, sys, code, cell, region)                        \
	do {                                                                   \
		struct haven_cfg_result r_ = { 0xdead, 99, 99, 0 };            \
		int rc_ = haven_check_cell((buf), (size), (sys), &r_);         \
		const char *m_ = outcome(rc_, &r_, (code), (cell), (region));  \
		if (m_)                                                        \
			FAILF("%s", m_);                                       \
	} while (0)

/*
 * The one buffer a test works on, freed by the next test (and at exit), so
 * that a failed CHECK leaks nothing.
 */
static hv_u8 *cur, *cur2;
static hv_u64 cur_size, cur2_size;
static struct sys_desc desc;

static void set_cur(hv_u8 *buf, hv_u64 size)
{
	free(cur);
	cur = buf;
	cur_size = size;
}

/* A fresh valid system file in cur; desc holds its description. */
static void fresh(void)
{
	hv_u64 size;
	hv_u8 *buf;

	default_system(&desc);
	buf = build_system(&desc, &size);
	set_cur(buf, size);
}

/* Rebuild cur from a modified desc. */
static void rebuild(void)
{
	hv_u64 size;
	hv_u8 *buf = build_system(&desc, &size);

	set_cur(buf, size);
}

/* --- valid configurations ------------------------------------------------ */

static void test_valid_system(void)
{
	const struct haven_mem_region *r;
	struct haven_cfg_result res;

	fresh();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK_EQI(haven_check_system(cur, cur_size, &res), 0);
	CHECK_EQ(res.code, HAVEN_CFG_OK);
	/* the accessors find what the builder wrote */
	CHECK_EQ(haven_cfg_system(cur)->num_cells, 2);
	CHECK(strcmp(haven_cfg_cell(cur, 0)->name, "root") == 0);
	CHECK(strcmp(haven_cfg_cell(cur, 1)->name, "linux") == 0);
	CHECK(strcmp(haven_cfg_cell(cur, 2)->name, "bare") == 0);
	r = haven_cfg_regions(cur, haven_cfg_cell(cur, 1));
	CHECK_EQ(r[0].phys_start, 0x60000000);
	CHECK_EQ(r[2].virt_start, 0x80000000);
	CHECK(haven_cfg_irq_owned(haven_cfg_cell(cur, 1), 33));
	CHECK(haven_cfg_irq_owned(haven_cfg_cell(cur, 1), 95));
	CHECK(!haven_cfg_irq_owned(haven_cfg_cell(cur, 1), 34));
	CHECK(!haven_cfg_irq_owned(haven_cfg_cell(cur, 1), HAVEN_MAX_IRQS));
	CHECK(haven_cfg_irq_owned(haven_cfg_cell(cur, 0), 287));
}

/* Limits that are still valid: 7 declared cells, 64 regions, 16 CPUs, ... */
static void test_valid_limits(void)
{
	unsigned int i;

	default_system(&desc);
	desc.ncells = HAVEN_MAX_CELLS - 1;
	for (i = 3; i <= desc.ncells; i++) {
		/* CPU i + 1, SPI 40 + i, 1 MiB of its own; the same IPAs */
		desc.cells[i] = desc.cells[2];
		desc.cells[i].name = "cell-with-a-name-of-31-chars-xx";
		desc.cells[i].cpus = 1ULL << (i + 1);
		memset(desc.cells[i].irqs, 0, sizeof(desc.cells[i].irqs));
		set_irqs(desc.cells[i].irqs, 40 + i, 40 + i);
		desc.cells[i].regions[0].phys_start = 0x71000000 + i * 0x100000ULL;
	}
	desc.final_cells = 0xfe;
	desc.cells[0].nregions = HAVEN_MAX_MEM_REGIONS;
	for (i = 0; i < HAVEN_MAX_MEM_REGIONS; i++)
		desc.cells[0].regions[i] = region(0x100000000ULL + i * 0x2000,
						  HAVEN_IPA_LIMIT - 0x1000 - i * 0x1000,
						  0x1000, RWX);
	desc.platform.num_cpus = HAVEN_MAX_CPUS;
	desc.platform.gicr_size = 0x20000ULL * HAVEN_MAX_CPUS;
	desc.cells[0].cpus = 0xffff;
	desc.platform.num_irqs = HAVEN_MAX_IRQS;
	desc.platform.maintenance_irq = 31;
	set_irqs(desc.cells[0].irqs, 0, HAVEN_MAX_IRQS - 1);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);

	/* no declared cells; a region just below the top of the spaces mapped */
	default_system(&desc);
	desc.ncells = 0;
	desc.cells[0].regions[1] = region(HAVEN_PA_LIMIT - 0x1000, HAVEN_IPA_LIMIT - 0x1000,
					  0x1000, RW | HAVEN_MEM_IO);
	desc.platform.uart_type = HAVEN_UART_NONE;
	desc.platform.uart_base = 0x123; /* not used without a UART */
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);

	/* a cell with no memory at all */
	default_system(&desc);
	desc.cells[2].nregions = 0;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

/* --- header ---------------------------------------------------------------- */

static void test_err_short(void)
{
	hv_u8 *p;

	fresh();
	/* shorter than the header */
	p = copy_of(cur, 31);
	EXPECT_SYS(p, 31, HAVEN_CFG_SHORT, -1, -1);
	free(p);
	EXPECT_SYS(cur, 0, HAVEN_CFG_SHORT, -1, -1);
	/* a whole header, but no room for haven_system */
	p = copy_of(cur, 64);
	hdr(p)->total_size = 64;
	EXPECT_SYS(p, 64, HAVEN_CFG_SHORT, -1, -1);
	free(p);
	p = copy_of(cur, 32);
	hdr(p)->total_size = 32;
	EXPECT_SYS(p, 32, HAVEN_CFG_SHORT, -1, -1);
	free(p);
}

static void test_err_magic(void)
{
	fresh();
	cur[7] = 'g';
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_MAGIC, -1, -1);
	fresh();
	memset(cur, 0, 8);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_MAGIC, -1, -1);
}

static void test_err_version(void)
{
	fresh();
	hdr(cur)->version = HAVEN_CONFIG_VERSION + 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_VERSION, -1, -1);
	hdr(cur)->version = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_VERSION, -1, -1);
}

static void test_err_arch(void)
{
	fresh();
	hdr(cur)->arch = 62; /* x86-64 */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_ARCH, -1, -1);
}

static void test_err_kind(void)
{
	hv_u64 size;
	hv_u8 *cell;

	fresh();
	hdr(cur)->kind = HAVEN_CONFIG_CELL;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_KIND, -1, -1);
	hdr(cur)->kind = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_KIND, -1, -1);
	/* a cell file is not a system file, and the other way round */
	fresh();
	cell = build_cell(&desc.cells[1], &size);
	free(cur2);
	cur2 = cell;
	cur2_size = size;
	EXPECT_SYS(cur2, cur2_size, HAVEN_CFG_KIND, -1, -1);
	{
		struct haven_cfg_result r = { 0 };

		CHECK_EQI(haven_check_cell(cur, cur_size, sys_of(cur), &r), -1);
		CHECK_EQ(r.code, HAVEN_CFG_KIND);
	}
}

static void test_err_header_size(void)
{
	fresh();
	hdr(cur)->header_size = 48;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_HEADER_SIZE, -1, -1);
	hdr(cur)->header_size = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_HEADER_SIZE, -1, -1);
}

static void test_err_total_size(void)
{
	hv_u8 *p;

	fresh();
	hdr(cur)->total_size++;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOTAL_SIZE, -1, -1);
	hdr(cur)->total_size -= 2;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOTAL_SIZE, -1, -1);
	/* a truncated file whose header still has the full size */
	fresh();
	p = copy_of(cur, cur_size - 8);
	EXPECT_SYS(p, cur_size - 8, HAVEN_CFG_TOTAL_SIZE, -1, -1);
	free(p);
	/* a size above 4 GiB cannot match the 32-bit field */
	EXPECT_SYS(cur, cur_size + (1ULL << 32), HAVEN_CFG_TOTAL_SIZE, -1, -1);
}

static void test_err_reserved(void)
{
	fresh();
	hdr(cur)->reserved[2] = 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_RESERVED, -1, -1);
}

/* --- offsets and counts ------------------------------------------------------- */

static void test_err_bounds(void)
{
	fresh();
	/* regions start exactly at the end of the file */
	cell_of(cur, 1)->mem_regions_offset = (hv_u32)cur_size;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 1, -1);
	/* past the end */
	cell_of(cur, 1)->mem_regions_offset = (hv_u32)cur_size + 4096;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 1, -1);
	/* the last region sticks out by 8 bytes */
	cell_of(cur, 1)->mem_regions_offset =
		(hv_u32)(cur_size - 3 * sizeof(struct haven_mem_region) + 8);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 1, -1);
	/* offset + count * 32 overflows 32 bits */
	fresh();
	cell_of(cur, 0)->mem_regions_offset = 0xffffffe0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 0, -1);
	cell_of(cur, 0)->mem_regions_offset = 0xfffffff8;
	cell_of(cur, 0)->num_mem_regions = HAVEN_MAX_MEM_REGIONS;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 0, -1);
	/* in the file but misaligned */
	fresh();
	cell_of(cur, 2)->mem_regions_offset -= 4;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 2, -1);
	/* more regions than the file holds */
	fresh();
	cell_of(cur, 2)->num_mem_regions = 3;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, 2, -1);
	/* more declared cells than the file holds */
	fresh();
	sys_of(cur)->num_cells = HAVEN_MAX_CELLS - 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, -1, -1);
	/* ... even in a file just large enough for the cells' headers */
	desc.ncells = 0;
	rebuild();
	sys_of(cur)->num_cells = 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_BOUNDS, -1, -1);
}

/* --- system and platform ---------------------------------------------------- */

static void test_err_hv_mem(void)
{
	fresh();
	sys_of(cur)->hv_mem_base += 0x800;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_HV_MEM, -1, -1);
	fresh();
	sys_of(cur)->hv_mem_size = 0xff000; /* below 1 MiB */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_HV_MEM, -1, -1);
	fresh();
	sys_of(cur)->hv_mem_size = 0x100000 + 0x10;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_HV_MEM, -1, -1);
	fresh();
	sys_of(cur)->hv_mem_base = 0xfffffffffff00000ULL; /* wraps */
	sys_of(cur)->hv_mem_size = 0x200000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_HV_MEM, -1, -1);
}

static void test_err_platform_cpus(void)
{
	fresh();
	sys_of(cur)->platform.num_cpus = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_CPUS, -1, -1);
	sys_of(cur)->platform.num_cpus = HAVEN_MAX_CPUS + 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_CPUS, -1, -1);
	sys_of(cur)->platform.num_cpus = 0xffffffff;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_CPUS, -1, -1);
}

static void test_err_platform_gic(void)
{
	fresh();
	sys_of(cur)->platform.gicd_base += 0x100;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_GIC, -1, -1);
	fresh();
	sys_of(cur)->platform.gicd_size = 0x1000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_GIC, -1, -1);
	fresh();
	sys_of(cur)->platform.gicr_base += 8;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_GIC, -1, -1);
	fresh();
	/* one redistributor frame pair (128 KiB) short for 4 CPUs */
	sys_of(cur)->platform.gicr_size = 0x60000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_GIC, -1, -1);
}

static void test_err_platform_uart(void)
{
	fresh();
	sys_of(cur)->platform.uart_type = HAVEN_UART_PL011 + 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_UART, -1, -1);
	fresh();
	sys_of(cur)->platform.uart_base += 0x10;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_UART, -1, -1);
}

static void test_err_platform_irqs(void)
{
	static const hv_u32 bad_num[] = { 0, 16, 300, HAVEN_MAX_IRQS + 32, 0x80000000 };
	static const hv_u32 bad_maint[] = { 0, 15, 32, 0xffffffff };
	unsigned int i;

	for (i = 0; i < sizeof(bad_num) / sizeof(bad_num[0]); i++) {
		fresh();
		sys_of(cur)->platform.num_irqs = bad_num[i];
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_IRQS, -1, -1);
	}
	for (i = 0; i < sizeof(bad_maint) / sizeof(bad_maint[0]); i++) {
		fresh();
		sys_of(cur)->platform.maintenance_irq = bad_maint[i];
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_IRQS, -1, -1);
	}
}

static void test_err_too_many_cells(void)
{
	fresh();
	sys_of(cur)->num_cells = HAVEN_MAX_CELLS;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOO_MANY_CELLS, -1, -1);
	sys_of(cur)->num_cells = 0xffffffff;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOO_MANY_CELLS, -1, -1);
}

/* --- cells ----------------------------------------------------------------- */

static void test_err_name(void)
{
	fresh();
	cell_of(cur, 0)->name[0] = '\0';
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_NAME, 0, -1);
	fresh();
	memset(cell_of(cur, 2)->name, 'x', HAVEN_NAME_LEN);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_NAME, 2, -1);
	/* 31 characters and a NUL are fine */
	fresh();
	memset(cell_of(cur, 2)->name, 'x', HAVEN_NAME_LEN - 1);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_err_cpus_empty(void)
{
	fresh();
	cell_of(cur, 1)->cpus = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CPUS_EMPTY, 1, -1);
}

static void test_err_cpu_range(void)
{
	fresh();
	cell_of(cur, 1)->cpus = 1ULL << 4; /* platform has CPUs 0-3 */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CPU_RANGE, 1, -1);
	fresh();
	cell_of(cur, 0)->cpus |= 1ULL << 63;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CPU_RANGE, 0, -1);
}

static void test_err_too_many_regions(void)
{
	fresh();
	cell_of(cur, 2)->num_mem_regions = HAVEN_MAX_MEM_REGIONS + 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOO_MANY_REGIONS, 2, -1);
	cell_of(cur, 2)->num_mem_regions = 0xffffffff;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOO_MANY_REGIONS, 2, -1);
	/* a file that really holds 65 regions */
	default_system(&desc);
	desc.cells[0].nregions = HAVEN_MAX_MEM_REGIONS + 1;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_TOO_MANY_REGIONS, 0, -1);
}

static void test_err_irq_range(void)
{
	fresh();
	set_irqs(cell_of(cur, 0)->irqs, 288, 288); /* platform has 0-287 */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_IRQ_RANGE, 0, -1);
	fresh();
	set_irqs(cell_of(cur, 2)->irqs, HAVEN_MAX_IRQS - 1, HAVEN_MAX_IRQS - 1);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_IRQ_RANGE, 2, -1);
}

/* --- regions ---------------------------------------------------------------- */

static void test_err_region_align(void)
{
	fresh();
	region_of(cur, 1, 2)->phys_start += 0x800;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_ALIGN, 1, 2);
	fresh();
	region_of(cur, 0, 1)->virt_start += 4;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_ALIGN, 0, 1);
	fresh();
	region_of(cur, 2, 0)->size += 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_ALIGN, 2, 0);
}

static void test_err_region_size(void)
{
	fresh();
	region_of(cur, 1, 1)->size = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 1, 1);
	/* physical end wraps */
	fresh();
	region_of(cur, 1, 2)->phys_start = 0xfffffffffff00000ULL;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 1, 2);
	/* virtual end wraps */
	fresh();
	region_of(cur, 2, 0)->virt_start = 0xffffffffffff0000ULL;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 2, 0);
	/* a size that wraps whatever the start */
	fresh();
	region_of(cur, 0, 0)->size = 0xfffffffffffff000ULL;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 0, 0);
}

static void test_err_region_flags(void)
{
	fresh();
	region_of(cur, 1, 0)->flags |= HAVEN_MEM_ALL_FLAGS + 1; /* unknown bit */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 1, 0);
	fresh();
	region_of(cur, 1, 1)->flags |= HAVEN_MEM_EXEC; /* executable device */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 1, 1);
	fresh();
	region_of(cur, 0, 0)->flags = HAVEN_MEM_WRITE; /* not readable */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 0, 0);
	fresh();
	region_of(cur, 2, 0)->flags |= 1ULL << 63;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 2, 0);
}

static void test_err_region_overlap(void)
{
	/* physical overlap, distinct IPAs: reported on the later region */
	fresh();
	region_of(cur, 1, 2)->phys_start = 0x60000000 + 0x0ff00000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 1, 2);
	/* virtual overlap, distinct physical ranges */
	fresh();
	region_of(cur, 1, 2)->virt_start = 0x40000000 + 0x0ffff000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 1, 2);
	/* identical ranges in the root */
	fresh();
	*region_of(cur, 0, 1) = *region_of(cur, 0, 0);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 0, 1);
	/* one containing the other, the later region is the smaller one */
	default_system(&desc);
	desc.cells[2].nregions = 2;
	desc.cells[2].regions[1] = region(0x71080000, 0x1000000, 0x1000, RW);
	desc.cells[2].regions[0] = region(0x71000000, 0x1000000 - 0x80000,
					  0x100000, RWX);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 2, 1);
	/* adjacent ranges do not overlap */
	desc.cells[2].regions[1] = region(0x71100000, 0x1000000 + 0x80000, 0x1000, RW);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_err_region_hv(void)
{
	fresh();
	/* the last page of hypervisor memory */
	region_of(cur, 1, 2)->phys_start = HV_BASE + HV_SIZE - 0x1000;
	region_of(cur, 1, 2)->size = 0x1000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_HV, 1, 2);
	/* a region around all of it */
	fresh();
	region_of(cur, 0, 0)->size = 0x80000000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_HV, 0, 0);
	/* touching it on either side is fine */
	fresh();
	region_of(cur, 0, 0)->size = HV_BASE - 0x40000000;
	region_of(cur, 1, 2)->phys_start = HV_BASE + HV_SIZE;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

/* Regions beyond the 39-bit IPA or 48-bit PA space Haven maps. */
static void test_region_range(void)
{
	fresh();
	region_of(cur, 1, 1)->virt_start = HAVEN_IPA_LIMIT - 0x1000;
	region_of(cur, 1, 1)->size = 0x2000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_RANGE, 1, 1);
	fresh();
	region_of(cur, 1, 0)->phys_start = HAVEN_PA_LIMIT;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_RANGE, 1, 0);
}

/* The first failing rule wins, and later cells are not looked at. */
static void test_first_error_wins(void)
{
	fresh();
	region_of(cur, 1, 0)->size = 0;
	cell_of(cur, 2)->cpus = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 1, 0);
}

/* --- comm page ------------------------------------------------------------ */

static void test_comm_page_valid(void)
{
	/* the default system: cell 2's comm page right above its RAM */
	fresh();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* two cells' comm pages both at phys 0: no conflict */
	default_system(&desc);
	desc.cells[1].regions[desc.cells[1].nregions++] =
		region(0, 0x50000000, 0x1000, COMM);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* phys 0 is ignored against the cell's own regions ... */
	default_system(&desc);
	desc.cells[2].regions[desc.cells[2].nregions++] =
		region(0, 0x200000, 0x1000, RW | HAVEN_MEM_IO);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* ... and against hypervisor memory at phys 0 */
	default_system(&desc);
	desc.hv_mem_base = 0;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* the comm page may come first */
	default_system(&desc);
	desc.cells[2].regions[1] = desc.cells[2].regions[0];
	desc.cells[2].regions[0] = region(0, 0x100000, 0x1000, COMM);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void expect_comm_value(hv_u64 value)
{
	struct haven_cfg_result r = { 0 };

	CHECK_EQI(haven_check_system(cur, cur_size, &r), -1);
	CHECK_EQ(r.code, HAVEN_CFG_REGION_COMM);
	CHECK_EQ(r.value, value);
}

static void test_err_region_comm(void)
{
	static const hv_u64 bad_flags[] = {
		COMM | HAVEN_MEM_EXEC, COMM | HAVEN_MEM_LOADABLE,
		HAVEN_MEM_COMM | HAVEN_MEM_READ, COMM | HAVEN_MEM_IO,
	};
	unsigned int i;

	/* not at phys 0 */
	fresh();
	region_of(cur, 2, 1)->phys_start = 0x72000000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_COMM, 2, 1);
	expect_comm_value(0x72000000);
	/* not one page */
	fresh();
	region_of(cur, 2, 1)->size = 0x2000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_COMM, 2, 1);
	expect_comm_value(0x2000);
	/* flags other than comm, read and write */
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		fresh();
		region_of(cur, 2, 1)->flags = bad_flags[i];
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_COMM, 2, 1);
		expect_comm_value(bad_flags[i]);
	}
	/* read is required of every region, comm or not */
	fresh();
	region_of(cur, 2, 1)->flags = HAVEN_MEM_COMM | HAVEN_MEM_WRITE;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 2, 1);
	/* exec and io together stay a flags error */
	fresh();
	region_of(cur, 2, 1)->flags = COMM | HAVEN_MEM_IO | HAVEN_MEM_EXEC;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 2, 1);
	/* a second one in the cell, elsewhere in its IPA space */
	default_system(&desc);
	desc.cells[2].regions[2] = region(0, 0x300000, 0x1000, COMM);
	desc.cells[2].nregions = 3;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_COMM, 2, 2);
	expect_comm_value(0x300000);
	/* never in the root cell, even if valid otherwise */
	default_system(&desc);
	desc.cells[0].regions[desc.cells[0].nregions++] =
		region(0, 0x100000, 0x1000, COMM);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_COMM, 0, 2);
	expect_comm_value(COMM);
}

static void test_comm_page_virt_overlap(void)
{
	/* its IPA inside the cell's RAM */
	fresh();
	region_of(cur, 2, 1)->virt_start = 0xff000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 2, 1);
	/* RAM listed after the comm page, over it */
	default_system(&desc);
	desc.cells[2].regions[1] = desc.cells[2].regions[0];
	desc.cells[2].regions[0] = region(0, 0x80000, 0x1000, COMM);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 2, 1);
}

/* A cell file is held to the same comm page rules. */
static void test_cell_file_comm(void)
{
	struct cell_desc cd;

	fresh();
	cd = desc.cells[2];
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
	cd.regions[1].phys_start = 0x1000;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_COMM, 1, 1);
	cd = desc.cells[2];
	cd.regions[2] = region(0, 0x200000, 0x1000, COMM);
	cd.nregions = 3;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_COMM, 1, 2);
	cd = desc.cells[2];
	cd.regions[1].virt_start = 0;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_OVERLAP, 1, 1);
}

/* --- emulated UART ------------------------------------------------------- */

/* Give declared cell 1 (linux, SPIs 33 and 64-95) a UART at IPA 0x0a000000. */
static void add_vuart(struct sys_desc *d, hv_u32 irq)
{
	struct cell_desc *c = &d->cells[1];

	c->regions[c->nregions++] = region(0, 0x0a000000, 0x1000, VUART);
	c->vuart_irq = irq;
}

static void expect_sys_value(unsigned int code, hv_u64 value)
{
	struct haven_cfg_result r = { 0 };

	CHECK_EQI(haven_check_system(cur, cur_size, &r), -1);
	CHECK_EQ(r.code, code);
	CHECK_EQ(r.value, value);
}

static void test_vuart_valid(void)
{
	/* linux with a UART signalled by one of its SPIs (the root has it too) */
	default_system(&desc);
	add_vuart(&desc, 64);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK(haven_cfg_irq_owned(cell_of(cur, 0), 64));
	CHECK_EQ(cell_of(cur, 1)->vuart_irq, 64);
	/* the highest SPI of the platform */
	set_irqs(cell_of(cur, 1)->irqs, 287, 287);
	cell_of(cur, 1)->vuart_irq = 287;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* a comm page and a UART in one cell, next to each other */
	default_system(&desc);
	desc.cells[2].regions[2] = region(0, 0x101000, 0x1000, VUART);
	desc.cells[2].nregions = 3;
	desc.cells[2].vuart_irq = 40;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* two cells' UARTs at the same IPA, both at phys 0: no conflict */
	default_system(&desc);
	add_vuart(&desc, 64);
	desc.cells[2].regions[desc.cells[2].nregions++] =
		region(0, 0x0a000000, 0x1000, VUART);
	desc.cells[2].vuart_irq = 40;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* phys 0 is not checked against hypervisor memory there */
	default_system(&desc);
	add_vuart(&desc, 64);
	desc.hv_mem_base = 0;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* the UART may come first */
	default_system(&desc);
	desc.cells[1].regions[3] = desc.cells[1].regions[0];
	desc.cells[1].regions[0] = region(0, 0x0a000000, 0x1000, VUART);
	desc.cells[1].nregions = 4;
	desc.cells[1].vuart_irq = 33;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_err_region_vuart(void)
{
	static const hv_u64 bad_flags[] = {
		VUART | HAVEN_MEM_EXEC, VUART | HAVEN_MEM_LOADABLE,
		HAVEN_MEM_VUART | HAVEN_MEM_READ, VUART | HAVEN_MEM_IO,
	};
	unsigned int i;

	/* not at phys 0 */
	default_system(&desc);
	add_vuart(&desc, 64);
	desc.cells[1].regions[3].phys_start = 0x09000000;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_VUART, 1, 3);
	expect_sys_value(HAVEN_CFG_REGION_VUART, 0x09000000);
	/* not one page */
	region_of(cur, 1, 3)->phys_start = 0;
	region_of(cur, 1, 3)->size = 0x2000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_VUART, 1, 3);
	expect_sys_value(HAVEN_CFG_REGION_VUART, 0x2000);
	/* flags other than vuart, read and write */
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		region_of(cur, 1, 3)->size = 0x1000;
		region_of(cur, 1, 3)->flags = bad_flags[i];
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_VUART, 1, 3);
		expect_sys_value(HAVEN_CFG_REGION_VUART, bad_flags[i]);
	}
	/* read is required of every region; a comm page is no UART */
	region_of(cur, 1, 3)->flags = HAVEN_MEM_VUART | HAVEN_MEM_WRITE;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 1, 3);
	region_of(cur, 1, 3)->flags = VUART | HAVEN_MEM_COMM;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_COMM, 1, 3);
	/* a second one in the cell, elsewhere in its IPA space */
	default_system(&desc);
	add_vuart(&desc, 64);
	desc.cells[1].regions[desc.cells[1].nregions++] =
		region(0, 0x0b000000, 0x1000, VUART);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_VUART, 1, 4);
	expect_sys_value(HAVEN_CFG_REGION_VUART, 0x0b000000);
	/* never in the root cell, even if valid otherwise */
	default_system(&desc);
	desc.cells[0].regions[desc.cells[0].nregions++] =
		region(0, 0x0a000000, 0x1000, VUART);
	desc.cells[0].vuart_irq = 64;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_VUART, 0, 2);
	expect_sys_value(HAVEN_CFG_REGION_VUART, VUART);
	/* its IPA is checked like any region's */
	default_system(&desc);
	add_vuart(&desc, 64);
	desc.cells[1].regions[3].virt_start = 0x0a000800;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_ALIGN, 1, 3);
	region_of(cur, 1, 3)->virt_start = 0x09000000; /* linux's own UART */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 1, 3);
	region_of(cur, 1, 3)->virt_start = 0x4ffff000; /* inside its RAM */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 1, 3);
}

static void test_err_vuart_irq(void)
{
	static const hv_u32 bad[] = { 0, 1, 27, 31, 32, 34, 96, 287, 288, 1023,
				      1024, 0xffffffff };
	unsigned int i;

	/* with a UART: an SPI of the platform the cell owns */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		default_system(&desc);
		add_vuart(&desc, bad[i]);
		set_irqs(desc.cells[1].irqs, 0, 31); /* owning a PPI is no help */
		rebuild();
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_VUART_IRQ, 1, -1);
		expect_sys_value(HAVEN_CFG_VUART_IRQ, bad[i]);
	}
	/* without a UART: 0 */
	fresh();
	cell_of(cur, 2)->vuart_irq = 40;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_VUART_IRQ, 2, -1);
	expect_sys_value(HAVEN_CFG_VUART_IRQ, 40);
	fresh();
	cell_of(cur, 0)->vuart_irq = 280;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_VUART_IRQ, 0, -1);
	/* the cell's regions are checked first */
	default_system(&desc);
	add_vuart(&desc, 0);
	desc.cells[1].regions[1].size = 0;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 1, 1);
	/* another declared cell owning the SPI too: the SPI conflict */
	default_system(&desc);
	add_vuart(&desc, 64);
	set_irqs(desc.cells[2].irqs, 64, 64);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CELL_CONFLICT, 2, -1);
	expect_sys_value(HAVEN_CFG_CELL_CONFLICT, 64);
}

/* --- cell flags ---------------------------------------------------------- */

static void test_err_cell_flags(void)
{
	struct cell_desc cd;
	hv_u32 bit;

	/* fault-abort in a declared cell */
	fresh();
	cell_of(cur, 1)->flags = HAVEN_CELL_FAULT_ABORT;
	cell_of(cur, 2)->flags = HAVEN_CELL_FAULT_ABORT;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/*
	 * unknown bits (bit 1 is HAVEN_CELL_DIRECT_IRQ: test_err_direct_irq;
	 * bit 2 HAVEN_CELL_PMU_EL2: test_err_pmu_el2)
	 */
	for (bit = 3; bit < 32; bit++) {
		fresh();
		cell_of(cur, 2)->flags = HAVEN_CELL_FAULT_ABORT | 1U << bit;
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_CELL_FLAGS, 2, -1);
		expect_sys_value(HAVEN_CFG_CELL_FLAGS,
				 HAVEN_CELL_FAULT_ABORT | 1U << bit);
	}
	/* the root has none */
	fresh();
	cell_of(cur, 0)->flags = HAVEN_CELL_FAULT_ABORT;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CELL_FLAGS, 0, -1);
	expect_sys_value(HAVEN_CFG_CELL_FLAGS, HAVEN_CELL_FAULT_ABORT);
	/* a cell file: fault-abort is fine, unknown bits are not */
	fresh();
	cd = desc.cells[1];
	cd.flags = HAVEN_CELL_FAULT_ABORT;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
	cd.flags = 0x80000000;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_CELL_FLAGS, 1, -1);
}

/* --- across cells ------------------------------------------------------------- */

static void test_final_cells(void)
{
	static const hv_u32 good[] = { 0, 0x2, 0x4, 0x6 };
	static const hv_u32 bad[] = { 0x1, 0x7, 0x8, 0xe, 0x80000000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fresh();
		sys_of(cur)->final_cells = good[i];
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct haven_cfg_result r = { 0 };

		fresh();
		sys_of(cur)->final_cells = bad[i];
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_FINAL_CELLS, -1, -1);
		haven_check_system(cur, cur_size, &r);
		CHECK_EQ(r.value, bad[i]);
	}
	/* no declared cells: nothing to name */
	default_system(&desc);
	desc.ncells = 0;
	desc.final_cells = 0x2;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_FINAL_CELLS, -1, -1);
	desc.final_cells = 0;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

/* Expect CELL_CONFLICT on cell, region with value. */
static const char *conflict(int cell, int region, hv_u64 value)
{
	static char msg[160];
	struct haven_cfg_result r = { 0 };
	int rc = haven_check_system(cur, cur_size, &r);

	if (rc == -1 && r.code == HAVEN_CFG_CELL_CONFLICT && r.cell == cell &&
	    r.region == region && r.value == value)
		return NULL;
	snprintf(msg, sizeof(msg), "rc %d %s cell %d region %d value 0x%llx",
		 rc, cfg_name(r.code), r.cell, r.region,
		 (unsigned long long)r.value);
	return msg;
}

#define EXPECT_CONFLICT(cell, region, value)                                   \
	do {                                                                   \
		const char *m_ = conflict((cell), (region), (value));          \
		if (m_)                                                        \
			FAILF("%s", m_);                                       \
	} while (0)

static void test_cell_conflict(void)
{
	/* an SPI */
	fresh();
	set_irqs(cell_of(cur, 2)->irqs, 95, 95);
	EXPECT_CONFLICT(2, -1, 95);
	fresh();
	set_irqs(cell_of(cur, 2)->irqs, 64, 287);
	EXPECT_CONFLICT(2, -1, 64);
	/* RAM overlapping another cell's */
	fresh();
	region_of(cur, 2, 0)->phys_start = 0x6ff00000;
	EXPECT_CONFLICT(2, 0, 0x6ff00000);
	/* a device both map, reported on the later cell's region */
	default_system(&desc);
	desc.cells[2].regions[2] = region(0x09000000, 0x09000000, 0x1000,
					  RW | HAVEN_MEM_IO);
	desc.cells[2].nregions = 3;
	rebuild();
	EXPECT_CONFLICT(2, 2, 0x09000000);
	/* the first and the third of three cells */
	default_system(&desc);
	desc.ncells = 3;
	desc.cells[3] = desc.cells[2];
	desc.cells[3].name = "third";
	desc.cells[1].cpus = 0x4; /* linux gives CPU 3 to the third cell */
	desc.cells[3].cpus = 0x8;
	desc.cells[3].regions[0].phys_start = 0x72000000;
	memset(desc.cells[3].irqs, 0, sizeof(desc.cells[3].irqs));
	set_irqs(desc.cells[3].irqs, 33, 33); /* also linux's */
	rebuild();
	EXPECT_CONFLICT(3, -1, 33);
}

static void test_cells_may_share(void)
{
	/* SGIs and PPIs are per CPU: every cell may own them */
	fresh();
	set_irqs(cell_of(cur, 1)->irqs, 0, 31);
	set_irqs(cell_of(cur, 2)->irqs, 0, 15);
	set_irqs(cell_of(cur, 2)->irqs, 27, 27);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* memory right next to another cell's */
	fresh();
	region_of(cur, 2, 0)->phys_start = 0x70200000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* the same IPAs in two cells */
	fresh();
	region_of(cur, 2, 0)->virt_start = 0x40000000;
	region_of(cur, 2, 1)->virt_start = 0x40100000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* CPUs, SPIs and memory of the root (the default system has all three) */
	fresh();
	CHECK(cell_of(cur, 0)->cpus & cell_of(cur, 1)->cpus);
	CHECK(haven_cfg_irq_owned(cell_of(cur, 0), 40));
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_root_cpus(void)
{
	struct haven_cfg_result r = { 0 };

	/* linux takes 2-3, bare 1: the root keeps CPU 0 */
	fresh();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* bare takes 0 and 1 as well */
	cell_of(cur, 2)->cpus = 0x3;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_ROOT_CPUS, 2, -1);
	CHECK_EQI(haven_check_system(cur, cur_size, &r), -1);
	CHECK_EQ(r.value, 0xf);
	/* a root of CPUs 2-3 loses both to linux, the first cell */
	fresh();
	cell_of(cur, 0)->cpus = 0xc;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_ROOT_CPUS, 1, -1);
	/* the root only needs one CPU nobody else takes */
	fresh();
	cell_of(cur, 0)->cpus = 0x1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	cell_of(cur, 0)->cpus = 0x6;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_ROOT_CPUS, 2, -1);
}

/* Each cell is checked on its own before the cells are compared. */
static void test_cell_rules_before_conflicts(void)
{
	fresh();
	cell_of(cur, 2)->cpus = 0xf; /* shares, takes every root CPU */
	region_of(cur, 2, 0)->size = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SIZE, 2, 0);
	fresh();
	cell_of(cur, 2)->cpus = 0xf;
	sys_of(cur)->final_cells = 0x10;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_FINAL_CELLS, -1, -1);
	sys_of(cur)->final_cells = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_ROOT_CPUS, 2, -1);
	/* the conflicts before the sharing rules */
	cell_of(cur, 2)->cpus = 0xe; /* CPUs 2 and 3 shared, no sched */
	set_irqs(cell_of(cur, 2)->irqs, 64, 64);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CELL_CONFLICT, 2, -1);
	cell_of(cur, 2)->irqs[1] = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SCHED_MISSING, 1, -1);
	/* a sched out of range before them too */
	cell_of(cur, 2)->sched.period_us = HAVEN_SCHED_MAX_PERIOD_US + 1;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SCHED_RANGE, 2, -1);
}

/* --- cell files ------------------------------------------------------------ */

static void test_cell_file(void)
{
	struct cell_desc cd;
	hv_u8 *p;

	fresh();
	CHECK_EQI(haven_check_system(cur, cur_size, &(struct haven_cfg_result){ 0 }), 0);
	cd = desc.cells[1];
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);

	/* regions are checked against this system's hypervisor memory */
	cd.regions[1] = region(HV_BASE, 0x20000000, 0x1000, RW);
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_HV, 1, 1);

	/* and CPUs and interrupts against its platform */
	cd = desc.cells[1];
	cd.cpus = 0x30;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_CPU_RANGE, 1, -1);
	cd = desc.cells[1];
	set_irqs(cd.irqs, 300, 300);
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_IRQ_RANGE, 1, -1);

	/* overlap inside the cell file */
	cd = desc.cells[1];
	cd.regions[2].virt_start = 0x4ffff000;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_OVERLAP, 1, 2);

	/* header, size and bounds problems */
	cd = desc.cells[1];
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	p = copy_of(cur2, 100);
	hdr(p)->total_size = 100;
	EXPECT_CELL(p, 100, sys_of(cur), HAVEN_CFG_SHORT, -1, -1);
	free(p);
	p = copy_of(cur2, cur2_size - 32);
	EXPECT_CELL(p, cur2_size - 32, sys_of(cur), HAVEN_CFG_TOTAL_SIZE, -1, -1);
	hdr(p)->total_size = (hv_u32)(cur2_size - 32);
	EXPECT_CELL(p, cur2_size - 32, sys_of(cur), HAVEN_CFG_BOUNDS, 1, -1);
	free(p);
	hdr(cur2)->magic[0] = 'h';
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_MAGIC, -1, -1);
}

/* A cell file is held to the same UART rules, against its system's platform. */
static void test_cell_file_vuart(void)
{
	struct cell_desc cd;

	fresh();
	cd = desc.cells[1];
	cd.regions[cd.nregions++] = region(0, 0x0a000000, 0x1000, VUART);
	cd.vuart_irq = 33;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
	/* the platform has 288 INTIDs */
	set_irqs(cd.irqs, 300, 300);
	cd.vuart_irq = 300;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_IRQ_RANGE, 1, -1);
	cd.irqs[300 / 64] = 0;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_VUART_IRQ, 1, -1);
	/* a second UART */
	cd.vuart_irq = 33;
	cd.regions[cd.nregions++] = region(0, 0x0a001000, 0x1000, VUART);
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_VUART, 1, 4);
}

/* --- SMMU, PCI and SMCs ---------------------------------------------------- */

#define SMMU_BASE 0x09050000ULL
#define SMMU_SIZE 0x20000ULL
#define SMMU_EVENT 106
#define SMMU_GERROR 109
#define ECAM_BASE 0x3f000000ULL
#define ECAM_SIZE 0x1000000ULL /* 16 buses */
#define BDF(bus, dev, fn) ((hv_u16)((bus) << 8 | (dev) << 3 | (fn)))

static void clear_irq(hv_u64 *irqs, unsigned int irq)
{
	irqs[irq / 64] &= ~(1ULL << (irq % 64));
}

/*
 * The default system on QEMU virt's SMMU and ECAM: the root without the
 * SMMU's SPIs and with stream 1; linux with stream 8, PCI 00:01.0 and two
 * SMCs; bare with streams 0x10 and 0x11 and PCI 00:02.0.
 */
static void device_system(struct sys_desc *d)
{
	struct haven_platform *p = &d->platform;
	struct cell_desc *c;

	default_system(d);
	p->smmu_base = SMMU_BASE;
	p->smmu_size = SMMU_SIZE;
	p->smmu_event_irq = SMMU_EVENT;
	p->smmu_gerror_irq = SMMU_GERROR;
	p->pci_ecam_base = ECAM_BASE;
	p->pci_ecam_size = ECAM_SIZE;
	c = &d->cells[0];
	clear_irq(c->irqs, SMMU_EVENT);
	clear_irq(c->irqs, SMMU_GERROR);
	c->streams[c->nstreams++] = 1;
	c = &d->cells[1];
	c->streams[c->nstreams++] = 8;
	c->pci[c->npci++] = BDF(0, 1, 0);
	c->smcs[c->nsmcs++] = 0x82000001;
	c->smcs[c->nsmcs++] = 0xc2000010;
	c = &d->cells[2];
	c->streams[c->nstreams++] = 0x10;
	c->streams[c->nstreams++] = 0x11;
	c->pci[c->npci++] = BDF(0, 2, 0);
}

/* cur: a fresh device_system(); desc holds its description. */
static void fresh_devices(void)
{
	device_system(&desc);
	rebuild();
}

#define EXPECT_SYS_V(code, cell, region, value)                                \
	do {                                                                   \
		EXPECT_SYS(cur, cur_size, (code), (cell), (region));           \
		expect_sys_value((code), (value));                             \
	} while (0)

static void test_devices_valid(void)
{
	static const hv_u32 smcs[] = { 0x00000000, 0x7fffffff, 0x80010000,
				       0x83ffffff, 0x85000000, 0xc3ffffff,
				       0xc5ffffff, 0xc7000000, 0xffffffff,
				       0x95c1ba5d, 0x95c1ba62 };
	struct cell_desc *c;
	unsigned int i;

	fresh_devices();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK_EQ(cell_of(cur, 1)->pci_devices[0], 0x0008);
	CHECK_EQ(cell_of(cur, 2)->stream_ids[1], 0x11);
	/* the limits: 8 streams (0 and 255), 8 functions, 4 SMCs */
	device_system(&desc);
	c = &desc.cells[2];
	c->nstreams = HAVEN_MAX_STREAMS;
	for (i = 0; i < HAVEN_MAX_STREAMS; i++)
		c->streams[i] = i ? HAVEN_STREAM_LIMIT - i : 0;
	c->npci = HAVEN_MAX_PCI_DEVICES;
	for (i = 0; i < HAVEN_MAX_PCI_DEVICES; i++)
		c->pci[i] = BDF(15, 31 - i, 7 - i);
	for (i = 0; i < HAVEN_MAX_SMCS; i++)
		c->smcs[i] = 0x82000000 + i;
	c->nsmcs = HAVEN_MAX_SMCS;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* SMC function IDs just outside Haven's ranges */
	for (i = 0; i < sizeof(smcs) / sizeof(smcs[0]); i++) {
		device_system(&desc);
		desc.cells[2].smcs[0] = smcs[i];
		desc.cells[2].nsmcs = 1;
		rebuild();
		EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	}
	/* two cells may allow the same SMC */
	device_system(&desc);
	desc.cells[2].smcs[0] = 0x82000001;
	desc.cells[2].nsmcs = 1;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* 256 buses, the last bus; SPIs 32 and 287 */
	device_system(&desc);
	desc.platform.pci_ecam_base = 0x100000000ULL;
	desc.platform.pci_ecam_size = 0x10000000;
	desc.cells[2].pci[0] = BDF(255, 31, 7);
	desc.platform.smmu_event_irq = 287;
	desc.platform.smmu_gerror_irq = 32;
	clear_irq(desc.cells[0].irqs, 32);
	clear_irq(desc.cells[0].irqs, 287);
	set_irqs(desc.cells[0].irqs, SMMU_EVENT, SMMU_EVENT);
	set_irqs(desc.cells[0].irqs, SMMU_GERROR, SMMU_GERROR);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* regions right next to the distributor, the SMMU and the ECAM */
	device_system(&desc);
	c = &desc.cells[0];
	c->regions[c->nregions++] = region(0x08010000, 0x08010000, 0x1000, RW);
	c->regions[c->nregions++] =
		region(SMMU_BASE - 0x1000, SMMU_BASE - 0x1000, 0x1000, RW);
	c->regions[c->nregions++] = region(SMMU_BASE + SMMU_SIZE,
					   SMMU_BASE + SMMU_SIZE, 0x1000, RW);
	c->regions[c->nregions++] =
		region(ECAM_BASE - 0x1000, ECAM_BASE - 0x1000, 0x1000, RW);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* no SMMU, no ECAM: their SPIs and addresses are nobody's business */
	default_system(&desc);
	desc.cells[0].regions[2] = region(ECAM_BASE, ECAM_BASE, ECAM_SIZE, RW);
	desc.cells[0].regions[3] = region(SMMU_BASE, SMMU_BASE, SMMU_SIZE, RW);
	desc.cells[0].nregions = 4;
	desc.cells[1].smcs[0] = 0x82000001;
	desc.cells[1].nsmcs = 1;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK(haven_cfg_irq_owned(cell_of(cur, 0), SMMU_EVENT));
}

static void test_err_platform_smmu(void)
{
	static const hv_u32 bad_irqs[] = { 0, 16, 31, 288, 1023, 0xffffffff };
	struct haven_platform *p;
	unsigned int i;

	/* without an SMMU, every SMMU field is 0 */
	fresh();
	sys_of(cur)->platform.smmu_base = SMMU_BASE;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_BASE);
	fresh();
	sys_of(cur)->platform.smmu_event_irq = SMMU_EVENT;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_EVENT);
	fresh();
	sys_of(cur)->platform.smmu_gerror_irq = SMMU_GERROR;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_GERROR);
	/* the region */
	fresh_devices();
	p = &sys_of(cur)->platform;
	p->smmu_base += 0x800;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_BASE + 0x800);
	p->smmu_base = SMMU_BASE;
	p->smmu_size = 0x20010;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_BASE);
	p->smmu_size = 0xfffffffffffff000ULL; /* wraps */
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_BASE);
	p->smmu_base = HAVEN_PA_LIMIT - 0x10000; /* crosses the PA limit */
	p->smmu_size = SMMU_SIZE;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, HAVEN_PA_LIMIT - 0x10000);
	p->smmu_base = HV_BASE + HV_SIZE - 0x1000; /* hypervisor memory */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_SMMU, -1, -1);
	p->smmu_base = 0x08000000 - 0x1000; /* the GIC distributor */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_SMMU, -1, -1);
	p->smmu_base = HV_BASE + HV_SIZE; /* touching both is fine */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	p->smmu_base = 0x08000000 - SMMU_SIZE;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* the interrupts: SPIs of the platform, two of them */
	for (i = 0; i < sizeof(bad_irqs) / sizeof(bad_irqs[0]); i++) {
		fresh_devices();
		sys_of(cur)->platform.smmu_event_irq = bad_irqs[i];
		EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, bad_irqs[i]);
		fresh_devices();
		sys_of(cur)->platform.smmu_gerror_irq = bad_irqs[i];
		EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, bad_irqs[i]);
	}
	fresh_devices();
	sys_of(cur)->platform.smmu_gerror_irq = SMMU_EVENT;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_SMMU, -1, -1, SMMU_EVENT);
	/* checked after the platform's interrupt count */
	fresh_devices();
	sys_of(cur)->platform.smmu_gerror_irq = 0;
	sys_of(cur)->platform.num_irqs = 300;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_IRQS, -1, -1);
}

static void test_err_platform_pci(void)
{
	struct haven_platform *p;

	/* without an ECAM, its base is 0 */
	fresh();
	sys_of(cur)->platform.pci_ecam_base = ECAM_BASE;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_PCI, -1, -1, ECAM_BASE);
	fresh_devices();
	p = &sys_of(cur)->platform;
	/* page- but not 1 MiB-aligned */
	p->pci_ecam_base = ECAM_BASE + 0x80000;
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_PCI, -1, -1, ECAM_BASE + 0x80000);
	p->pci_ecam_base = ECAM_BASE;
	p->pci_ecam_size = 0x180000; /* 1.5 buses */
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_PCI, -1, -1, ECAM_BASE);
	p->pci_ecam_base = 0x100000000ULL; /* above every region */
	p->pci_ecam_size = 0x10100000; /* 257 buses */
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_PCI, -1, -1, 0x100000000ULL);
	p->pci_ecam_size = 0x10000000; /* 256 */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	p->pci_ecam_base = 0xfffffffffff00000ULL; /* wraps */
	p->pci_ecam_size = 0x200000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_PCI, -1, -1);
	p->pci_ecam_base = HAVEN_PA_LIMIT - 0x100000; /* crosses the PA limit */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_PCI, -1, -1);
	p->pci_ecam_size = 0x100000; /* ends at it */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* Haven's other things: hypervisor memory, distributor, SMMU */
	p->pci_ecam_base = HV_BASE + HV_SIZE - 0x100000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_PCI, -1, -1);
	p->pci_ecam_base = 0x08000000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_PCI, -1, -1);
	p->pci_ecam_base = 0x09000000; /* 16 MiB over the SMMU at 0x09050000 */
	EXPECT_SYS_V(HAVEN_CFG_PLATFORM_PCI, -1, -1, 0x09000000);
	/* touching them is fine */
	p->pci_ecam_base = HV_BASE + HV_SIZE;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

/* A wrapping distributor could hide a region that overlaps it. */
static void test_err_platform_gic_wraps(void)
{
	fresh();
	sys_of(cur)->platform.gicd_base = 0xffffffffffff0000ULL;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_GIC, -1, -1);
	fresh();
	sys_of(cur)->platform.gicd_base = HAVEN_PA_LIMIT - 0x8000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PLATFORM_GIC, -1, -1);
}

static void test_err_region_haven_device(void)
{
	struct cell_desc cd;

	/* the distributor, in the root and in a declared cell */
	fresh_devices();
	region_of(cur, 0, 1)->phys_start = 0x0800f000;
	EXPECT_SYS_V(HAVEN_CFG_REGION_HAVEN_DEVICE, 0, 1, 0x0800f000);
	fresh_devices();
	region_of(cur, 1, 2)->phys_start = 0x07f00000; /* around all of it */
	EXPECT_SYS_V(HAVEN_CFG_REGION_HAVEN_DEVICE, 1, 2, 0x07f00000);
	/* the SMMU's last page; the ECAM's first and last */
	fresh_devices();
	region_of(cur, 1, 1)->phys_start = SMMU_BASE + SMMU_SIZE - 0x1000;
	EXPECT_SYS_V(HAVEN_CFG_REGION_HAVEN_DEVICE, 1, 1,
		     SMMU_BASE + SMMU_SIZE - 0x1000);
	fresh_devices();
	region_of(cur, 0, 1)->phys_start = ECAM_BASE;
	region_of(cur, 0, 1)->virt_start = ECAM_BASE;
	EXPECT_SYS_V(HAVEN_CFG_REGION_HAVEN_DEVICE, 0, 1, ECAM_BASE);
	fresh_devices();
	region_of(cur, 2, 0)->phys_start = ECAM_BASE + ECAM_SIZE - 0x100000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_HAVEN_DEVICE, 2, 0);
	/* the root's RAM grown over the ECAM, as QEMU's pcie-ecam region was */
	device_system(&desc);
	desc.cells[0].regions[2] =
		region(ECAM_BASE, ECAM_BASE, ECAM_SIZE, RW | HAVEN_MEM_IO);
	desc.cells[0].nregions = 3;
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_REGION_HAVEN_DEVICE, 0, 2, ECAM_BASE);
	/* the hypervisor memory is reported first */
	fresh_devices();
	region_of(cur, 0, 0)->phys_start = 0x08000000;
	region_of(cur, 0, 0)->size = 0x78000000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_HV, 0, 0);
	/* a cell file, against its system's platform */
	fresh_devices();
	cd = desc.cells[1];
	cd.regions[2].phys_start = SMMU_BASE;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_REGION_HAVEN_DEVICE,
		    1, 2);
}

static void test_err_irq_haven(void)
{
	struct cell_desc cd;

	/* the root of the default system owns every INTID, 106 and 109 too */
	device_system(&desc);
	set_irqs(desc.cells[0].irqs, 0, 287);
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_IRQ_HAVEN, 0, -1, SMMU_EVENT);
	fresh_devices();
	set_irqs(cell_of(cur, 2)->irqs, SMMU_GERROR, SMMU_GERROR);
	EXPECT_SYS_V(HAVEN_CFG_IRQ_HAVEN, 2, -1, SMMU_GERROR);
	/* the SPIs between them are anybody's */
	fresh_devices();
	set_irqs(cell_of(cur, 2)->irqs, SMMU_EVENT + 1, SMMU_GERROR - 1);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* before the regions */
	fresh_devices();
	set_irqs(cell_of(cur, 1)->irqs, SMMU_EVENT, SMMU_EVENT);
	region_of(cur, 1, 0)->size = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_IRQ_HAVEN, 1, -1);
	/* a cell file */
	cd = desc.cells[1];
	set_irqs(cd.irqs, SMMU_GERROR, SMMU_GERROR);
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_IRQ_HAVEN, 1, -1);
}

static void test_err_streams(void)
{
	struct cell_desc cd;

	/* more than the maximum */
	fresh_devices();
	cell_of(cur, 1)->num_stream_ids = HAVEN_MAX_STREAMS + 1;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 1, -1, HAVEN_MAX_STREAMS + 1);
	cell_of(cur, 1)->num_stream_ids = 0xffffffff;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 1, -1, 0xffffffff);
	/* beyond the stream table */
	fresh_devices();
	cell_of(cur, 2)->stream_ids[1] = HAVEN_STREAM_LIMIT;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 2, -1, HAVEN_STREAM_LIMIT);
	cell_of(cur, 2)->stream_ids[1] = 0xffffffff;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 2, -1, 0xffffffff);
	/* twice in one cell */
	fresh_devices();
	cell_of(cur, 2)->stream_ids[1] = 0x10;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 2, -1, 0x10);
	/* without an SMMU, the root's included */
	device_system(&desc);
	desc.platform.smmu_base = desc.platform.smmu_size = 0;
	desc.platform.smmu_event_irq = desc.platform.smmu_gerror_irq = 0;
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 0, -1, 1);
	/* in two cells: the root's and a declared cell's, two declared cells' */
	fresh_devices();
	cell_of(cur, 1)->stream_ids[0] = 1;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 1, -1, 1);
	fresh_devices();
	cell_of(cur, 2)->stream_ids[1] = 8;
	EXPECT_SYS_V(HAVEN_CFG_STREAMS, 2, -1, 8);
	/* each cell is checked on its own first */
	fresh_devices();
	cell_of(cur, 1)->stream_ids[0] = 0x11;
	cell_of(cur, 2)->cpus = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CPUS_EMPTY, 2, -1);
	/* a cell file: its own rules, not the other cells' */
	fresh_devices();
	cd = desc.cells[1];
	cd.streams[0] = 0x11; /* bare's, which a cell file cannot know */
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
	cd.streams[0] = HAVEN_STREAM_LIMIT;
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_STREAMS, 1, -1);
}

static void test_err_pci_devices(void)
{
	struct cell_desc cd;

	/* more than the maximum */
	fresh_devices();
	cell_of(cur, 2)->num_pci_devices = HAVEN_MAX_PCI_DEVICES + 1;
	EXPECT_SYS_V(HAVEN_CFG_PCI_DEVICES, 2, -1, HAVEN_MAX_PCI_DEVICES + 1);
	/* never in the root */
	device_system(&desc);
	desc.cells[0].pci[0] = BDF(0, 3, 0);
	desc.cells[0].npci = 1;
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_PCI_DEVICES, 0, -1, BDF(0, 3, 0));
	/* a bus beyond the ECAM's 16 */
	fresh_devices();
	cell_of(cur, 1)->pci_devices[0] = BDF(16, 0, 0);
	EXPECT_SYS_V(HAVEN_CFG_PCI_DEVICES, 1, -1, BDF(16, 0, 0));
	cell_of(cur, 1)->pci_devices[0] = BDF(15, 31, 7);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* no ECAM: no bus at all */
	device_system(&desc);
	desc.platform.pci_ecam_base = desc.platform.pci_ecam_size = 0;
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_PCI_DEVICES, 1, -1, BDF(0, 1, 0));
	/* twice in one cell, in two cells */
	device_system(&desc);
	desc.cells[2].pci[desc.cells[2].npci++] = BDF(0, 2, 0);
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_PCI_DEVICES, 2, -1, BDF(0, 2, 0));
	fresh_devices();
	cell_of(cur, 2)->pci_devices[0] = BDF(0, 1, 0);
	EXPECT_SYS_V(HAVEN_CFG_PCI_DEVICES, 2, -1, BDF(0, 1, 0));
	/* another function of the same device is another device */
	cell_of(cur, 2)->pci_devices[0] = BDF(0, 1, 1);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* a cell file */
	fresh_devices();
	cd = desc.cells[1];
	cd.pci[cd.npci++] = BDF(0x20, 0, 0);
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_PCI_DEVICES, 1, -1);
}

static void test_err_smcs(void)
{
	static const hv_u32 havens[] = {
		/* PSCI and the other standard secure services */
		0x84000000, 0x84000008, 0x840000ff, 0x84ffffff, 0xc4000000,
		0xc4000003, 0xc4ffffff,
		/* SMCCC architecture calls */
		0x80000000, 0x80000001, 0x8000ffff,
		/* Haven's hypercalls */
		0xc6000000, 0xc6000001, 0xc6ffffff,
		/* QEMU's and KVM's PSCI 0.1 CPU_SUSPEND, CPU_OFF, CPU_ON, MIGRATE */
		0x95c1ba5e, 0x95c1ba5f, 0x95c1ba60, 0x95c1ba61,
	};
	unsigned int i;

	fresh_devices();
	cell_of(cur, 1)->num_smcs = HAVEN_MAX_SMCS + 1;
	EXPECT_SYS_V(HAVEN_CFG_SMCS, 1, -1, HAVEN_MAX_SMCS + 1);
	for (i = 0; i < sizeof(havens) / sizeof(havens[0]); i++) {
		fresh_devices();
		cell_of(cur, 1)->smc_allow[1] = havens[i];
		EXPECT_SYS_V(HAVEN_CFG_SMCS, 1, -1, havens[i]);
	}
	/* twice */
	fresh_devices();
	cell_of(cur, 1)->smc_allow[1] = 0x82000001;
	EXPECT_SYS_V(HAVEN_CFG_SMCS, 1, -1, 0x82000001);
	/* the root may have one too (its other SMCs are refused) */
	device_system(&desc);
	desc.cells[0].smcs[0] = 0x82000001;
	desc.cells[0].nsmcs = 1;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* but not one of Haven's */
	desc.cells[0].smcs[0] = 0x84000001;
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_SMCS, 0, -1, 0x84000001);
}

/* The cell's reserved field and its unused slots are 0. */
static void test_err_cell_reserved(void)
{
	struct cell_desc cd;
	struct haven_cell *c;

	fresh_devices();
	cell_of(cur, 2)->reserved = 1;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 2, -1, 1);
	fresh_devices();
	cell_of(cur, 0)->reserved = 0x80000000;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 0, -1, 0x80000000);
	/* a slot beyond the count, though a valid value */
	fresh_devices();
	cell_of(cur, 1)->stream_ids[HAVEN_MAX_STREAMS - 1] = 0x20;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 1, -1, 0x20);
	fresh_devices();
	cell_of(cur, 1)->pci_devices[1] = BDF(0, 3, 0);
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 1, -1, BDF(0, 3, 0));
	fresh_devices();
	cell_of(cur, 2)->smc_allow[HAVEN_MAX_SMCS - 1] = 0x82000002;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 2, -1, 0x82000002);
	/* the count shrunk below what the slots hold */
	fresh_devices();
	cell_of(cur, 2)->num_stream_ids = 1;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 2, -1, 0x11);
	/* a cell file */
	cd = desc.cells[1];
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
	c = (struct haven_cell *)(cur2 + sizeof(struct haven_config_header));
	c->reserved = 2;
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_RESERVED, 1, -1);
}

/* --- scheduling of shared CPUs -------------------------------------------- */

static struct haven_sched sched(hv_u32 budget, hv_u32 period, hv_u32 priority)
{
	struct haven_sched s = { budget, period, priority, 0 };

	return s;
}

/*
 * The default system with linux (CPUs 2-3) and bare sharing CPU 3: linux
 * 2000 us every 10000 us at priority 2, bare 8000 us at priority 1.
 */
static void shared_system(struct sys_desc *d)
{
	default_system(d);
	d->cells[2].cpus = 0x8;
	d->cells[1].sched = sched(2000, 10000, 2);
	d->cells[2].sched = sched(8000, 10000, 1);
}

static void fresh_shared(void)
{
	shared_system(&desc);
	rebuild();
}

static struct haven_sched *sched_of(unsigned int cell)
{
	return &cell_of(cur, cell)->sched;
}

/* n declared cells, all on CPU 3, each with 1 MiB of its own and sched. */
static void crowd(struct sys_desc *d, unsigned int n, const hv_u32 *budget,
		  const hv_u32 *period)
{
	unsigned int i;

	default_system(d);
	d->ncells = n;
	for (i = 1; i <= n; i++) {
		d->cells[i] = d->cells[2];
		d->cells[i].name = "crowd";
		d->cells[i].cpus = 0x8;
		memset(d->cells[i].irqs, 0, sizeof(d->cells[i].irqs));
		d->cells[i].regions[0].phys_start = 0x71000000 + i * 0x100000ULL;
		d->cells[i].sched = sched(budget[i - 1], period[i - 1], i);
	}
}

static void test_sched_valid(void)
{
	struct cell_desc cd;

	/* no shared CPU: no sched anywhere, no shared CPUs */
	fresh();
	CHECK_EQ(haven_cfg_shared_cpus(sys_of(cur)), 0);
	fresh_shared();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK_EQ(haven_cfg_shared_cpus(sys_of(cur)), 0x8);
	/* the root's CPUs do not count */
	CHECK(cell_of(cur, 0)->cpus & 0x4);
	/* a best-effort cell; the limits of each field */
	sched_of(2)->budget_us = 0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	*sched_of(1) = sched(HAVEN_SCHED_MIN_BUDGET_US, 1000, 1);
	*sched_of(2) = sched(HAVEN_SCHED_MAX_PERIOD_US / 10 * 9,
			     HAVEN_SCHED_MAX_PERIOD_US, HAVEN_SCHED_MAX_PRIORITY);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* a budget of the whole period, beside a best-effort cell */
	*sched_of(1) = sched(10000, 10000, 7);
	*sched_of(2) = sched(0, 1, 6);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* two shared CPUs */
	shared_system(&desc);
	desc.cells[2].cpus = 0xc;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK_EQ(haven_cfg_shared_cpus(sys_of(cur)), 0xc);
	/* a cell file is checked on its own: any valid sched, or none */
	fresh_shared();
	cd = desc.cells[1];
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
	cd.sched = sched(0, 0, 0);
	free(cur2);
	cur2 = build_cell(&cd, &cur2_size);
	EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_OK, 1, 0);
}

/*
 * A flag for dedicated CPUs only: refused with code in either cell sharing
 * CPU 3, before its missing or present sched.
 */
static void expect_refused_shared(hv_u32 flag, unsigned int code)
{
	fresh_shared();
	cell_of(cur, 2)->flags = flag;
	EXPECT_SYS(cur, cur_size, code, 2, -1);
	expect_sys_value(code, 3);
	fresh_shared();
	cell_of(cur, 1)->flags = flag;
	sched_of(1)->period_us = 0;
	sched_of(1)->budget_us = 0;
	sched_of(1)->priority = 0;
	EXPECT_SYS(cur, cur_size, code, 1, -1);
	expect_sys_value(code, 3);
}

/* Direct interrupt delivery: declared cells on dedicated CPUs only. */
static void test_err_direct_irq(void)
{
	fresh();
	cell_of(cur, 1)->flags = HAVEN_CELL_DIRECT_IRQ;
	cell_of(cur, 2)->flags = HAVEN_CELL_DIRECT_IRQ | HAVEN_CELL_FAULT_ABORT;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	fresh();
	cell_of(cur, 0)->flags = HAVEN_CELL_DIRECT_IRQ;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CELL_FLAGS, 0, -1);
	expect_sys_value(HAVEN_CFG_CELL_FLAGS, HAVEN_CELL_DIRECT_IRQ);
	expect_refused_shared(HAVEN_CELL_DIRECT_IRQ, HAVEN_CFG_DIRECT_IRQ_SHARED);
}

/* EL2 event counting: dedicated CPUs, the root too, no final layout. */
static void test_err_pmu_el2(void)
{
	fresh();
	sys_of(cur)->final_cells = 0;
	cell_of(cur, 0)->flags = HAVEN_CELL_PMU_EL2;
	cell_of(cur, 1)->flags = HAVEN_CELL_PMU_EL2;
	cell_of(cur, 2)->flags = HAVEN_CELL_PMU_EL2 | HAVEN_CELL_FAULT_ABORT;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* the root: no other flag with it */
	cell_of(cur, 0)->flags = HAVEN_CELL_PMU_EL2 | HAVEN_CELL_FAULT_ABORT;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_CELL_FLAGS, 0, -1);
	/* a final layout: the first cell with the flag, the root first */
	fresh();
	sys_of(cur)->final_cells = 0x2;
	cell_of(cur, 2)->flags = HAVEN_CELL_PMU_EL2;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PMU_EL2_FINAL, 2, -1);
	expect_sys_value(HAVEN_CFG_PMU_EL2_FINAL, 0x2);
	cell_of(cur, 0)->flags = HAVEN_CELL_PMU_EL2;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_PMU_EL2_FINAL, 0, -1);
	expect_refused_shared(HAVEN_CELL_PMU_EL2, HAVEN_CFG_PMU_EL2_SHARED);
	/* the root lends its CPUs: not sharing */
	fresh_shared();
	cell_of(cur, 0)->flags = HAVEN_CELL_PMU_EL2;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_err_sched_range(void)
{
	static const struct {
		hv_u32 budget, period, priority;
		hv_u64 value;
	} bad[] = {
		{ 0, HAVEN_SCHED_MAX_PERIOD_US + 1, 1, HAVEN_SCHED_MAX_PERIOD_US + 1 },
		{ 0, 0xffffffff, 1, 0xffffffff },
		{ 1, 10000, 1, 1 },
		{ HAVEN_SCHED_MIN_BUDGET_US - 1, 10000, 1, HAVEN_SCHED_MIN_BUDGET_US - 1 },
		{ 10001, 10000, 1, 10001 },
		{ 2000, 10000, 0, 0 },
		{ 2000, 10000, HAVEN_SCHED_MAX_PRIORITY + 1, HAVEN_SCHED_MAX_PRIORITY + 1 },
		{ 2000, 0, 0, 2000 }, /* no period: all 0 */
		{ 0, 0, 3, 3 },
	};
	struct cell_desc cd;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fresh_shared();
		*sched_of(2) = sched(bad[i].budget, bad[i].period,
				     bad[i].priority);
		EXPECT_SYS_V(HAVEN_CFG_SCHED_RANGE, 2, -1, bad[i].value);
		/* the same in a cell file */
		cd = desc.cells[2];
		cd.sched = *sched_of(2);
		free(cur2);
		cur2 = build_cell(&cd, &cur2_size);
		EXPECT_CELL(cur2, cur2_size, sys_of(cur), HAVEN_CFG_SCHED_RANGE,
			    1, -1);
	}
	/* reserved */
	fresh_shared();
	sched_of(1)->reserved = 5;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 1, -1, 5);
	fresh();
	sched_of(2)->reserved = 0x80000000;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 2, -1, 0x80000000);
	/* the root never has one, valid or not */
	fresh_shared();
	*sched_of(0) = sched(2000, 10000, 3);
	EXPECT_SYS_V(HAVEN_CFG_SCHED_UNUSED, 0, -1, 10000);
	*sched_of(0) = sched(0, 0, 3);
	EXPECT_SYS_V(HAVEN_CFG_SCHED_RANGE, 0, -1, 3);
	*sched_of(0) = sched(0, 0, 0);
	sched_of(0)->reserved = 1;
	EXPECT_SYS_V(HAVEN_CFG_RESERVED, 0, -1, 1);
}

static void test_err_sched_sharing(void)
{
	/* a CPU in two declared cells: both need a sched */
	fresh();
	cell_of(cur, 2)->cpus |= 0x4;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_MISSING, 1, -1, 2);
	fresh_shared();
	*sched_of(2) = sched(0, 0, 0);
	EXPECT_SYS_V(HAVEN_CFG_SCHED_MISSING, 2, -1, 3);
	fresh_shared();
	*sched_of(1) = sched(0, 0, 0);
	EXPECT_SYS_V(HAVEN_CFG_SCHED_MISSING, 1, -1, 3);
	/* and only they: bare on CPU 1 again */
	fresh_shared();
	cell_of(cur, 2)->cpus = 0x2;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_UNUSED, 1, -1, 10000);
	fresh();
	*sched_of(2) = sched(0, 500, 1); /* best effort, on its own */
	EXPECT_SYS_V(HAVEN_CFG_SCHED_UNUSED, 2, -1, 500);
	/* sharing with the root is not sharing */
	fresh();
	CHECK(cell_of(cur, 0)->cpus & cell_of(cur, 2)->cpus);
	*sched_of(2) = sched(2000, 10000, 1);
	EXPECT_SYS_V(HAVEN_CFG_SCHED_UNUSED, 2, -1, 10000);
}

static void test_err_sched_priority(void)
{
	fresh_shared();
	sched_of(2)->priority = 2;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_PRIORITY, 2, -1, 2);
	/* the same priority on different shared CPUs is fine */
	shared_system(&desc);
	desc.ncells = 4;
	desc.cells[3] = desc.cells[2];
	desc.cells[3].name = "third";
	desc.cells[3].cpus = 0x2;
	desc.cells[3].regions[0].phys_start = 0x72000000;
	memset(desc.cells[3].irqs, 0, sizeof(desc.cells[3].irqs));
	desc.cells[4] = desc.cells[3];
	desc.cells[4].name = "fourth";
	desc.cells[4].regions[0].phys_start = 0x73000000;
	desc.cells[3].sched = sched(200, 2000, 2);
	desc.cells[4].sched = sched(200, 2000, 1);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	CHECK_EQ(haven_cfg_shared_cpus(sys_of(cur)), 0xa);
	sched_of(4)->priority = 2;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_PRIORITY, 4, -1, 2);
	/* a cell on both shared CPUs (80% + 10% + 10% of CPU 1): unique on each */
	sched_of(4)->priority = 1;
	cell_of(cur, 2)->cpus = 0xa;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SCHED_PRIORITY, 4, -1);
	sched_of(4)->priority = 3;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_err_sched_overload(void)
{
	/* 1/3 + 1/3 + 1/3 and 0.1 + 0.2 + 0.7 are exactly the CPU */
	static const hv_u32 thirds[] = { 100, 100, 100 }, p300[] = { 300, 300, 300 };
	static const hv_u32 tenths[] = { 1000, 2000, 7000 },
			    p10k[] = { 10000, 10000, 10000 };
	/* primes near 2^20: sums 1 - 1/(P1 P2 P3) and 1 + 1/(P1 P2 P3) */
	static const hv_u32 pb[] = { 999983, 999979, 999961 },
			    below[] = { 897712, 69443, 32827 };
	static const hv_u32 pa[] = { 999983, 999979, 999959 },
			    above[] = { 510408, 237495, 252073 };
	/* seven cells, products of 140 bits: 1 -/+ 1/(P1 ... P7) */
	static const hv_u32 pb7[] = { 999983, 999979, 999959, 999907, 999727,
				      999721, 999683 },
			    below7[] = { 35260, 430355, 47654, 9639, 293159, 21551,
					 162232 };
	static const hv_u32 pa7[] = { 999983, 999979, 999961, 999959, 999917,
				      999809, 999683 },
			    above7[] = { 197030, 123129, 88527, 50736, 71155,
					 287058, 182235 };

	fresh_shared();
	sched_of(1)->budget_us = 2001;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_OVERLOAD, 2, -1, 3);
	fresh_shared();
	sched_of(2)->period_us = 9999;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_OVERLOAD, 2, -1, 3);
	crowd(&desc, 3, thirds, p300);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	sched_of(2)->budget_us = 101;
	EXPECT_SYS_V(HAVEN_CFG_SCHED_OVERLOAD, 3, -1, 3);
	crowd(&desc, 3, tenths, p10k);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	crowd(&desc, 3, below, pb);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	crowd(&desc, 3, above, pa);
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_SCHED_OVERLOAD, 3, -1, 3);
	crowd(&desc, 7, below7, pb7);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	crowd(&desc, 7, above7, pa7);
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_SCHED_OVERLOAD, 7, -1, 3);
	/* best-effort cells take no share */
	crowd(&desc, 7, above7, pa7);
	desc.cells[7].sched.budget_us = 0;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

#define GICR_BASE 0x080a0000ULL

static void test_err_region_shared_gicr(void)
{
	/* linux maps the frames of CPUs 2 and 3, and CPU 3 is shared */
	shared_system(&desc);
	desc.cells[1].regions[2] = region(GICR_BASE + 2 * 0x20000,
					  GICR_BASE + 2 * 0x20000, 0x40000,
					  RW | HAVEN_MEM_IO);
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_REGION_SHARED_GICR, 1, 2,
		     GICR_BASE + 2 * 0x20000);
	/* CPU 2's frame alone is fine: only linux has CPU 2 */
	region_of(cur, 1, 2)->size = 0x20000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* any page of CPU 3's, by any declared cell */
	region_of(cur, 1, 2)->phys_start = GICR_BASE + 4 * 0x20000 - 0x1000;
	region_of(cur, 1, 2)->size = 0x1000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SHARED_GICR, 1, 2);
	region_of(cur, 1, 2)->phys_start = GICR_BASE + 4 * 0x20000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	region_of(cur, 1, 2)->phys_start = GICR_BASE + 3 * 0x20000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_SHARED_GICR, 1, 2);
	/* the root maps every frame: it shares nothing */
	fresh_shared();
	desc.cells[0].regions[1] = region(GICR_BASE, GICR_BASE, 0x80000,
					  RW | HAVEN_MEM_IO);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* a page of Haven's at that IPA has no physical range */
	fresh_shared();
	region_of(cur, 2, 1)->virt_start = GICR_BASE + 3 * 0x20000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* redistributors at the top of the address space: no wrap-around */
	fresh_shared();
	sys_of(cur)->platform.gicr_base = 0xfffffffffffa0000ULL;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

/* --- sub-page windows (config_check_subpage.c) ------------------------------ */

#define RTC 0x09010000ULL
#define WIN(widths) (HAVEN_MEM_READ | HAVEN_MEM_IO | HAVEN_MEM_SUBPAGE | (widths))
#define W8 HAVEN_MEM_WIDTH8
#define W32 HAVEN_MEM_WIDTH32

/*
 * The root maps the RTC's page; linux owns a window of its match register
 * (region 3), bare one of its ID registers (region 2, after the comm page).
 */
static void subpage_system(void)
{
	default_system(&desc);
	desc.cells[0].regions[desc.cells[0].nregions++] =
		region(RTC, RTC, 0x1000, RW | HAVEN_MEM_IO);
	desc.cells[1].regions[desc.cells[1].nregions++] =
		region(RTC + 4, RTC + 4, 4, WIN(W32) | HAVEN_MEM_WRITE);
	desc.cells[2].regions[desc.cells[2].nregions++] =
		region(RTC + 0xfe0, 0x200fe0, 0x20, WIN(W8 | W32));
	rebuild();
}

static void test_subpage_valid(void)
{
	subpage_system();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* the root keeps a window of its own in the page instead of all of it */
	desc.cells[0].regions[2] = region(RTC + 0x10, RTC + 0x10, 8, WIN(W32));
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	/* byte registers: any alignment; four pages at most */
	region_of(cur, 2, 2)->phys_start = RTC + 0x1001;
	region_of(cur, 2, 2)->virt_start = 0x201001;
	region_of(cur, 2, 2)->size = 0x3000 - 1;
	region_of(cur, 2, 2)->flags = WIN(W8);
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
}

static void test_err_subpage_region(void)
{
	static const hv_u64 bad_flags[] = {
		WIN(W32) & ~HAVEN_MEM_IO, HAVEN_MEM_READ | HAVEN_MEM_IO | HAVEN_MEM_SUBPAGE,
		WIN(W32) | HAVEN_MEM_LOADABLE, WIN(W32) | HAVEN_MEM_COMM,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		subpage_system();
		region_of(cur, 1, 3)->flags = bad_flags[i];
		EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_FLAGS, 1, 3, bad_flags[i]);
	}
	/* widths on a mapped region */
	subpage_system();
	region_of(cur, 0, 1)->flags |= W32;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_FLAGS, 0, 1);
	subpage_system();
	region_of(cur, 1, 3)->flags |= 1ULL << 12;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_FLAGS, 1, 3);
	subpage_system();
	region_of(cur, 1, 3)->flags |= HAVEN_MEM_EXEC;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_FLAGS, 1, 3);
	/* alignment to the smallest width, same offset in the page */
	subpage_system();
	region_of(cur, 1, 3)->phys_start = RTC + 2;
	region_of(cur, 1, 3)->virt_start = RTC + 2;
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_ALIGN, 1, 3, RTC + 2);
	subpage_system();
	region_of(cur, 1, 3)->size = 6;
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_ALIGN, 1, 3, 6);
	subpage_system();
	region_of(cur, 1, 3)->virt_start = 0x50000008;
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_ALIGN, 1, 3, 0x50000008);
	/* size: empty, wrapping, more than four pages */
	subpage_system();
	region_of(cur, 1, 3)->size = 0;
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_SIZE, 1, 3, 0);
	subpage_system();
	region_of(cur, 1, 3)->size = 0x4000;
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_SIZE, 1, 3, 0x4000); /* 5 pages from RTC + 4 */
	subpage_system();
	region_of(cur, 1, 3)->phys_start = 0xfffffffffffffff0ULL;
	region_of(cur, 1, 3)->size = 0x20;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_SIZE, 1, 3);
}

static void test_err_subpage_haven_device(void)
{
	static const hv_u64 pages[] = { 0x09000000, 0x08000000 + 0xf000,
					GICR_BASE + 0x7f000, HV_BASE + HV_SIZE - 0x1000 };
	unsigned int i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		subpage_system();
		region_of(cur, 2, 2)->phys_start = pages[i] + 0xfe0;
		EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_HAVEN_DEVICE, 2, 2, pages[i] + 0xfe0);
	}
	/* with the SMMU and the ECAM */
	subpage_system();
	sys_of(cur)->platform.smmu_base = 0x09050000;
	sys_of(cur)->platform.smmu_size = 0x20000;
	sys_of(cur)->platform.smmu_event_irq = 106;
	sys_of(cur)->platform.smmu_gerror_irq = 109;
	cell_of(cur, 0)->irqs[1] &= ~(0xfULL << (106 - 64));
	region_of(cur, 2, 2)->phys_start = 0x0906ffe0;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_HAVEN_DEVICE, 2, 2);
}

static void test_err_subpage_sharing(void)
{
	/* the same cell maps the window's page: physical or guest */
	subpage_system();
	region_of(cur, 1, 1)->phys_start = RTC;
	EXPECT_SYS_V(HAVEN_CFG_REGION_OVERLAP, 1, 3, RTC + 4);
	subpage_system();
	region_of(cur, 1, 1)->virt_start = RTC;
	region_of(cur, 1, 1)->phys_start = 0x09020000;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 1, 3);
	subpage_system();
	region_of(cur, 2, 1)->virt_start = 0x200000; /* the comm page */
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 2, 2);
	/* two windows of a cell may share a page, not bytes */
	subpage_system();
	desc.cells[2].regions[3] = region(RTC + 0xfd0, 0x200fd0, 0x10, WIN(W32));
	desc.cells[2].nregions++;
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_OK, 0, 0);
	region_of(cur, 2, 3)->size = 0x14;
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_REGION_OVERLAP, 2, 3);
	/* two cells' windows share bytes */
	subpage_system();
	region_of(cur, 2, 2)->phys_start = RTC;
	region_of(cur, 2, 2)->virt_start = 0x200000;
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_SHARED, 2, 2, RTC);
	/* a later cell maps a page with an earlier cell's window */
	subpage_system();
	desc.cells[2].regions[2] = region(RTC, 0x300000, 0x1000, RW | HAVEN_MEM_IO);
	rebuild();
	EXPECT_SYS_V(HAVEN_CFG_SUBPAGE_SHARED, 2, 2, RTC);
	/* a later cell's window in a page an earlier declared cell maps */
	subpage_system();
	desc.cells[1].regions[3] = region(RTC, 0x50000000, 0x1000, RW | HAVEN_MEM_IO);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_SHARED, 2, 2);
	/* the root's window is never handed over: bytes, and pages mapped */
	subpage_system();
	desc.cells[0].regions[2] = region(RTC + 4, RTC + 4, 4, WIN(W32));
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_SHARED, 1, 3);
	subpage_system();
	desc.cells[0].regions[2] = region(RTC + 0x800, RTC + 0x800, 4, WIN(W32));
	desc.cells[1].regions[3] = region(RTC, 0x50000000, 0x1000, RW | HAVEN_MEM_IO);
	rebuild();
	EXPECT_SYS(cur, cur_size, HAVEN_CFG_SUBPAGE_SHARED, 1, 3);
}

/* --- fuzzing ---------------------------------------------------------------- */

static hv_u64 rng_state = 0x9e3779b97f4a7c15ULL;

static hv_u64 rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static hv_u32 interesting32(hv_u64 size)
{
	static const hv_u32 v[] = { 0, 1, 7, 8, 16, 31, 32, 63, 64, 65, 255, 288,
				    1023, 1024, 4096, 0x7fffffff, 0x80000000,
				    0xffffffe0, 0xfffffff8, 0xffffffff };
	hv_u64 k = rnd() % (sizeof(v) / sizeof(v[0]) + 3);

	if (k < sizeof(v) / sizeof(v[0]))
		return v[k];
	/* offsets near the end of the file */
	return (hv_u32)(size - (rnd() % 72));
}

/* Mutate a copy of buf into a block of exactly its new size. */
static hv_u8 *mutate(const hv_u8 *buf, hv_u64 size, hv_u64 *out_size)
{
	hv_u64 n = size, i, k;
	hv_u8 *p;

	switch (rnd() % 8) {
	case 0: /* truncate anywhere */
		n = rnd() % (size + 1);
		break;
	case 1: /* truncate to a multiple of 8 */
		n = (rnd() % (size + 1)) & ~7ULL;
		break;
	case 2: /* grow */
		n = size + 1 + rnd() % 256;
		break;
	}
	p = malloc(n ? n : 1);
	if (!p)
		abort();
	memset(p, (int)(rnd() & 0xff), n);
	memcpy(p, buf, n < size ? n : size);

	k = 1 + rnd() % 6;
	for (i = 0; i < k && n; i++) {
		hv_u64 at = rnd() % n;

		switch (rnd() % 4) {
		case 0:
			p[at] = (hv_u8)rnd();
			break;
		case 1:
			p[at] ^= (hv_u8)(1u << (rnd() % 8));
			break;
		case 2: /* a 32-bit field (the format is 4-byte granular) */
			at &= ~3ULL;
			if (at + 4 <= n) {
				hv_u32 v = interesting32(n);

				memcpy(p + at, &v, 4);
			}
			break;
		case 3: /* a 64-bit field */
			at &= ~7ULL;
			if (at + 8 <= n) {
				hv_u64 v = (rnd() & 1) ? ~0ULL << (rnd() % 64) :
							 rnd() & ~0xfffULL;

				memcpy(p + at, &v, 8);
			}
			break;
		}
	}
	/* mostly keep total_size consistent, so mutations reach the body */
	if (n >= sizeof(struct haven_config_header) && rnd() % 8) {
		hv_u32 t = (hv_u32)n;

		memcpy(p + offsetof(struct haven_config_header, total_size), &t, 4);
	}
	*out_size = n;
	return p;
}

/* Touch everything an accepted file describes, as a consumer would. */
static hv_u64 consume_system(const hv_u8 *buf)
{
	const struct haven_system *sys = haven_cfg_system(buf);
	hv_u64 sum = 0;
	hv_u32 i, j;

	for (i = 0; i <= sys->num_cells; i++) {
		const struct haven_cell *c = haven_cfg_cell(buf, i);
		const struct haven_mem_region *r = haven_cfg_regions(buf, c);

		sum += strlen(c->name) + c->cpus;
		for (j = 0; j < c->num_mem_regions; j++)
			sum += r[j].phys_start + r[j].virt_start + r[j].size + r[j].flags;
		for (j = 0; j < HAVEN_MAX_IRQS; j++)
			sum += (hv_u64)haven_cfg_irq_owned(c, j);
	}
	return sum;
}

static void test_fuzz(void)
{
	enum { ROUNDS = 20000 };
	unsigned long hits[HAVEN_CFG_COUNT] = { 0 };
	unsigned int i, kinds = 0;
	hv_u64 cell_size, sum = 0;
	hv_u8 *cell;

	device_system(&desc); /* streams, PCI functions, SMCs, sharing too */
	desc.cells[2].cpus = 0x8;
	desc.cells[1].sched = sched(2000, 10000, 2);
	desc.cells[2].sched = sched(0, 10000, 1);
	rebuild();
	cell = build_cell(&desc.cells[1], &cell_size);
	free(cur2);
	cur2 = cell;
	cur2_size = cell_size;
	for (i = 0; i < ROUNDS; i++) {
		struct haven_cfg_result res = { 0 };
		hv_u64 n;
		hv_u8 *p;
		int rc;

		if (i % 4 == 3) {
			p = mutate(cur2, cur2_size, &n);
			rc = haven_check_cell(p, n, sys_of(cur), &res);
		} else {
			p = mutate(cur, cur_size, &n);
			rc = haven_check_system(p, n, &res);
			if (rc == 0)
				sum += consume_system(p);
		}
		free(p);
		if ((rc == 0) != (res.code == HAVEN_CFG_OK) || res.code >= HAVEN_CFG_COUNT)
			FAILF("round %u: rc %d with code %u", i, rc, res.code);
		if (rc && (res.cell < -1 || res.cell > HAVEN_MAX_CELLS ||
			   res.region < -1 || res.region >= HAVEN_MAX_MEM_REGIONS))
			FAILF("round %u: %s with cell %d region %d", i,
			      cfg_name(res.code), res.cell, res.region);
		hits[res.code]++;
	}
	for (i = 0; i < HAVEN_CFG_COUNT; i++) {
		kinds += hits[i] != 0;
		if (getenv("UNIT_VERBOSE"))
			fprintf(stderr, "fuzz: %-16s %lu\n", cfg_name(i), hits[i]);
	}
	/* the mutations reach deep enough to produce most of the codes */
	if (kinds < 18 || !hits[HAVEN_CFG_OK] || !hits[HAVEN_CFG_REGION_SIZE])
		FAILF("only %u distinct results (OK %lu); sum %llu", kinds,
		      hits[HAVEN_CFG_OK], (unsigned long long)sum);
}

int main(void)
{
	RUN(test_valid_system);
	RUN(test_valid_limits);
	RUN(test_err_short);
	RUN(test_err_magic);
	RUN(test_err_version);
	RUN(test_err_arch);
	RUN(test_err_kind);
	RUN(test_err_header_size);
	RUN(test_err_total_size);
	RUN(test_err_reserved);
	RUN(test_err_bounds);
	RUN(test_err_hv_mem);
	RUN(test_err_platform_cpus);
	RUN(test_err_platform_gic);
	RUN(test_err_platform_uart);
	RUN(test_err_platform_irqs);
	RUN(test_err_too_many_cells);
	RUN(test_err_name);
	RUN(test_err_cpus_empty);
	RUN(test_err_cpu_range);
	RUN(test_err_too_many_regions);
	RUN(test_err_irq_range);
	RUN(test_err_region_align);
	RUN(test_err_region_size);
	RUN(test_err_region_flags);
	RUN(test_err_region_overlap);
	RUN(test_err_region_hv);
	RUN(test_region_range);
	RUN(test_first_error_wins);
	RUN(test_comm_page_valid);
	RUN(test_err_region_comm);
	RUN(test_comm_page_virt_overlap);
	RUN(test_vuart_valid);
	RUN(test_err_region_vuart);
	RUN(test_err_vuart_irq);
	RUN(test_err_cell_flags);
	RUN(test_final_cells);
	RUN(test_cell_conflict);
	RUN(test_cells_may_share);
	RUN(test_root_cpus);
	RUN(test_cell_rules_before_conflicts);
	RUN(test_cell_file);
	RUN(test_cell_file_comm);
	RUN(test_cell_file_vuart);
	RUN(test_devices_valid);
	RUN(test_err_platform_smmu);
	RUN(test_err_platform_pci);
	RUN(test_err_platform_gic_wraps);
	RUN(test_err_region_haven_device);
	RUN(test_err_irq_haven);
	RUN(test_err_streams);
	RUN(test_err_pci_devices);
	RUN(test_err_smcs);
	RUN(test_err_cell_reserved);
	RUN(test_sched_valid);
	RUN(test_err_sched_range);
	RUN(test_err_direct_irq);
	RUN(test_err_pmu_el2);
	RUN(test_err_sched_sharing);
	RUN(test_err_sched_priority);
	RUN(test_err_sched_overload);
	RUN(test_err_region_shared_gicr);
	RUN(test_subpage_valid);
	RUN(test_err_subpage_region);
	RUN(test_err_subpage_haven_device);
	RUN(test_err_subpage_sharing);
	RUN(test_fuzz);
	free(cur);
	free(cur2);
	return UNIT_EXIT();
}
