// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: compiled configurations. They are validated with the
 * hypervisor's own checker (hypervisor/config_check.c), and a rejected file
 * is explained in one line: the cell, the region, the rule and the value.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <config_check.h>
#include "havenctl.h"

unsigned int header_kind(const struct blob *b)
{
	const struct haven_config_header *h = b->data;

	if (b->size < sizeof(*h) ||
	    memcmp(h->magic, HAVEN_CONFIG_MAGIC, sizeof(h->magic)))
		return 0;
	return h->kind;
}

const char *kind_name(hv_u64 kind)
{
	switch (kind) {
	case HAVEN_CONFIG_SYSTEM:
		return "system";
	case HAVEN_CONFIG_CELL:
		return "cell";
	default:
		return "unknown";
	}
}

/* Copy a cell's name for printing; empty if it is not a valid name. */
static void cell_name(const struct haven_cell *c, char out[HAVEN_NAME_LEN])
{
	out[0] = '\0';
	if (memchr(c->name, '\0', HAVEN_NAME_LEN))
		printable(c->name, strlen(c->name), out);
}

static unsigned int count_irqs(const struct haven_cell *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < HAVEN_IRQ_WORDS; i++)
		n += (unsigned int)__builtin_popcountll(c->irqs[i]);
	return n;
}

/* ---- explaining a rejected configuration --------------------------------- */

/* A file that failed its check, and what it was checked against. */
struct check_ctx {
	const struct blob *file;
	unsigned int kind; /* the check that was run: system or cell */
	const struct haven_system *sys; /* the platform it was checked against */
};

/* Cell index as reported by the checker. Only valid for reported cells. */
static const struct haven_cell *ctx_cell(const struct check_ctx *ctx, int cell)
{
	const hv_u8 *data = ctx->file->data;

	if (ctx->kind == HAVEN_CONFIG_CELL)
		return (const struct haven_cell *)(data +
			sizeof(struct haven_config_header));
	return haven_cfg_cell(data, (hv_u32)cell);
}

/* "cell 1 'rtos'" for declared cell n of a system file */
static void format_cell(const struct check_ctx *ctx, int cell, char *out,
			size_t len)
{
	char name[HAVEN_NAME_LEN];

	cell_name(ctx_cell(ctx, cell), name);
	if (name[0])
		snprintf(out, len, "cell %d '%s'", cell, name);
	else
		snprintf(out, len, "cell %d", cell);
}

/* "root cell, region 3: ", "cell 1 'rtos': ", or "" for file-wide errors. */
static void format_where(const struct check_ctx *ctx,
			 const struct haven_cfg_result *res, char *out,
			 size_t len)
{
	char name[HAVEN_NAME_LEN];
	size_t n;

	out[0] = '\0';
	if (res->cell < 0)
		return;
	cell_name(ctx_cell(ctx, res->cell), name);
	if (ctx->kind == HAVEN_CONFIG_CELL)
		n = (size_t)snprintf(out, len, "cell");
	else if (res->cell == 0)
		n = (size_t)snprintf(out, len, "root cell");
	else
		n = (size_t)snprintf(out, len, "cell %d", res->cell);
	if (n < len && name[0] && res->cell != 0)
		n += (size_t)snprintf(out + n, len - n, " '%s'", name);
	if (n < len && res->region >= 0)
		n += (size_t)snprintf(out + n, len - n, ", region %d",
				      res->region);
	if (n < len)
		snprintf(out + n, len - n, ": ");
}

static void header_detail(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res, char *out,
			  size_t len)
{
	size_t body = ctx->kind == HAVEN_CONFIG_CELL ?
			      sizeof(struct haven_cell) :
			      sizeof(struct haven_system);
	size_t hdr = sizeof(struct haven_config_header);
	char magic[sizeof(HAVEN_CONFIG_MAGIC)];
	hv_u64 v = res->value;

	switch (res->code) {
	case HAVEN_CFG_SHORT:
		snprintf(out, len, "(%" PRIu64 " byte%s, need at least %zu)", v,
			 plural(v), v < hdr ? hdr : hdr + body);
		break;
	case HAVEN_CFG_MAGIC:
		printable(ctx->file->data, sizeof(HAVEN_CONFIG_MAGIC) - 1, magic);
		snprintf(out, len, "(starts with \"%s\", expected \"%s\")", magic,
			 HAVEN_CONFIG_MAGIC);
		break;
	case HAVEN_CFG_VERSION:
		snprintf(out, len, "(version %" PRIu64 ", this Haven reads version %d)",
			 v, HAVEN_CONFIG_VERSION);
		break;
	case HAVEN_CFG_ARCH:
		snprintf(out, len, "(arch %" PRIu64 ", expected %d for AArch64)", v,
			 HAVEN_ARCH_ARM64);
		break;
	case HAVEN_CFG_KIND:
		if (v == HAVEN_CONFIG_SYSTEM || v == HAVEN_CONFIG_CELL)
			snprintf(out, len, "(this is a %s configuration, expected a %s configuration)",
				 kind_name(v), kind_name(ctx->kind));
		else
			snprintf(out, len, "(kind %" PRIu64 " is neither system (%d) nor cell (%d))",
				 v, HAVEN_CONFIG_SYSTEM, HAVEN_CONFIG_CELL);
		break;
	case HAVEN_CFG_HEADER_SIZE:
		snprintf(out, len, "(header_size %" PRIu64 ", expected %zu)", v, hdr);
		break;
	case HAVEN_CFG_TOTAL_SIZE:
		snprintf(out, len, "(total_size %" PRIu64 ", file has %zu bytes)", v,
			 ctx->file->size);
		break;
	case HAVEN_CFG_RESERVED:
		snprintf(out, len, "(in the header)");
		break;
	default:
		snprintf(out, len, "(value 0x%" PRIx64 ")", v);
	}
}

static int ranges_overlap(hv_u64 a, hv_u64 as, hv_u64 b, hv_u64 bs)
{
	return a < b + bs && b < a + as;
}

/* Does [base, base + size) leave the 48-bit physical space, or wrap? */
static int beyond_pa(hv_u64 base, hv_u64 size)
{
	return base + size < base || base + size > HAVEN_PA_LIMIT;
}

static int is_spi(const struct haven_platform *p, hv_u32 irq)
{
	return irq >= 32 && irq < p->num_irqs;
}

