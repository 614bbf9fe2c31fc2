// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation of binary configurations: every field that crosses into the
 * hypervisor is checked here before anything is built from it. A system is
 * checked cell by cell, then its declared cells against each other (what
 * they may share with the root is handed over when a cell is created). The
 * scheduling of CPUs that declared cells share is config_check_sched.c's,
 * sub-page device windows config_check_subpage.c's.
 */
#include <config_check.h>
#include <haven/hypercall.h>

#define ECAM_BUS_SIZE (1ULL << 20) /* configuration space of one PCI bus */
#define ECAM_MAX_BUSES 256ULL

static int reject(struct haven_cfg_result *res, unsigned int code, int cell,
		  int region, hv_u64 value)
{
	res->code = code;
	res->cell = cell;
	res->region = region;
	res->value = value;
	return -1;
}

static int bytes_equal(const void *a, const void *b, hv_u64 n)
{
	const hv_u8 *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

static int aligned(hv_u64 v)
{
	return (v & (HAVEN_PAGE_SIZE - 1)) == 0;
}

/* [a, a+as) and [b, b+bs) intersect; sizes are non-zero and do not wrap. */
static int ranges_overlap(hv_u64 a, hv_u64 as, hv_u64 b, hv_u64 bs)
{
	return a < b + bs && b < a + as;
}

/* A non-empty [base, base + size) below the physical address limit. */
static int valid_span(hv_u64 base, hv_u64 size)
{
	return size && base + size > base && base + size <= HAVEN_PA_LIMIT;
}

/* An SPI of the platform: INTID 32 up to num_irqs - 1. */
static int is_spi(const struct haven_platform *p, hv_u32 irq)
{
	return irq >= 32 && irq < p->num_irqs;
}

/* Is [off, off + count * elem) inside a file of total bytes? */
static int in_file(hv_u64 off, hv_u64 count, hv_u64 elem, hv_u64 total)
{
	if (off > total)
		return 0;
	return count <= (total - off) / elem;
}

static int check_header(const void *buf, hv_u64 size, hv_u16 kind,
			struct haven_cfg_result *res)
{
	const struct haven_config_header *h = buf;

	if (size < sizeof(*h))
		return reject(res, HAVEN_CFG_SHORT, -1, -1, size);
	if (!bytes_equal(h->magic, HAVEN_CONFIG_MAGIC, sizeof(h->magic)))
		return reject(res, HAVEN_CFG_MAGIC, -1, -1, 0);
	if (h->version != HAVEN_CONFIG_VERSION)
		return reject(res, HAVEN_CFG_VERSION, -1, -1, h->version);
	if (h->arch != HAVEN_ARCH_ARM64)
		return reject(res, HAVEN_CFG_ARCH, -1, -1, h->arch);
	if (h->kind != kind)
		return reject(res, HAVEN_CFG_KIND, -1, -1, h->kind);
	if (h->header_size != sizeof(*h))
		return reject(res, HAVEN_CFG_HEADER_SIZE, -1, -1, h->header_size);
	if (h->total_size != size)
		return reject(res, HAVEN_CFG_TOTAL_SIZE, -1, -1, h->total_size);
	if (h->reserved[0] || h->reserved[1] || h->reserved[2])
		return reject(res, HAVEN_CFG_RESERVED, -1, -1, 0);
	return 0;
}

/* A region of Haven's devices: in range, clear of its memory and the GICD. */
static int device_placed_well(const struct haven_system *sys, hv_u64 base,
			      hv_u64 size)
{
	return valid_span(base, size) &&
	       !ranges_overlap(base, size, sys->hv_mem_base, sys->hv_mem_size) &&
	       !ranges_overlap(base, size, sys->platform.gicd_base,
			       sys->platform.gicd_size);
}

/*
 * The SMMU (smmu_size 0: none, and then every SMMU field 0): a page-aligned
 * region clear of the hypervisor memory and the GIC distributor, and two
 * distinct SPIs. The value is the base, or the interrupt that is wrong.
 */
static int check_smmu(const struct haven_system *sys,
		      struct haven_cfg_result *res)
{
	const struct haven_platform *p = &sys->platform;
	hv_u64 base = p->smmu_base, size = p->smmu_size;

	if (!size) {
		if (base)
			return reject(res, HAVEN_CFG_PLATFORM_SMMU, -1, -1,
				      base);
		if (p->smmu_event_irq)
			return reject(res, HAVEN_CFG_PLATFORM_SMMU, -1, -1,
				      p->smmu_event_irq);
		if (p->smmu_gerror_irq)
			return reject(res, HAVEN_CFG_PLATFORM_SMMU, -1, -1,
				      p->smmu_gerror_irq);
		return 0;
	}
	if (!aligned(base) || !aligned(size) || !device_placed_well(sys, base, size))
		return reject(res, HAVEN_CFG_PLATFORM_SMMU, -1, -1, base);
	if (!is_spi(p, p->smmu_event_irq))
		return reject(res, HAVEN_CFG_PLATFORM_SMMU, -1, -1,
			      p->smmu_event_irq);
	if (!is_spi(p, p->smmu_gerror_irq) ||
	    p->smmu_gerror_irq == p->smmu_event_irq)
		return reject(res, HAVEN_CFG_PLATFORM_SMMU, -1, -1,
			      p->smmu_gerror_irq);
	return 0;
}

/*
 * The PCI ECAM (pci_ecam_size 0: none, and then base 0): 1 MiB-aligned, 1 to
 * 256 buses of 1 MiB, clear of the hypervisor memory, the GIC distributor
 * and the SMMU. The value is the base.
 */
static int check_ecam(const struct haven_system *sys,
		      struct haven_cfg_result *res)
{
	const struct haven_platform *p = &sys->platform;
	hv_u64 base = p->pci_ecam_base, size = p->pci_ecam_size;

	if (!size) {
		if (base)
			return reject(res, HAVEN_CFG_PLATFORM_PCI, -1, -1,
				      base);
		return 0;
	}
	if (base % ECAM_BUS_SIZE || size % ECAM_BUS_SIZE ||
	    size > ECAM_MAX_BUSES * ECAM_BUS_SIZE ||
	    !device_placed_well(sys, base, size) ||
	    (p->smmu_size &&
	     ranges_overlap(base, size, p->smmu_base, p->smmu_size)))
		return reject(res, HAVEN_CFG_PLATFORM_PCI, -1, -1, base);
	return 0;
}

static int check_platform(const struct haven_system *sys,
			  struct haven_cfg_result *res)
{
	const struct haven_platform *p = &sys->platform;

	if (p->num_cpus == 0 || p->num_cpus > HAVEN_MAX_CPUS)
		return reject(res, HAVEN_CFG_PLATFORM_CPUS, -1, -1, p->num_cpus);
	if (!aligned(p->gicd_base) || p->gicd_size < 0x10000 ||
	    !valid_span(p->gicd_base, p->gicd_size) || !aligned(p->gicr_base) ||
	    p->gicr_size < 0x20000ULL * p->num_cpus)
		return reject(res, HAVEN_CFG_PLATFORM_GIC, -1, -1, p->gicd_base);
	if (p->uart_type > HAVEN_UART_PL011 ||
	    (p->uart_type != HAVEN_UART_NONE && !aligned(p->uart_base)))
		return reject(res, HAVEN_CFG_PLATFORM_UART, -1, -1, p->uart_type);
	/* GICv3 INTIDs: 32 private + SPIs in steps of 32 (GICD_TYPER.ITLinesNumber) */
	if (p->num_irqs < 32 || p->num_irqs > HAVEN_MAX_IRQS ||
	    p->num_irqs % 32 || p->maintenance_irq < 16 ||
	    p->maintenance_irq >= 32)
		return reject(res, HAVEN_CFG_PLATFORM_IRQS, -1, -1, p->num_irqs);
	if (check_smmu(sys, res))
		return -1;
	return check_ecam(sys, res);
}

static int is_comm(const struct haven_mem_region *r)
{
	return (r->flags & HAVEN_MEM_COMM) != 0;
}

static int is_vuart(const struct haven_mem_region *r)
{
	return (r->flags & HAVEN_MEM_VUART) != 0;
}

/*
 * Comm pages and emulated UARTs are pages Haven supplies: they have no
 * physical range of their own, only a guest one.
 */
static int has_phys(const struct haven_mem_region *r)
{
	return !(r->flags & HAVEN_MEM_EMULATED);
}

/*
 * A page Haven supplies (kind: HAVEN_MEM_COMM or HAVEN_MEM_VUART): one page
 * at phys 0, readable and writable, nothing else; never in the root cell
 * (cell 0). The value names the first field that is wrong.
 */
static int check_haven_page(const struct haven_mem_region *r, hv_u64 kind,
			    unsigned int code, int cell, int idx,
			    struct haven_cfg_result *res)
{
	const hv_u64 want = kind | HAVEN_MEM_READ | HAVEN_MEM_WRITE;

	if (cell == 0 || r->phys_start || r->size != HAVEN_PAGE_SIZE ||
	    r->flags != want)
		return reject(res, code, cell, idx,
			      r->phys_start ? r->phys_start :
			      r->size != HAVEN_PAGE_SIZE ? r->size : r->flags);
	return 0;
}

/*
 * Do two regions of one cell collide? A page Haven supplies has no physical
 * range of its own, so only its guest range counts.
 */
static int regions_collide(const struct haven_mem_region *a,
			   const struct haven_mem_region *b)
{
	if (ranges_overlap(a->virt_start, a->size, b->virt_start, b->size))
		return 1;
	return has_phys(a) && has_phys(b) &&
	       ranges_overlap(a->phys_start, a->size, b->phys_start, b->size);
}

/*
 * Does r overlap a device Haven keeps to itself: the GIC distributor and the
 * PCI ECAM, which it emulates, or the SMMU, which it owns?
 */
static int on_haven_device(const struct haven_mem_region *r,
			   const struct haven_platform *p)
{
	return ranges_overlap(r->phys_start, r->size, p->gicd_base,
			      p->gicd_size) ||
	       (p->smmu_size && ranges_overlap(r->phys_start, r->size,
					       p->smmu_base, p->smmu_size)) ||
	       (p->pci_ecam_size &&
		ranges_overlap(r->phys_start, r->size, p->pci_ecam_base,
			       p->pci_ecam_size));
}

static int check_region(const struct haven_mem_region *r,
			const struct haven_system *sys, int cell, int idx,
			struct haven_cfg_result *res)
{
	hv_u64 value;
	unsigned int code;

	if (haven_cfg_is_window(r)) {
		code = haven_cfg_window_rule(r, sys, &value);
		return code ? reject(res, code, cell, idx, value) : 0;
	}
	if (r->flags & HAVEN_MEM_WIDTHS)
		return reject(res, HAVEN_CFG_SUBPAGE_FLAGS, cell, idx, r->flags);
	if (!aligned(r->phys_start) || !aligned(r->virt_start) ||
	    !aligned(r->size))
		return reject(res, HAVEN_CFG_REGION_ALIGN, cell, idx,
			      !aligned(r->phys_start) ? r->phys_start :
			      !aligned(r->virt_start) ? r->virt_start : r->size);
	if (r->size == 0 || r->phys_start + r->size < r->phys_start ||
	    r->virt_start + r->size < r->virt_start)
		return reject(res, HAVEN_CFG_REGION_SIZE, cell, idx, r->size);
	if (r->phys_start + r->size > HAVEN_PA_LIMIT ||
	    r->virt_start + r->size > HAVEN_IPA_LIMIT)
		return reject(res, HAVEN_CFG_REGION_RANGE, cell, idx,
			      r->virt_start + r->size > HAVEN_IPA_LIMIT ? r->virt_start :
									  r->phys_start);
	if ((r->flags & ~HAVEN_MEM_ALL_FLAGS) ||
	    ((r->flags & HAVEN_MEM_IO) && (r->flags & HAVEN_MEM_EXEC)) ||
	    !(r->flags & HAVEN_MEM_READ))
		return reject(res, HAVEN_CFG_REGION_FLAGS, cell, idx, r->flags);
	if (is_comm(r))
		return check_haven_page(r, HAVEN_MEM_COMM, HAVEN_CFG_REGION_COMM,
					cell, idx, res);
	if (is_vuart(r))
		return check_haven_page(r, HAVEN_MEM_VUART, HAVEN_CFG_REGION_VUART,
					cell, idx, res);
	if (ranges_overlap(r->phys_start, r->size, sys->hv_mem_base,
			   sys->hv_mem_size))
		return reject(res, HAVEN_CFG_REGION_HV, cell, idx, r->phys_start);
	if (on_haven_device(r, &sys->platform))
		return reject(res, HAVEN_CFG_REGION_HAVEN_DEVICE, cell, idx,
			      r->phys_start);
	return 0;
}

/*
 * vuart_irq: with an emulated UART (vuarts is its count), an SPI of the
 * platform that the cell owns; without one, 0.
 */
static int check_vuart_irq(const struct haven_cell *c,
			   const struct haven_platform *p, hv_u32 vuarts,
			   int cell, struct haven_cfg_result *res)
{
	hv_u32 irq = c->vuart_irq;

	if (!vuarts) {
		if (irq)
			return reject(res, HAVEN_CFG_VUART_IRQ, cell, -1, irq);
		return 0;
	}
	if (irq < 32 || irq >= p->num_irqs || !haven_cfg_irq_owned(c, irq))
		return reject(res, HAVEN_CFG_VUART_IRQ, cell, -1, irq);
	return 0;
}

/* Is v one of the first n entries of a? */
static int in_u32(const hv_u32 *a, hv_u32 n, hv_u32 v)
{
	while (n--)
		if (a[n] == v)
			return 1;
	return 0;
}

static int in_u16(const hv_u16 *a, hv_u32 n, hv_u16 v)
{
	while (n--)
		if (a[n] == v)
			return 1;
	return 0;
}

/* Unused slots from..max-1 of a u32 array must be 0 (RESERVED, the value). */
static int check_unused(const hv_u32 *a, hv_u32 from, hv_u32 max, int cell,
			struct haven_cfg_result *res)
{
	for (; from < max; from++)
		if (a[from])
			return reject(res, HAVEN_CFG_RESERVED, cell, -1,
				      a[from]);
	return 0;
}

/* Stream IDs: below HAVEN_STREAM_LIMIT, distinct, only with an SMMU. */
static int check_streams(const struct haven_cell *c,
			 const struct haven_platform *p, int cell,
			 struct haven_cfg_result *res)
{
	hv_u32 i, n = c->num_stream_ids, sid;

	if (n > HAVEN_MAX_STREAMS)
		return reject(res, HAVEN_CFG_STREAMS, cell, -1, n);
	for (i = 0; i < n; i++) {
		sid = c->stream_ids[i];
		if (sid >= HAVEN_STREAM_LIMIT || !p->smmu_size ||
		    in_u32(c->stream_ids, i, sid))
			return reject(res, HAVEN_CFG_STREAMS, cell, -1, sid);
	}
	return check_unused(c->stream_ids, n, HAVEN_MAX_STREAMS, cell, res);
}

/* PCI functions: never in the root, on a bus of the ECAM, distinct. */
static int check_pci_devices(const struct haven_cell *c,
			     const struct haven_platform *p, int cell,
			     struct haven_cfg_result *res)
{
	hv_u64 buses = p->pci_ecam_size / ECAM_BUS_SIZE;
	hv_u32 i, n = c->num_pci_devices;
	hv_u16 bdf;

	if (n > HAVEN_MAX_PCI_DEVICES)
		return reject(res, HAVEN_CFG_PCI_DEVICES, cell, -1, n);
	for (i = 0; i < n; i++) {
		bdf = c->pci_devices[i];
		if (cell == 0 || (hv_u32)(bdf >> 8) >= buses ||
		    in_u16(c->pci_devices, i, bdf))
			return reject(res, HAVEN_CFG_PCI_DEVICES, cell, -1,
				      bdf);
	}
	for (; i < HAVEN_MAX_PCI_DEVICES; i++)
		if (c->pci_devices[i])
			return reject(res, HAVEN_CFG_RESERVED, cell, -1,
				      c->pci_devices[i]);
	return 0;
}

/*
 * SMCCC function IDs Haven handles itself and never forwards: PSCI (any
 * fast standard secure service call, as handle_smc() sees it), the SMCCC
 * architecture calls and Haven's own hypercalls; and the PSCI 0.1 IDs that
 * QEMU and KVM give in their device trees, which their firmware still
 * serves (CPU_SUSPEND, CPU_OFF, CPU_ON, MIGRATE): forwarded, they would
 * reach the firmware's power management behind Haven's PSCI.
 */
#define PSCI01_QEMU_FIRST 0x95c1ba5eU
#define PSCI01_QEMU_LAST 0x95c1ba61U

static int smc_is_havens(hv_u32 fn)
{
	return (fn & ~0x40000000U & 0xff000000U) == 0x84000000U ||
	       (fn >= 0x80000000U && fn <= 0x8000ffffU) ||
	       (fn & 0xff000000U) == (HAVEN_HC_BASE & 0xff000000U) ||
	       (fn >= PSCI01_QEMU_FIRST && fn <= PSCI01_QEMU_LAST);
}

/* The SMC allow-list (the root's too): none of Haven's, distinct. */
static int check_smcs(const struct haven_cell *c, int cell,
		      struct haven_cfg_result *res)
{
	hv_u32 i, n = c->num_smcs, fn;

	if (n > HAVEN_MAX_SMCS)
		return reject(res, HAVEN_CFG_SMCS, cell, -1, n);
	for (i = 0; i < n; i++) {
		fn = c->smc_allow[i];
		if (smc_is_havens(fn) ||
		    in_u32(c->smc_allow, i, fn))
			return reject(res, HAVEN_CFG_SMCS, cell, -1, fn);
	}
	return check_unused(c->smc_allow, n, HAVEN_MAX_SMCS, cell, res);
}

/* The interrupts of the SMMU are Haven's: no cell owns them. */
static int check_haven_irqs(const struct haven_cell *c,
			    const struct haven_platform *p, int cell,
			    struct haven_cfg_result *res)
{
	if (!p->smmu_size)
		return 0;
	if (haven_cfg_irq_owned(c, p->smmu_event_irq))
		return reject(res, HAVEN_CFG_IRQ_HAVEN, cell, -1,
			      p->smmu_event_irq);
	if (haven_cfg_irq_owned(c, p->smmu_gerror_irq))
		return reject(res, HAVEN_CFG_IRQ_HAVEN, cell, -1,
			      p->smmu_gerror_irq);
	return 0;
}

static int check_cell_body(const void *buf, hv_u64 size,
			   const struct haven_cell *c, const struct haven_system *sys,
			   int cell, struct haven_cfg_result *res)
{
	const struct haven_mem_region *r;
	const struct haven_platform *p = &sys->platform;
	hv_u32 i, j, comm = 0, vuarts = 0;

	if (c->name[0] == '\0' || c->name[HAVEN_NAME_LEN - 1] != '\0')
		return reject(res, HAVEN_CFG_NAME, cell, -1, 0);
	if (c->cpus == 0)
		return reject(res, HAVEN_CFG_CPUS_EMPTY, cell, -1, 0);
	if (p->num_cpus < 64 && (c->cpus >> p->num_cpus))
		return reject(res, HAVEN_CFG_CPU_RANGE, cell, -1, c->cpus);
	if ((c->flags & ~HAVEN_CELL_ALL_FLAGS) ||
	    (cell == 0 && (c->flags & ~HAVEN_CELL_ROOT_FLAGS)))
		return reject(res, HAVEN_CFG_CELL_FLAGS, cell, -1, c->flags);
	if (c->reserved)
		return reject(res, HAVEN_CFG_RESERVED, cell, -1, c->reserved);
	for (i = p->num_irqs; i < HAVEN_MAX_IRQS; i++)
		if (haven_cfg_irq_owned(c, i))
			return reject(res, HAVEN_CFG_IRQ_RANGE, cell, -1, i);
	if (check_haven_irqs(c, p, cell, res))
		return -1;
	if (c->num_mem_regions > HAVEN_MAX_MEM_REGIONS)
		return reject(res, HAVEN_CFG_TOO_MANY_REGIONS, cell, -1,
			      c->num_mem_regions);
	if (!in_file(c->mem_regions_offset, c->num_mem_regions, sizeof(*r), size) ||
	    c->mem_regions_offset % 8)
		return reject(res, HAVEN_CFG_BOUNDS, cell, -1, c->mem_regions_offset);

	r = haven_cfg_regions(buf, c);
	for (i = 0; i < c->num_mem_regions; i++) {
		if (check_region(&r[i], sys, cell, (int)i, res))
			return -1;
		if (is_comm(&r[i]) && comm++)
			return reject(res, HAVEN_CFG_REGION_COMM, cell, (int)i,
				      r[i].virt_start);
		if (is_vuart(&r[i]) && vuarts++)
			return reject(res, HAVEN_CFG_REGION_VUART, cell, (int)i,
				      r[i].virt_start);
		for (j = 0; j < i; j++) {
			if (regions_collide(&r[i], &r[j]))
				return reject(res, HAVEN_CFG_REGION_OVERLAP, cell,
					      (int)i, r[i].phys_start);
		}
	}
	if (check_vuart_irq(c, p, vuarts, cell, res) ||
	    check_streams(c, p, cell, res) ||
	    check_pci_devices(c, p, cell, res) ||
	    check_smcs(c, cell, res))
		return -1;
	return haven_cfg_check_sched(c, cell, res);
}

/* Bit n for each declared cell n: the cells a final layout may name. */
static hv_u32 declared_cells(hv_u32 num_cells)
{
	return ((1U << (num_cells + 1)) - 1) & ~1U;
}

static hv_u64 lowest_bit(hv_u64 v)
{
	hv_u64 n = 0;

	while (!(v & 1)) {
		v >>= 1;
		n++;
	}
	return n;
}

/* The lowest SPI that both cells own, or 0. SGIs and PPIs are per CPU. */
static hv_u64 shared_spi(const struct haven_cell *a, const struct haven_cell *b)
{
	hv_u64 both;
	hv_u32 w;

	for (w = 0; w < HAVEN_IRQ_WORDS; w++) {
		both = a->irqs[w] & b->irqs[w];
		if (w == 0)
			both &= ~0xffffffffULL; /* INTIDs 0-31 */
		if (both)
			return w * 64 + lowest_bit(both);
	}
	return 0;
}

/* The index of b's first region whose memory a also has, or -1. */
static int shared_region(const void *buf, const struct haven_cell *a,
			 const struct haven_cell *b)
{
	const struct haven_mem_region *ra = haven_cfg_regions(buf, a);
	const struct haven_mem_region *rb = haven_cfg_regions(buf, b);
	hv_u32 i, j;

	for (i = 0; i < b->num_mem_regions; i++) {
		if (!has_phys(&rb[i]) || haven_cfg_is_window(&rb[i]))
			continue;
		for (j = 0; j < a->num_mem_regions; j++)
			if (has_phys(&ra[j]) && !haven_cfg_is_window(&ra[j]) &&
			    ranges_overlap(rb[i].phys_start, rb[i].size,
					   ra[j].phys_start, ra[j].size))
				return (int)i;
	}
	return -1;
}

/*
 * Declared cell b (id cell) against an earlier declared cell a: no SPI or
 * physical memory in both. Sharing with the root is allowed, and so is
 * sharing a CPU (haven_cfg_check_sharing() has the rules for that).
 */
static int check_pair(const void *buf, const struct haven_cell *a,
		      const struct haven_cell *b, int cell,
		      struct haven_cfg_result *res)
{
	hv_u64 spi;
	int region;

	spi = shared_spi(a, b);
	if (spi)
		return reject(res, HAVEN_CFG_CELL_CONFLICT, cell, -1, spi);
	region = shared_region(buf, a, b);
	if (region >= 0)
		return reject(res, HAVEN_CFG_CELL_CONFLICT, cell, region,
			      haven_cfg_regions(buf, b)[region].phys_start);
	return 0;
}

/*
 * Declared cell b (id cell) against an earlier cell a, the root included:
 * no stream ID in both; and, a being a declared cell, no PCI function.
 */
static int check_devices_pair(const struct haven_cell *a,
			      const struct haven_cell *b, int cell,
			      struct haven_cfg_result *res)
{
	hv_u32 i;

	for (i = 0; i < b->num_stream_ids; i++)
		if (in_u32(a->stream_ids, a->num_stream_ids, b->stream_ids[i]))
			return reject(res, HAVEN_CFG_STREAMS, cell, -1,
				      b->stream_ids[i]);
	for (i = 0; i < b->num_pci_devices; i++)
		if (in_u16(a->pci_devices, a->num_pci_devices,
			   b->pci_devices[i]))
			return reject(res, HAVEN_CFG_PCI_DEVICES, cell, -1,
				      b->pci_devices[i]);
	return 0;
}

/* Rules across the cells, once each cell is valid on its own. */
static int check_cells_together(const void *buf, const struct haven_system *sys,
				struct haven_cfg_result *res)
{
	hv_u64 taken = 0;
	hv_u32 i, j;
	int region;

	for (i = 1; i <= sys->num_cells; i++) {
		const struct haven_cell *c = haven_cfg_cell(buf, i);

		for (j = 1; j < i; j++)
			if (check_pair(buf, haven_cfg_cell(buf, j), c, (int)i, res))
				return -1;
		for (j = 0; j < i; j++) {
			if (check_devices_pair(haven_cfg_cell(buf, j), c,
					       (int)i, res))
				return -1;
			region = haven_cfg_window_clash(buf, haven_cfg_cell(buf, j),
							j == 0, c);
			if (region >= 0)
				return reject(res, HAVEN_CFG_SUBPAGE_SHARED, (int)i,
					      region,
					      haven_cfg_regions(buf, c)[region].phys_start);
		}
		taken |= c->cpus;
		if (!(sys->root.cpus & ~taken))
			return reject(res, HAVEN_CFG_ROOT_CPUS, (int)i, -1, taken);
	}
	return haven_cfg_check_sharing(buf, sys, res);
}

int haven_check_system(const void *buf, hv_u64 size, struct haven_cfg_result *res)
{
	const struct haven_system *sys = haven_cfg_system(buf);
	hv_u32 i;

	if (check_header(buf, size, HAVEN_CONFIG_SYSTEM, res))
		return -1;
	if (!in_file(sizeof(struct haven_config_header), 1, sizeof(*sys), size))
		return reject(res, HAVEN_CFG_SHORT, -1, -1, size);
	if (!aligned(sys->hv_mem_base) || !aligned(sys->hv_mem_size) ||
	    sys->hv_mem_size < (1ULL << 20) ||
	    sys->hv_mem_base + sys->hv_mem_size < sys->hv_mem_base)
		return reject(res, HAVEN_CFG_HV_MEM, -1, -1, sys->hv_mem_base);
	if (check_platform(sys, res))
		return -1;
	if (sys->num_cells >= HAVEN_MAX_CELLS)
		return reject(res, HAVEN_CFG_TOO_MANY_CELLS, -1, -1, sys->num_cells);
	if (sys->final_cells & ~declared_cells(sys->num_cells))
		return reject(res, HAVEN_CFG_FINAL_CELLS, -1, -1, sys->final_cells);
	if (!in_file(sizeof(struct haven_config_header) + sizeof(*sys),
		     sys->num_cells, sizeof(struct haven_cell), size))
		return reject(res, HAVEN_CFG_BOUNDS, -1, -1, sys->num_cells);
	for (i = 0; i <= sys->num_cells; i++)
		if (check_cell_body(buf, size, haven_cfg_cell(buf, i), sys,
				    (int)i, res))
			return -1;
	if (check_cells_together(buf, sys, res))
		return -1;
	/* a layout that seals never lets a cell count Haven's EL2 events */
	for (i = 0; sys->final_cells && i <= sys->num_cells; i++)
		if (haven_cfg_cell(buf, i)->flags & HAVEN_CELL_PMU_EL2)
			return reject(res, HAVEN_CFG_PMU_EL2_FINAL, (int)i, -1,
				      sys->final_cells);
	res->code = HAVEN_CFG_OK;
	return 0;
}

int haven_check_cell(const void *buf, hv_u64 size, const struct haven_system *sys,
		     struct haven_cfg_result *res)
{
	const struct haven_cell *c;

	if (check_header(buf, size, HAVEN_CONFIG_CELL, res))
		return -1;
	if (!in_file(sizeof(struct haven_config_header), 1, sizeof(*c), size))
		return reject(res, HAVEN_CFG_SHORT, -1, -1, size);
	c = (const struct haven_cell *)((const hv_u8 *)buf +
					sizeof(struct haven_config_header));
	if (check_cell_body(buf, size, c, sys, 1, res))
		return -1;
	res->code = HAVEN_CFG_OK;
	return 0;
}

const struct haven_system *haven_cfg_system(const void *buf)
{
	return (const struct haven_system *)((const hv_u8 *)buf +
					     sizeof(struct haven_config_header));
}

/* Cell 0 is the root, 1..num_cells the declared cells. */
const struct haven_cell *haven_cfg_cell(const void *buf, hv_u32 index)
{
	const struct haven_system *sys = haven_cfg_system(buf);

	return index == 0 ? &sys->root :
			    (const struct haven_cell *)(sys + 1) + (index - 1);
}

const struct haven_mem_region *haven_cfg_regions(const void *buf,
						 const struct haven_cell *cell)
{
	return (const struct haven_mem_region *)((const hv_u8 *)buf +
						 cell->mem_regions_offset);
}

int haven_cfg_irq_owned(const struct haven_cell *cell, hv_u32 irq)
{
	return irq < HAVEN_MAX_IRQS && (cell->irqs[irq / 64] >> (irq % 64)) & 1;
}