/* Where a device region of Haven's may not lie, as the validator checks it. */
static const char *placement_problem(const struct haven_system *sys, hv_u64 base,
				     hv_u64 size)
{
	if (beyond_pa(base, size))
		return "the region lies beyond the 48-bit physical address space";
	if (ranges_overlap(base, size, sys->hv_mem_base, sys->hv_mem_size))
		return "the region overlaps the hypervisor memory";
	if (ranges_overlap(base, size, sys->platform.gicd_base, sys->platform.gicd_size))
		return "the region overlaps the GIC distributor";
	return NULL;
}

/* The SMMU rule that p breaks, as the validator checks them. */
static const char *smmu_problem(const struct haven_system *sys)
{
	const struct haven_platform *p = &sys->platform;
	hv_u64 base = p->smmu_base, size = p->smmu_size;
	const char *why;

	if (!size)
		return "smmu_size 0 means no SMMU: smmu_base and both interrupts must be 0";
	if (base % HAVEN_PAGE_SIZE || size % HAVEN_PAGE_SIZE)
		return "the region is not page-aligned";
	if ((why = placement_problem(sys, base, size)))
		return why;
	if (!is_spi(p, p->smmu_event_irq))
		return "event_irq is not an SPI of the platform";
	if (!is_spi(p, p->smmu_gerror_irq))
		return "gerror_irq is not an SPI of the platform";
	return "gerror_irq and event_irq are the same interrupt";
}

#define ECAM_BUS_SIZE (1ULL << 20)

/* The PCI ECAM rule that p breaks, as the validator checks them. */
static const char *ecam_problem(const struct haven_system *sys)
{
	const struct haven_platform *p = &sys->platform;
	hv_u64 base = p->pci_ecam_base, size = p->pci_ecam_size;
	const char *why;

	if (!size)
		return "pci_ecam_size 0 means no PCI: pci_ecam_base must be 0";
	if (base % ECAM_BUS_SIZE)
		return "the base is not 1 MiB-aligned";
	if (size % ECAM_BUS_SIZE)
		return "the size is not a whole number of 1 MiB buses";
	if (size > 256 * ECAM_BUS_SIZE)
		return "the size is more than 256 buses";
	if ((why = placement_problem(sys, base, size)))
		return why;
	return "the region overlaps the SMMU";
}

/* Bit n for each declared cell n of a system with num_cells cells. */
static hv_u64 declared_mask(hv_u32 num_cells)
{
	return num_cells < HAVEN_MAX_CELLS ?
		       ((1ULL << (num_cells + 1)) - 1) & ~1ULL : 0;
}

static void system_detail(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res, char *out,
			  size_t len)
{
	const struct haven_platform *p = &ctx->sys->platform;
	char named[64], declared[64];
	hv_u64 v = res->value;

	switch (res->code) {
	case HAVEN_CFG_HV_MEM:
		snprintf(out, len, "(base 0x%" PRIx64 " size 0x%" PRIx64 "; need page-aligned, at least 1 MiB)",
			 ctx->sys->hv_mem_base, ctx->sys->hv_mem_size);
		break;
	case HAVEN_CFG_PLATFORM_CPUS:
		snprintf(out, len, "(num_cpus %" PRIu64 ", maximum %d)", v,
			 HAVEN_MAX_CPUS);
		break;
	case HAVEN_CFG_PLATFORM_GIC:
		snprintf(out, len, "(gicd 0x%" PRIx64 " size 0x%" PRIx64 ", gicr 0x%" PRIx64 " size 0x%" PRIx64 " for %u CPUs)",
			 p->gicd_base, p->gicd_size, p->gicr_base, p->gicr_size,
			 p->num_cpus);
		break;
	case HAVEN_CFG_PLATFORM_UART:
		snprintf(out, len, "(uart_type %" PRIu64 ", uart_base 0x%" PRIx64 ")",
			 v, p->uart_base);
		break;
	case HAVEN_CFG_PLATFORM_IRQS:
		snprintf(out, len, "(num_irqs %u, maintenance_irq %u)",
			 p->num_irqs, p->maintenance_irq);
		break;
	case HAVEN_CFG_PLATFORM_SMMU:
		snprintf(out, len, "(smmu_base 0x%" PRIx64 " size 0x%" PRIx64 ", event_irq %u, gerror_irq %u, %u INTIDs: %s)",
			 p->smmu_base, p->smmu_size, p->smmu_event_irq,
			 p->smmu_gerror_irq, p->num_irqs, smmu_problem(ctx->sys));
		break;
	case HAVEN_CFG_PLATFORM_PCI:
		snprintf(out, len, "(pci_ecam_base 0x%" PRIx64 " size 0x%" PRIx64 ": %s)",
			 p->pci_ecam_base, p->pci_ecam_size,
			 ecam_problem(ctx->sys));
		break;
	case HAVEN_CFG_TOO_MANY_CELLS:
		snprintf(out, len, "(num_cells %" PRIu64 ", maximum %d)", v,
			 HAVEN_MAX_CELLS - 1);
		break;
	case HAVEN_CFG_BOUNDS:
		snprintf(out, len, "(num_cells %" PRIu64 ": cell table runs past the end of the file)",
			 v);
		break;
	case HAVEN_CFG_FINAL_CELLS:
		format_cpus(v, named, sizeof(named));
		format_cpus(declared_mask(ctx->sys->num_cells), declared,
			    sizeof(declared));
		snprintf(out, len, "(final_cells 0x%" PRIx64 " names cell ids %s; declared cell ids: %s)",
			 v, named, declared);
		break;
	default:
		header_detail(ctx, res, out, len);
	}
}

/* The first declared cell before cell that owns SPI n, or 0. */
static int earlier_owner(const struct check_ctx *ctx, int cell, hv_u64 n)
{
	int j;

	for (j = 1; j < cell; j++)
		if (n < HAVEN_MAX_IRQS &&
		    haven_cfg_irq_owned(ctx_cell(ctx, j), (hv_u32)n))
			return j;
	return 0;
}

static void conflict_detail(const struct check_ctx *ctx,
			    const struct haven_cfg_result *res, char *out,
			    size_t len)
{
	int other = earlier_owner(ctx, res->cell, res->value);
	char with[64] = "an earlier cell";

	if (other)
		format_cell(ctx, other, with, sizeof(with));
	snprintf(out, len, "(SPI %" PRIu64 " is also in %s)", res->value, with);
}

static void cell_flags_detail(const struct haven_cell *c, int cell, char *out,
			      size_t len)
{
	hv_u32 unknown = c->flags & ~HAVEN_CELL_ALL_FLAGS;

	if (unknown)
		snprintf(out, len, "(flags 0x%x: unknown bits 0x%x; known: 0x%x fault-abort, 0x%x direct-irq, 0x%x pmu-el2)",
			 c->flags, unknown, HAVEN_CELL_FAULT_ABORT, HAVEN_CELL_DIRECT_IRQ,
			 HAVEN_CELL_PMU_EL2);
	else if (cell == 0)
		snprintf(out, len, "(flags 0x%x: the root cell takes only pmu-el2 (0x%x); a fault of the root always gets an external abort, and its interrupts always go through Haven)",
			 c->flags, HAVEN_CELL_PMU_EL2);
	else
		snprintf(out, len, "(flags 0x%x)", c->flags);
}

/* The index of the cell's first region with flag, or -1. */
static int find_region(const struct check_ctx *ctx,
		       const struct haven_cell *c, hv_u64 flag)
{
	const struct haven_mem_region *r =
		haven_cfg_regions(ctx->file->data, c);
	hv_u32 i;

	for (i = 0; i < c->num_mem_regions; i++)
		if (r[i].flags & flag)
			return (int)i;
	return -1;
}

static void vuart_irq_detail(const struct check_ctx *ctx,
			     const struct haven_cell *c, char *out, size_t len)
{
	hv_u32 irq = c->vuart_irq, num = ctx->sys->platform.num_irqs;
	int uart = find_region(ctx, c, HAVEN_MEM_VUART);

	if (uart < 0)
		snprintf(out, len, "(vuart_irq %u, but the cell has no emulated UART region: must be 0)",
			 irq);
	else if (irq == 0)
		snprintf(out, len, "(vuart_irq 0, but the cell has an emulated UART in region %d: it needs an SPI, INTID 32 to %u)",
			 uart, num - 1);
	else if (irq < 32)
		snprintf(out, len, "(vuart_irq %u of the UART in region %d is an SGI or PPI, not an SPI: need an INTID from 32 to %u)",
			 irq, uart, num - 1);
	else if (irq >= num)
		snprintf(out, len, "(vuart_irq %u of the UART in region %d is outside the platform's INTIDs 0-%u)",
			 irq, uart, num - 1);
	else
		snprintf(out, len, "(vuart_irq %u of the UART in region %d is not in the cell's irqs)",
			 irq, uart);
}

/* "00:01.0" for a BDF */
static void format_bdf(hv_u64 bdf, char *out, size_t len)
{
	snprintf(out, len, "%02x:%02x.%x", (unsigned int)(bdf >> 8 & 0xff),
		 (unsigned int)(bdf >> 3 & 0x1f), (unsigned int)(bdf & 7));
}

/* "the root cell" or "cell 1 'rtos'" for cell n of the checked file */
static void format_any_cell(const struct check_ctx *ctx, int cell, char *out,
			    size_t len)
{
	if (cell == 0)
		snprintf(out, len, "the root cell");
	else
		format_cell(ctx, cell, out, len);
}

/* How often v is among the first n entries of a. */
static unsigned int count_u32(const hv_u32 *a, hv_u32 n, hv_u64 v)
{
	unsigned int k = 0;

	while (n--)
		k += a[n] == v;
	return k;
}

static unsigned int count_u16(const hv_u16 *a, hv_u32 n, hv_u64 v)
{
	unsigned int k = 0;

	while (n--)
		k += a[n] == v;
	return k;
}

/* The earliest cell before cell (first: the first one that may) with v. */
static int earlier_with(const struct check_ctx *ctx, int first, int cell,
			hv_u64 v, int pci)
{
	const struct haven_cell *c;
	unsigned int found;
	int j;

	for (j = first; j < cell; j++) {
		c = ctx_cell(ctx, j);
		found = pci ? count_u16(c->pci_devices, c->num_pci_devices, v) :
			      count_u32(c->stream_ids, c->num_stream_ids, v);
		if (found)
			return j;
	}
	return -1;
}

static void streams_detail(const struct check_ctx *ctx,
			   const struct haven_cfg_result *res,
			   const struct haven_cell *c, char *out, size_t len)
{
	hv_u64 v = res->value;
	char with[64] = "an earlier cell";
	int j;

	if (c->num_stream_ids > HAVEN_MAX_STREAMS) {
		snprintf(out, len, "(num_stream_ids %u, maximum %d)",
			 c->num_stream_ids, HAVEN_MAX_STREAMS);
	} else if (v >= HAVEN_STREAM_LIMIT) {
		snprintf(out, len, "(stream ID 0x%" PRIx64 " is outside Haven's SMMU stream table, 0x0-0x%x)",
			 v, HAVEN_STREAM_LIMIT - 1);
	} else if (!ctx->sys->platform.smmu_size) {
		snprintf(out, len, "(stream ID 0x%" PRIx64 ", but the platform has no SMMU)",
			 v);
	} else if (count_u32(c->stream_ids, c->num_stream_ids, v) > 1) {
		snprintf(out, len, "(stream ID 0x%" PRIx64 " is listed twice in stream_ids)",
			 v);
	} else {
		j = earlier_with(ctx, 0, res->cell, v, 0);
		if (j >= 0)
			format_any_cell(ctx, j, with, sizeof(with));
		snprintf(out, len, "(stream ID 0x%" PRIx64 " is also in %s)", v,
			 with);
	}
}

static void pci_detail(const struct check_ctx *ctx,
		       const struct haven_cfg_result *res,
		       const struct haven_cell *c, char *out, size_t len)
{
	hv_u64 buses = ctx->sys->platform.pci_ecam_size / ECAM_BUS_SIZE;
	hv_u64 v = res->value;
	char bdf[16], with[64] = "an earlier cell";
	int j;

	format_bdf(v, bdf, sizeof(bdf));
	if (c->num_pci_devices > HAVEN_MAX_PCI_DEVICES)
		snprintf(out, len, "(num_pci_devices %u, maximum %d)",
			 c->num_pci_devices, HAVEN_MAX_PCI_DEVICES);
	else if (res->cell == 0)
		snprintf(out, len, "(PCI device %s: the root cell has none, it reaches every function no created cell owns)",
			 bdf);
	else if (!buses)
		snprintf(out, len, "(PCI device %s, but the platform has no PCI ECAM)",
			 bdf);
	else if ((v >> 8) >= buses)
		snprintf(out, len, "(PCI device %s: bus 0x%02x is beyond the ECAM's buses 0x00-0x%02x)",
			 bdf, (unsigned int)(v >> 8), (unsigned int)(buses - 1));
	else if (count_u16(c->pci_devices, c->num_pci_devices, v) > 1)
		snprintf(out, len, "(PCI device %s is listed twice in pci_devices)",
			 bdf);
	else {
		j = earlier_with(ctx, 1, res->cell, v, 1);
		if (j >= 0)
			format_cell(ctx, j, with, sizeof(with));
		snprintf(out, len, "(PCI device %s is also in %s)", bdf, with);
	}
}

static void smcs_detail(const struct haven_cfg_result *res,
			const struct haven_cell *c, char *out, size_t len)
{
	hv_u64 v = res->value;
	const char *why;

	if (c->num_smcs > HAVEN_MAX_SMCS) {
		snprintf(out, len, "(num_smcs %u, maximum %d)", c->num_smcs,
			 HAVEN_MAX_SMCS);
		return;
	}
	if ((v & ~0x40000000ULL & 0xff000000ULL) == 0x84000000ULL)
		why = "a PSCI function (0x84xxxxxx or 0xc4xxxxxx), which Haven emulates";
	else if (v >= 0x80000000ULL && v <= 0x8000ffffULL)
		why = "an SMCCC architecture call (0x80000000-0x8000ffff), which Haven answers itself";
	else if ((v & 0xff000000ULL) == 0xc6000000ULL)
		why = "a Haven hypercall (0xc6000000-0xc6ffffff)";
	else if (v >= 0x95c1ba5eULL && v <= 0x95c1ba61ULL)
		why = "a PSCI 0.1 function of QEMU and KVM (0x95c1ba5e-0x95c1ba61), which would bypass Haven's PSCI";
	else
		why = "listed twice in smc_allow";
	snprintf(out, len, "(function ID 0x%08" PRIx64 ": %s)", v, why);
}

/* The reserved field or unused slot that is not 0, in the checker's order. */
static void reserved_detail(const struct haven_cell *c, char *out, size_t len)
{
	hv_u32 i;

	if (c->reserved) {
		snprintf(out, len, "(reserved 0x%x: must be 0)", c->reserved);
		return;
	}
	if (c->sched.reserved) {
		snprintf(out, len, "(sched.reserved 0x%x: must be 0)",
			 c->sched.reserved);
		return;
	}
	for (i = c->num_stream_ids; i < HAVEN_MAX_STREAMS; i++)
		if (c->stream_ids[i]) {
			snprintf(out, len, "(stream_ids[%u] 0x%x beyond num_stream_ids %u: unused slots must be 0)",
				 i, c->stream_ids[i], c->num_stream_ids);
			return;
		}
	for (i = c->num_pci_devices; i < HAVEN_MAX_PCI_DEVICES; i++)
		if (c->pci_devices[i]) {
			snprintf(out, len, "(pci_devices[%u] 0x%x beyond num_pci_devices %u: unused slots must be 0)",
				 i, c->pci_devices[i], c->num_pci_devices);
			return;
		}
	for (i = c->num_smcs; i < HAVEN_MAX_SMCS; i++)
		if (c->smc_allow[i]) {
			snprintf(out, len, "(smc_allow[%u] 0x%x beyond num_smcs %u: unused slots must be 0)",
				 i, c->smc_allow[i], c->num_smcs);
			return;
		}
	snprintf(out, len, "(a reserved field or unused slot is not 0)");
}

/* ---- scheduling of shared CPUs ------------------------------------------- */

/* "20.0" for budget / period: tenths of a percent, rounded half up. */
static void format_share(hv_u32 budget, hv_u32 period, char *out, size_t len)
{
	hv_u64 tenths = period ? ((hv_u64)budget * 2000 + period) /
					 (2ULL * period) :
				 0;

	snprintf(out, len, "%" PRIu64 ".%" PRIu64, tenths / 10, tenths % 10);
}

/* The declared cells (of file buf, sys its system) on CPU cpu, in order. */
static hv_u32 cells_on(const void *buf, const struct haven_system *sys,
		       hv_u32 cpu, hv_u32 on[HAVEN_MAX_CELLS])
{
	hv_u32 i, n = 0;

	for (i = 1; i <= sys->num_cells && n < HAVEN_MAX_CELLS; i++)
		if (haven_cfg_cell(buf, i)->cpus >> cpu & 1)
			on[n++] = i;
	return n;
}

enum users_format {
	USERS_LIST, /* rtos, linux */
	USERS_QUOTED, /* 'rtos' and 'linux' */
	USERS_SHARES, /* rtos 20.0% + linux 90.0% */
};

/* The names of the cells on[0..n-1] of file buf. */
static void format_users(const void *buf, const hv_u32 *on, hv_u32 n,
			 enum users_format how, char *out, size_t len)
{
	const struct haven_cell *c;
	char name[HAVEN_NAME_LEN], pct[16];
	const char *sep;
	size_t used = 0;
	hv_u32 i;

	out[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		c = haven_cfg_cell(buf, on[i]);
		cell_name(c, name);
		sep = !i ? "" : how == USERS_SHARES ? " + " :
			  how == USERS_LIST || i < n - 1 ? ", " : " and ";
		if (how == USERS_SHARES) {
			format_share(c->sched.budget_us, c->sched.period_us,
				     pct, sizeof(pct));
			used += (size_t)snprintf(out + used, len - used,
						 "%s%s %s%%", sep, name, pct);
		} else {
			used += (size_t)snprintf(out + used, len - used,
						 how == USERS_QUOTED ? "%s'%s'" : "%s%s",
						 sep, name);
		}
	}
}

/* The rule a sched block breaks on its own, as the validator checks them. */
static const char *sched_range_problem(const struct haven_sched *s)
{
	if (!s->period_us)
		return "period_us 0 means no sched: budget_us and priority must be 0 too";
	if (s->period_us > HAVEN_SCHED_MAX_PERIOD_US)
		return "period_us is above 1000000 us";
	if (s->budget_us && s->budget_us < HAVEN_SCHED_MIN_BUDGET_US)
		return "budget_us is below the minimum of 100 us (0 makes the cell best effort)";
	if (s->budget_us > s->period_us)
		return "budget_us is more than period_us";
	return "priority is outside 1-255";
}

/* The shared CPU where cell has the priority of an earlier cell there. */
static void priority_detail(const struct check_ctx *ctx,
			    const struct haven_cfg_result *res, char *out,
			    size_t len)
{
	const void *buf = ctx->file->data;
	hv_u64 both, shared = haven_cfg_shared_cpus(ctx->sys);
	const struct haven_cell *c = ctx_cell(ctx, res->cell), *o;
	char with[64];
	hv_u32 cpu = 0;
	int j;

	for (j = 1; j < res->cell; j++) {
		o = haven_cfg_cell(buf, (hv_u32)j);
		both = o->cpus & c->cpus & shared;
		if (!both || o->sched.priority != c->sched.priority)
			continue;
		while (!(both >> cpu & 1))
			cpu++;
		format_cell(ctx, j, with, sizeof(with));
		snprintf(out, len, "(priority %u on CPU %u, also the priority of %s: the cells on a CPU need distinct priorities)",
			 c->sched.priority, cpu, with);
		return;
	}
	snprintf(out, len, "(priority %" PRIu64 ")", res->value);
}

/* res->value: a CPU the cell shares; rule: why it may not */
static void missing_detail(const struct check_ctx *ctx,
			   const struct haven_cfg_result *res, char *out,
			   size_t len, const char *rule)
{
	hv_u32 on[HAVEN_MAX_CELLS], n, i;
	char with[64] = "another declared cell";

	n = cells_on(ctx->file->data, ctx->sys, (hv_u32)res->value, on);
	for (i = 0; i < n; i++)
		if ((int)on[i] != res->cell) {
			format_cell(ctx, (int)on[i], with, sizeof(with));
			break;
		}
	snprintf(out, len, "(CPU %" PRIu64 " is also in %s: %s)", res->value, with, rule);
}

static void sched_detail(const struct check_ctx *ctx,
			 const struct haven_cfg_result *res,
			 const struct haven_cell *c, char *out, size_t len)
{
	const struct haven_sched *s = &c->sched;
	hv_u32 on[HAVEN_MAX_CELLS], n;
	char cpus[64], users[384];

	switch (res->code) {
	case HAVEN_CFG_SCHED_RANGE:
		snprintf(out, len, "(budget_us %u, period_us %u, priority %u: %s)",
			 s->budget_us, s->period_us, s->priority,
			 sched_range_problem(s));
		break;
	case HAVEN_CFG_SCHED_UNUSED:
		format_cpus(c->cpus, cpus, sizeof(cpus));
		if (res->cell == 0)
			snprintf(out, len, "(period_us %u: the root cell is never scheduled, its sched must be all 0)",
				 s->period_us);
		else
			snprintf(out, len, "(period_us %u, but no other declared cell lists any of its CPUs %s)",
				 s->period_us, cpus);
		break;
	case HAVEN_CFG_SCHED_MISSING:
		missing_detail(ctx, res, out, len,
			       "every cell on a shared CPU needs budget_us, period_us and priority");
		break;
	case HAVEN_CFG_SCHED_PRIORITY:
		priority_detail(ctx, res, out, len);
		break;
	case HAVEN_CFG_SCHED_OVERLOAD:
		n = cells_on(ctx->file->data, ctx->sys, (hv_u32)res->value, on);
		format_users(ctx->file->data, on, n, USERS_SHARES, users,
			     sizeof(users));
		snprintf(out, len, "(CPU %" PRIu64 ": budgets add up to more than 100%%: %s)",
			 res->value, users);
		break;
	}
}

/* Region r against the redistributor frames of the shared CPUs. */
static void shared_gicr_detail(const struct check_ctx *ctx,
			       const struct haven_mem_region *r, char *out,
			       size_t len)
{
	hv_u64 shared = haven_cfg_shared_cpus(ctx->sys), frame;
	hv_u32 on[HAVEN_MAX_CELLS], n, cpu;
	char users[256];

	for (cpu = 0; cpu < 64; cpu++) {
		frame = ctx->sys->platform.gicr_base + cpu * 0x20000ULL;
		if (!(shared >> cpu & 1) ||
		    !ranges_overlap(r->phys_start, r->size, frame, 0x20000))
			continue;
		n = cells_on(ctx->file->data, ctx->sys, cpu, on);
		format_users(ctx->file->data, on, n, USERS_QUOTED, users,
			     sizeof(users));
		snprintf(out, len, "(phys 0x%" PRIx64 "-0x%" PRIx64 " overlaps the redistributor frame 0x%" PRIx64 "-0x%" PRIx64 " of CPU %u, which cells %s share: no cell may map it)",
			 r->phys_start, r->phys_start + r->size - 1, frame,
			 frame + 0x1ffff, cpu, users);
		return;
	}
	snprintf(out, len, "(phys 0x%" PRIx64 " size 0x%" PRIx64 ")",
		 r->phys_start, r->size);
}

/*
 * For each shared CPU of a valid system: its cells by priority, with their
 * guarantees, in the lines tools/haven-config prints.
 */
static void print_sched_report(const void *buf, const struct haven_system *sys)
{
	hv_u64 shared = haven_cfg_shared_cpus(sys);
	hv_u32 on[HAVEN_MAX_CELLS], n, i, j, t, cpu, b, p;
	const struct haven_cell *c;
	char name[HAVEN_NAME_LEN], users[384], pct[16];

	for (cpu = 0; cpu < 64; cpu++) {
		if (!(shared >> cpu & 1))
			continue;
		n = cells_on(buf, sys, cpu, on);
		format_users(buf, on, n, USERS_LIST, users, sizeof(users));
		printf("CPU %u: shared by %s\n", cpu, users);
		/* highest priority first (they differ) */
		for (i = 1; i < n; i++)
			for (j = i; j > 0 &&
				    haven_cfg_cell(buf, on[j])->sched.priority >
					    haven_cfg_cell(buf, on[j - 1])->sched.priority;
			     j--) {
				t = on[j];
				on[j] = on[j - 1];
				on[j - 1] = t;
			}
		for (i = 0; i < n; i++) {
			c = haven_cfg_cell(buf, on[i]);
			cell_name(c, name);
			b = c->sched.budget_us;
			p = c->sched.period_us;
			printf("CPU %u: %s: priority %u, budget %u us / period %u us: ",
			       cpu, name, c->sched.priority, b, p);
			if (!b) {
				printf("slack only, no guarantee\n");
				continue;
			}
			format_share(b, p, pct, sizeof(pct));
			printf("share %s%%, delay bound %llu us\n", pct,
			       2ULL * (p - b));
			printf("CPU %u: %s: response of a job needing C us <= C + (ceil(C/%u)+1)*%u us\n",
			       cpu, name, b, p - b);
		}
	}
}

static void cell_detail(const struct check_ctx *ctx,
			const struct haven_cfg_result *res, char *out,
			size_t len)
{
	const struct haven_cell *c = ctx_cell(ctx, res->cell);
	char cpus[64], root[64];
	hv_u64 v = res->value;
	const char *irq;

	switch (res->code) {
	case HAVEN_CFG_NAME:
	case HAVEN_CFG_CPUS_EMPTY:
		out[0] = '\0';
		break;
	case HAVEN_CFG_CPU_RANGE:
		snprintf(out, len, "(cpus 0x%" PRIx64 ", platform has %u CPUs)", v,
			 ctx->sys->platform.num_cpus);
		break;
	case HAVEN_CFG_CELL_FLAGS:
		cell_flags_detail(c, res->cell, out, len);
		break;
	case HAVEN_CFG_DIRECT_IRQ_SHARED:
		missing_detail(ctx, res, out, len,
			       "direct interrupt delivery needs CPUs that no other cell lists");
		break;
	case HAVEN_CFG_PMU_EL2_SHARED:
		missing_detail(ctx, res, out, len,
			       "the cell would count the work Haven does for it");
		break;
	case HAVEN_CFG_PMU_EL2_FINAL:
		snprintf(out, len, "(final_cells 0x%" PRIx64 ": leave out final_layout or pmu_el2)",
			 v);
		break;
	case HAVEN_CFG_VUART_IRQ:
		vuart_irq_detail(ctx, c, out, len);
		break;
	case HAVEN_CFG_IRQ_RANGE:
		snprintf(out, len, "(interrupt %" PRIu64 ", platform has %u)", v,
			 ctx->sys->platform.num_irqs);
		break;
	case HAVEN_CFG_IRQ_HAVEN:
		irq = v == ctx->sys->platform.smmu_event_irq ? "event queue" :
							       "global error";
		snprintf(out, len, "(INTID %" PRIu64 " is the SMMU's %s interrupt, which Haven uses itself)",
			 v, irq);
		break;
	case HAVEN_CFG_RESERVED:
		reserved_detail(c, out, len);
		break;
	case HAVEN_CFG_STREAMS:
		streams_detail(ctx, res, c, out, len);
		break;
	case HAVEN_CFG_PCI_DEVICES:
		pci_detail(ctx, res, c, out, len);
		break;
	case HAVEN_CFG_SMCS:
		smcs_detail(res, c, out, len);
		break;
	case HAVEN_CFG_SCHED_RANGE:
	case HAVEN_CFG_SCHED_UNUSED:
	case HAVEN_CFG_SCHED_MISSING:
	case HAVEN_CFG_SCHED_PRIORITY:
	case HAVEN_CFG_SCHED_OVERLOAD:
		sched_detail(ctx, res, c, out, len);
		break;
	case HAVEN_CFG_TOO_MANY_REGIONS:
		snprintf(out, len, "(%" PRIu64 " regions, maximum %d)", v,
			 HAVEN_MAX_MEM_REGIONS);
		break;
	case HAVEN_CFG_BOUNDS:
		snprintf(out, len, "(mem_regions_offset 0x%x with %u regions: must be 8-byte aligned and inside the file)",
			 c->mem_regions_offset, c->num_mem_regions);
		break;
	case HAVEN_CFG_CELL_CONFLICT:
		conflict_detail(ctx, res, out, len);
		break;
	case HAVEN_CFG_ROOT_CPUS:
		format_cpus(v, cpus, sizeof(cpus));
		format_cpus(ctx->sys->root.cpus, root, sizeof(root));
		if (res->cell == 1)
			snprintf(out, len, "(root CPUs %s, cell 1 takes %s)",
				 root, cpus);
		else
			snprintf(out, len, "(root CPUs %s, cells 1-%d take %s)",
				 root, res->cell, cpus);
		break;
	default:
		snprintf(out, len, "(value 0x%" PRIx64 ")", v);
	}
}

/* As the checker sees it: Haven's own pages have no physical range. */
static int has_phys(const struct haven_mem_region *r)
{
	return !(r->flags & HAVEN_MEM_EMULATED);
}

static int virt_overlap(const struct haven_mem_region *a,
			const struct haven_mem_region *b)
{
	return ranges_overlap(a->virt_start, a->size, b->virt_start, b->size);
}

static int phys_overlap(const struct haven_mem_region *a,
			const struct haven_mem_region *b)
{
	return has_phys(a) && has_phys(b) &&
	       ranges_overlap(a->phys_start, a->size, b->phys_start, b->size);
}

/* The first declared cell before cell with memory that r overlaps, or 0. */
static int earlier_memory_owner(const struct check_ctx *ctx, int cell,
				const struct haven_mem_region *r)
{
	const struct haven_mem_region *o;
	const struct haven_cell *c;
	hv_u32 i;
	int j;

	for (j = 1; j < cell; j++) {
		c = ctx_cell(ctx, j);
		o = haven_cfg_regions(ctx->file->data, c);
		for (i = 0; i < c->num_mem_regions; i++)
			if (phys_overlap(r, &o[i]))
				return j;
	}
	return 0;
}

static const char *flags_problem(hv_u64 flags)
{
	if (flags & ~HAVEN_MEM_ALL_FLAGS)
		return "unknown bits";
	if ((flags & HAVEN_MEM_IO) && (flags & HAVEN_MEM_EXEC))
		return "io with exec";
	return "read missing";
}

/* Region n against the earlier region it collides with, IPA first. */
static void overlap_detail(const struct haven_mem_region *r, int n,
			   char *out, size_t len)
{
	const struct haven_mem_region *bad = &r[n], *o;
	int j;

	for (j = 0; j < n; j++) {
		o = &r[j];
		if (virt_overlap(bad, o)) {
			snprintf(out, len, "(guest-physical 0x%" PRIx64 "-0x%" PRIx64 " overlaps region %d at 0x%" PRIx64 "-0x%" PRIx64 ")",
				 bad->virt_start, bad->virt_start + bad->size - 1,
				 j, o->virt_start, o->virt_start + o->size - 1);
			return;
		}
		if (phys_overlap(bad, o)) {
			snprintf(out, len, "(physical 0x%" PRIx64 "-0x%" PRIx64 " overlaps region %d at 0x%" PRIx64 "-0x%" PRIx64 ")",
				 bad->phys_start, bad->phys_start + bad->size - 1,
				 j, o->phys_start, o->phys_start + o->size - 1);
			return;
		}
	}
	snprintf(out, len, "(phys 0x%" PRIx64 " virt 0x%" PRIx64 " size 0x%" PRIx64 ")",
		 bad->phys_start, bad->virt_start, bad->size);
}

/*
 * A comm page or emulated UART (flag) that breaks its rule: in the root, a
 * second one, or wrong fields.
 */
static void haven_page_detail(const struct haven_mem_region *r,
			      const struct haven_cfg_result *res, hv_u64 flag,
			      const char *what, const char *flag_name,
			      char *out, size_t len)
{
	const struct haven_mem_region *bad = &r[res->region];
	const hv_u64 want = flag | HAVEN_MEM_READ | HAVEN_MEM_WRITE;
	int j, valid = !bad->phys_start && bad->size == HAVEN_PAGE_SIZE &&
		       bad->flags == want;

	for (j = 0; valid && j < res->region; j++)
		if (r[j].flags & flag) {
			snprintf(out, len, "(a second %s at virt 0x%" PRIx64 "; region %d is the first)",
				 what, bad->virt_start, j);
			return;
		}
	if (valid && res->cell == 0)
		snprintf(out, len, "(%s at virt 0x%" PRIx64 ": the root cell has none)",
			 what, bad->virt_start);
	else
		snprintf(out, len, "(phys 0x%" PRIx64 " virt 0x%" PRIx64 " size 0x%" PRIx64 " flags 0x%" PRIx64 "; need phys 0, size 0x%llx, flags read, write and %s only)",
			 bad->phys_start, bad->virt_start, bad->size, bad->flags,
			 HAVEN_PAGE_SIZE, flag_name);
}

/* Which of Haven's devices region r overlaps. */
static void haven_device_detail(const struct haven_platform *p,
				const struct haven_mem_region *r, char *out,
				size_t len)
{
	const char *name = "the PCI ECAM", *why = "emulates";
	hv_u64 base = p->pci_ecam_base, size = p->pci_ecam_size;

	if (ranges_overlap(r->phys_start, r->size, p->gicd_base,
			   p->gicd_size)) {
		name = "the GIC distributor";
		base = p->gicd_base;
		size = p->gicd_size;
	} else if (p->smmu_size && ranges_overlap(r->phys_start, r->size,
						  p->smmu_base, p->smmu_size)) {
		name = "the SMMU";
		why = "owns";
		base = p->smmu_base;
		size = p->smmu_size;
	}
	snprintf(out, len, "(phys 0x%" PRIx64 "-0x%" PRIx64 " overlaps %s at 0x%" PRIx64 "-0x%" PRIx64 ", which Haven %s)",
		 r->phys_start, r->phys_start + r->size - 1, name, base,
		 base + size - 1, why);
}

static void region_detail(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res, char *out,
			  size_t len)
{
	const struct haven_mem_region *r =
		haven_cfg_regions(ctx->file->data, ctx_cell(ctx, res->cell));
	const struct haven_mem_region *bad = &r[res->region];
	char with[64] = "an earlier cell";
	int j;

	switch (res->code) {
	case HAVEN_CFG_REGION_ALIGN:
		snprintf(out, len, "(%s 0x%" PRIx64 " is not a multiple of 0x%llx)",
			 bad->phys_start % HAVEN_PAGE_SIZE ? "phys" :
			 bad->virt_start % HAVEN_PAGE_SIZE ? "virt" : "size",
			 res->value, HAVEN_PAGE_SIZE);
		return;
	case HAVEN_CFG_REGION_FLAGS:
		snprintf(out, len, "(flags 0x%" PRIx64 ": %s)", bad->flags,
			 flags_problem(bad->flags));
		return;
	case HAVEN_CFG_SUBPAGE_FLAGS:
		snprintf(out, len, "(phys 0x%" PRIx64 " size 0x%" PRIx64 " flags 0x%" PRIx64 ")",
			 bad->phys_start, bad->size, bad->flags);
		return;
	case HAVEN_CFG_REGION_HV:
		snprintf(out, len, "(phys 0x%" PRIx64 " size 0x%" PRIx64 ", hypervisor memory 0x%" PRIx64 " size 0x%" PRIx64 ")",
			 bad->phys_start, bad->size, ctx->sys->hv_mem_base,
			 ctx->sys->hv_mem_size);
		return;
	case HAVEN_CFG_REGION_HAVEN_DEVICE:
		haven_device_detail(&ctx->sys->platform, bad, out, len);
		return;
	case HAVEN_CFG_REGION_SHARED_GICR:
		shared_gicr_detail(ctx, bad, out, len);
		return;
	case HAVEN_CFG_REGION_OVERLAP:
		overlap_detail(r, res->region, out, len);
		return;
	case HAVEN_CFG_REGION_COMM:
		haven_page_detail(r, res, HAVEN_MEM_COMM, "comm page", "comm",
				  out, len);
		return;
	case HAVEN_CFG_REGION_VUART:
		haven_page_detail(r, res, HAVEN_MEM_VUART, "emulated UART",
				  "vuart", out, len);
		return;
	case HAVEN_CFG_CELL_CONFLICT:
		j = earlier_memory_owner(ctx, res->cell, bad);
		if (j)
			format_cell(ctx, j, with, sizeof(with));
		snprintf(out, len, "(phys 0x%" PRIx64 " size 0x%" PRIx64 " is also memory of %s)",
			 bad->phys_start, bad->size, with);
		return;
	default:
		snprintf(out, len, "(phys 0x%" PRIx64 " virt 0x%" PRIx64 " size 0x%" PRIx64 ")",
			 bad->phys_start, bad->virt_start, bad->size);
	}
}

/* Print why a configuration was rejected as one line; returns EXIT_ERROR. */
static int report_invalid(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res)
{
	char where[96], detail[512];

	format_where(ctx, res, where, sizeof(where));
	if (res->region >= 0)
		region_detail(ctx, res, detail, sizeof(detail));
	else if (res->cell >= 0)
		cell_detail(ctx, res, detail, sizeof(detail));
	else
		system_detail(ctx, res, detail, sizeof(detail));
	return fail("%s: %s%s%s%s", ctx->file->path, where,
		    haven_cfg_strerror(res->code), detail[0] ? " " : "",
		    detail);
}

int check_system(const struct blob *f)
{
	struct check_ctx ctx = { f, HAVEN_CONFIG_SYSTEM,
				 haven_cfg_system(f->data) };
	struct haven_cfg_result res;

	if (haven_check_system(f->data, f->size, &res) == 0)
		return 0;
	return report_invalid(&ctx, &res);
}

/* Validate a cell configuration against a valid system configuration. */
static int check_cell(const struct blob *f, const struct haven_system *sys)
{
	struct check_ctx ctx = { f, HAVEN_CONFIG_CELL, sys };
	struct haven_cfg_result res;

	if (haven_check_cell(f->data, f->size, sys, &res) == 0)
		return 0;
	return report_invalid(&ctx, &res);
}

/*
 * Validate a cell file against the enabled Haven's platform and hypervisor
 * memory (HAVEN_INFO of an enabled Haven: info->platform is zero while
 * disabled), with the checks the hypervisor will run on it, so that a bad
 * file is explained before it is sent. Prints the reason; EXIT_ERROR.
 */
int check_cell_info(const struct blob *f, const struct haven_info_args *info)
{
	struct haven_system sys;

	memset(&sys, 0, sizeof(sys));
	sys.hv_mem_base = info->hv_mem_base;
	sys.hv_mem_size = info->hv_mem_size;
	sys.platform = info->platform;
	return check_cell(f, &sys);
}

/* ---- config check -------------------------------------------------------- */

/* "SMMU at 0x9050000, PCI ECAM at 0x3f000000 with 16 buses" */
static void format_platform_devices(const struct haven_platform *p, char *out,
				    size_t len)
{
	hv_u64 buses = p->pci_ecam_size / ECAM_BUS_SIZE;
	size_t n;

	if (p->smmu_size)
		n = (size_t)snprintf(out, len, "SMMU at 0x%" PRIx64,
				     p->smmu_base);
	else
		n = (size_t)snprintf(out, len, "no SMMU");
	if (n >= len)
		return;
	if (buses)
		snprintf(out + n, len - n, ", PCI ECAM at 0x%" PRIx64 " with %" PRIu64 " bus%s",
			 p->pci_ecam_base, buses, buses == 1 ? "" : "es");
	else
		snprintf(out + n, len - n, ", no PCI");
}

static int print_system_summary(const struct blob *f)
{
	const struct haven_system *sys = haven_cfg_system(f->data);
	char name[HAVEN_NAME_LEN], devices[96];

	cell_name(&sys->root, name);
	format_platform_devices(&sys->platform, devices, sizeof(devices));
	printf("%s: valid system configuration: %u CPU%s, root cell '%s' with %u region%s, %u declared cell%s, %s\n",
	       f->path, sys->platform.num_cpus, plural(sys->platform.num_cpus),
	       name, sys->root.num_mem_regions,
	       plural(sys->root.num_mem_regions), sys->num_cells,
	       plural(sys->num_cells), devices);
	print_sched_report(f->data, sys);
	return 0;
}

enum cell_list { LIST_STREAMS, LIST_PCI, LIST_SMCS };

/* "0x8,0x9" (stream IDs), "00:01.0" (PCI functions), ... or "none" */
static void format_list(const struct haven_cell *c, enum cell_list what,
			char *out, size_t len)
{
	hv_u32 i, n = c->num_smcs;
	size_t used = 0;
	char item[16];

	if (what == LIST_STREAMS)
		n = c->num_stream_ids;
	else if (what == LIST_PCI)
		n = c->num_pci_devices;

	snprintf(out, len, "none");
	for (i = 0; i < n && used < len; i++) {
		if (what == LIST_STREAMS)
			snprintf(item, sizeof(item), "0x%x", c->stream_ids[i]);
		else if (what == LIST_PCI)
			format_bdf(c->pci_devices[i], item, sizeof(item));
		else
			snprintf(item, sizeof(item), "0x%08x", c->smc_allow[i]);
		used += (size_t)snprintf(out + used, len - used, "%s%s",
					 i ? "," : "", item);
	}
}

static int print_cell_summary(const struct blob *f, const char *sys_path)
{
	const struct haven_cell *c = (const struct haven_cell *)
		((const hv_u8 *)f->data + sizeof(struct haven_config_header));
	char name[HAVEN_NAME_LEN], cpus[128], streams[96], pci[96], smcs[64];
	char sched[96] = "";
	unsigned int irqs = count_irqs(c);

	cell_name(c, name);
	format_cpus(c->cpus, cpus, sizeof(cpus));
	format_list(c, LIST_STREAMS, streams, sizeof(streams));
	format_list(c, LIST_PCI, pci, sizeof(pci));
	format_list(c, LIST_SMCS, smcs, sizeof(smcs));
	if (c->sched.period_us)
		snprintf(sched, sizeof(sched), ", sched priority %u, budget %u us / period %u us",
			 c->sched.priority, c->sched.budget_us,
			 c->sched.period_us);
	printf("%s: valid cell configuration: cell '%s' with %u region%s, CPU%s %s, %u interrupt%s, stream IDs %s, PCI devices %s, allowed SMCs %s%s (checked against %s)\n",
	       f->path, name, c->num_mem_regions, plural(c->num_mem_regions),
	       plural((unsigned long long)__builtin_popcountll(c->cpus)), cpus,
	       irqs, plural(irqs), streams, pci, smcs, sched, sys_path);
	return 0;
}

static int config_check_system(const struct blob *f)
{
	if (check_system(f))
		return EXIT_ERROR;
	return print_system_summary(f);
}

static int config_check_cell(const struct blob *f, const char *sys_path)
{
	struct blob sys;
	int ret;

	if (!sys_path)
		return usage_fail("config check",
				  "%s: is a cell configuration, checking it needs --system SYSTEM.cell",
				  f->path);
	if (read_config(sys_path, &sys))
		return EXIT_ERROR;
	ret = check_system(&sys);
	if (!ret)
		ret = check_cell(f, haven_cfg_system(sys.data));
	if (!ret)
		ret = print_cell_summary(f, sys_path);
	free_blob(&sys);
	return ret;
}

int cmd_config_check(const struct parsed_args *a)
{
	struct blob f;
	int ret;

	if (read_config(a->pos[0], &f))
		return EXIT_ERROR;
	if (header_kind(&f) == HAVEN_CONFIG_CELL)
		ret = config_check_cell(&f, a->opt[OPT_SYSTEM]);
	else
		ret = config_check_system(&f);
	free_blob(&f);
	return ret;
}
