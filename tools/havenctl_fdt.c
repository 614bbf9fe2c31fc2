// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: the device tree a Linux cell boots with, built with libfdt.
 *
 * It is generated from the cell file and the platform HAVEN_INFO reports,
 * or patched from a DTB given with -d. A given DTB is not trusted: every
 * node that describes the machine (memory, /cpus, PSCI, the timer, the GIC,
 * /chosen, /reserved-memory, /firmware) goes, and so does every node whose
 * registers do not lie inside one of the cell's IO regions. That test
 * covers the nodes under the root and under simple-bus nodes (through
 * their "ranges", at any depth); a node that is not in the CPU's address
 * space (an I2C device, say) stays or goes with its controller. Nodes
 * without "reg" stay. Then Haven's own nodes are added, each replacing a
 * node of the same name, and the /aliases and /__symbols__ entries of
 * deleted nodes are dropped:
 *
 *   / { #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gic>;
 *       compatible = "linux,dummy-virt"; model = "Haven cell NAME";
 *       memory@IPA     one per RAM region: reg = <IPA SIZE>
 *       cpus           cpu@MPIDR per cell CPU, enable-method "psci"
 *       psci           "arm,psci-1.0", "arm,psci-0.2", method "smc"
 *       intc@GICD      "arm,gic-v3", the distributor and the whole
 *                      redistributor range (Haven answers the
 *                      identification reads of other CPUs' frames);
 *                      no ITS, and #address-cells 0 (no children)
 *       timer          "arm,armv8-timer", PPIs 13, 14, 11, 10
 *       apb-pclk       fixed-clock, 24 MHz
 *       pl011@IPA      the emulated UART, if the cell has one
 *       chosen         bootargs, stdout-path, linux,initrd-start/end
 *   };
 *
 * The GIC keeps the phandle and #address-cells of the GIC it replaces (and
 * apb-pclk the phandle of the apb-pclk it replaces), so that kept nodes'
 * interrupt-parent, interrupt-map and clocks still point at them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "havenctl.h"

#define FDT_START_SIZE (64 * 1024)
#define MAX_DEPTH 32 /* simple-bus nesting that is followed */
#define MPIDR_AFF_MASK 0xff00ffffffULL /* Aff3..Aff0 */
#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_LEVEL_HIGH 4
#define IRQ_LEVEL_LOW 8
#define APB_PCLK_HZ 24000000
#define UART_REG_SIZE 0x1000

/* A device tree being written: libfdt's first error sticks. */
struct dt {
	void *fdt;
	int err; /* 0, or the first libfdt error */
	const char *node; /* the node being written, for the message */
};

/* Nodes that describe the machine, which Haven describes itself. */
static const char *const machine_compat[] = {
	"arm,psci", "arm,psci-0.2", "arm,psci-1.0", "arm,armv8-timer",
	"arm,armv7-timer", NULL
};
static const char *const gic_compat[] = {
	"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic",
	"arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,pl390", NULL
};
/* /firmware: its services (OP-TEE, SCMI, ...) are SMCs a cell may not make */
static const char *const root_names[] = {
	"cpus", "psci", "timer", "chosen", "reserved-memory", "memory",
	"firmware", NULL
};

int region_is_ram(hv_u64 flags)
{
	return !(flags & (HAVEN_MEM_IO | HAVEN_MEM_EMULATED));
}

/* ---- writing nodes and properties ---------------------------------------- */

static void dt_check(struct dt *t, int ret)
{
	if (ret < 0 && !t->err)
		t->err = ret;
}

/*
 * A new node under the root, replacing one of the same name; *phandle (if
 * not NULL) gets the replaced node's phandle, or 0. -1 once an error stuck.
 */
static int dt_node(struct dt *t, const char *name, hv_u32 *phandle)
{
	int old, node;

	t->node = name;
	if (phandle)
		*phandle = 0;
	if (t->err)
		return -1;
	old = fdt_subnode_offset(t->fdt, 0, name);
	if (old >= 0 && phandle)
		*phandle = fdt_get_phandle(t->fdt, old);
	if (old >= 0)
		dt_check(t, fdt_del_node(t->fdt, old));
	node = t->err ? -1 : fdt_add_subnode(t->fdt, 0, name);
	dt_check(t, node);
	return t->err ? -1 : node;
}

static int dt_subnode(struct dt *t, int parent, const char *name)
{
	int node;

	t->node = name;
	if (t->err)
		return -1;
	node = fdt_add_subnode(t->fdt, parent, name);
	dt_check(t, node);
	return t->err ? -1 : node;
}

static void dt_str(struct dt *t, int node, const char *prop, const char *s)
{
	if (!t->err)
		dt_check(t, fdt_setprop_string(t->fdt, node, prop, s));
}

/* A string list of n strings. */
static void dt_strs(struct dt *t, int node, const char *prop,
		    const char *const *list, int n)
{
	int i;

	dt_str(t, node, prop, list[0]);
	for (i = 1; i < n && !t->err; i++)
		dt_check(t, fdt_appendprop_string(t->fdt, node, prop, list[i]));
}

static void dt_empty(struct dt *t, int node, const char *prop)
{
	if (!t->err)
		dt_check(t, fdt_setprop_empty(t->fdt, node, prop));
}

static void dt_u32(struct dt *t, int node, const char *prop, hv_u32 v)
{
	if (!t->err)
		dt_check(t, fdt_setprop_u32(t->fdt, node, prop, v));
}

static void dt_u64(struct dt *t, int node, const char *prop, hv_u64 v)
{
	if (!t->err)
		dt_check(t, fdt_setprop_u64(t->fdt, node, prop, v));
}

/* n (at most 12) 32-bit cells */
static void dt_cells(struct dt *t, int node, const char *prop,
		     const hv_u32 *v, int n)
{
	fdt32_t cells[12];
	int i;

	for (i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	if (!t->err)
		dt_check(t, fdt_setprop(t->fdt, node, prop, cells,
					n * (int)sizeof(cells[0])));
}

/* n (at most 4) 64-bit values, two cells each: reg with 2/2 cells */
static void dt_u64s(struct dt *t, int node, const char *prop,
		    const hv_u64 *v, int n)
{
	fdt64_t cells[4];
	int i;

	for (i = 0; i < n; i++)
		cells[i] = cpu_to_fdt64(v[i]);
	if (!t->err)
		dt_check(t, fdt_setprop(t->fdt, node, prop, cells,
					n * (int)sizeof(cells[0])));
}

/* ---- Haven's nodes, added last first (libfdt puts new nodes first) ---- */

static void add_chosen(struct dt *t, const struct linux_boot *b,
		       const char *uart_path)
{
	int n = dt_node(t, "chosen", NULL);

	dt_str(t, n, "bootargs", b->cmdline);
	if (uart_path)
		dt_str(t, n, "stdout-path", uart_path);
	if (!b->initrd_size)
		return;
	dt_u64(t, n, "linux,initrd-start", b->initrd_start);
	dt_u64(t, n, "linux,initrd-end", b->initrd_start + b->initrd_size);
}

static void add_uart(struct dt *t, const struct haven_mem_region *r,
		     hv_u32 irq, hv_u32 clk, const char *name)
{
	static const char *const compat[] = { "arm,pl011", "arm,primecell" };
	static const char *const clock_names[] = { "uartclk", "apb_pclk" };
	const hv_u32 irqs[] = { GIC_SPI, irq - 32, IRQ_LEVEL_HIGH };
	const hv_u32 clocks[] = { clk, clk };
	const hv_u64 reg[] = { r->virt_start, UART_REG_SIZE };
	int n = dt_node(t, name, NULL);

	dt_strs(t, n, "compatible", compat, 2);
	dt_u64s(t, n, "reg", reg, 2);
	dt_cells(t, n, "interrupts", irqs, 3);
	dt_cells(t, n, "clocks", clocks, 2);
	dt_strs(t, n, "clock-names", clock_names, 2);
}

static void add_clock(struct dt *t, hv_u32 phandle)
{
	int n = dt_node(t, "apb-pclk", NULL);

	dt_str(t, n, "compatible", "fixed-clock");
	dt_u32(t, n, "#clock-cells", 0);
	dt_u32(t, n, "clock-frequency", APB_PCLK_HZ);
	dt_str(t, n, "clock-output-names", "clk24mhz");
	dt_u32(t, n, "phandle", phandle);
}

/* The EL1 physical (secure and non-secure), virtual and hypervisor timers. */
static void add_timer(struct dt *t)
{
	static const hv_u32 irqs[] = { GIC_PPI, 13, IRQ_LEVEL_LOW,
				       GIC_PPI, 14, IRQ_LEVEL_LOW,
				       GIC_PPI, 11, IRQ_LEVEL_LOW,
				       GIC_PPI, 10, IRQ_LEVEL_LOW };
	int n = dt_node(t, "timer", NULL);

	dt_str(t, n, "compatible", "arm,armv8-timer");
	dt_cells(t, n, "interrupts", irqs, 12);
	dt_empty(t, n, "always-on");
}

static void add_gic(struct dt *t, const struct haven_platform *p,
		    const char *name, hv_u32 phandle, hv_u32 address_cells)
{
	const hv_u64 reg[] = { p->gicd_base, p->gicd_size, p->gicr_base,
			       p->gicr_size };
	int n = dt_node(t, name, NULL);

	dt_str(t, n, "compatible", "arm,gic-v3");
	dt_u32(t, n, "#address-cells", address_cells);
	dt_u32(t, n, "#interrupt-cells", 3);
	dt_empty(t, n, "interrupt-controller");
	dt_u32(t, n, "#redistributor-regions", 1);
	dt_u64s(t, n, "reg", reg, 4);
	dt_u32(t, n, "phandle", phandle);
}

static void add_psci(struct dt *t)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2" };
	int n = dt_node(t, "psci", NULL);

	dt_strs(t, n, "compatible", compat, 2);
	dt_str(t, n, "method", "smc");
}

static hv_u64 cpu_mpidr(const struct haven_platform *p, int cpu)
{
	return p->cpu_mpidr[cpu] & MPIDR_AFF_MASK;
}

/* One reg cell for the MPIDRs unless one has Aff3. */
static int cpu_address_cells(hv_u64 cpus, const struct haven_platform *p)
{
	int cpu;

	for (cpu = 0; cpu < HAVEN_MAX_CPUS; cpu++)
		if (cpus >> cpu & 1 && cpu_mpidr(p, cpu) >> 32)
			return 2;
	return 1;
}

static void add_cpu(struct dt *t, int parent, hv_u64 mpidr, int cells)
{
	char name[32];
	int n;

	snprintf(name, sizeof(name), "cpu@%" PRIx64, mpidr);
	n = dt_subnode(t, parent, name);
	dt_str(t, n, "device_type", "cpu");
	dt_str(t, n, "compatible", "arm,armv8");
	if (cells == 2)
		dt_u64(t, n, "reg", mpidr);
	else
		dt_u32(t, n, "reg", (hv_u32)mpidr);
	dt_str(t, n, "enable-method", "psci");
}

static void add_cpus(struct dt *t, hv_u64 cpus, const struct haven_platform *p)
{
	int cells = cpu_address_cells(cpus, p), cpu;
	int n = dt_node(t, "cpus", NULL);

	dt_u32(t, n, "#address-cells", (hv_u32)cells);
	dt_u32(t, n, "#size-cells", 0);
	for (cpu = HAVEN_MAX_CPUS - 1; cpu >= 0; cpu--)
		if (cpus >> cpu & 1)
			add_cpu(t, n, cpu_mpidr(p, cpu), cells);
}

static void add_memory(struct dt *t, const struct linux_cell *c)
{
	const struct haven_mem_region *r;
	char name[48];
	hv_u64 reg[2];
	int i, n;

	for (i = (int)c->num_regions - 1; i >= 0; i--) {
		r = &c->regions[i];
		if (!region_is_ram(r->flags))
			continue;
		snprintf(name, sizeof(name), "memory@%" PRIx64, r->virt_start);
		reg[0] = r->virt_start;
		reg[1] = r->size;
		n = dt_node(t, name, NULL);
		dt_str(t, n, "device_type", "memory");
		dt_u64s(t, n, "reg", reg, 2);
	}
}

static void set_root(struct dt *t, const struct linux_cell *c, hv_u32 gic)
{
	char model[HAVEN_NAME_LEN + 16];

	t->node = "/";
	snprintf(model, sizeof(model), "Haven cell %s", c->name);
	dt_u32(t, 0, "#address-cells", 2);
	dt_u32(t, 0, "#size-cells", 2);
	dt_u32(t, 0, "interrupt-parent", gic);
	dt_str(t, 0, "compatible", "linux,dummy-virt");
	dt_str(t, 0, "model", model);
}

static const struct haven_mem_region *find_uart(const struct linux_cell *c)
{
	hv_u32 i;

	for (i = 0; i < c->num_regions; i++)
		if (c->regions[i].flags & HAVEN_MEM_VUART)
			return &c->regions[i];
	return NULL;
}

/* What Haven's GIC keeps of the GIC it replaces in a given DTB. */
struct old_gic {
	hv_u32 phandle; /* 0: none */
	hv_u32 address_cells; /* for interrupt-map entries that name it */
};

/* The phandles Haven's GIC and clock get. */
struct phandles {
	hv_u32 gic;
	hv_u32 clk;
};

/*
 * Keep the phandle of a same-named node, else of the GIC that was deleted
 * (old), else take a new one.
 */
static int plan_phandles(const void *fdt, const char *gic_name,
			 const struct old_gic *old, struct phandles *ph)
{
	hv_u32 next;
	int node, err = fdt_find_max_phandle(fdt, &next);

	ph->gic = 0;
	ph->clk = 0;
	if (err)
		return err;
	next++;
	node = fdt_subnode_offset(fdt, 0, gic_name);
	ph->gic = node >= 0 ? fdt_get_phandle(fdt, node) : 0;
	if (!ph->gic)
		ph->gic = old->phandle ? old->phandle : next++;
	node = fdt_subnode_offset(fdt, 0, "apb-pclk");
	ph->clk = node >= 0 ? fdt_get_phandle(fdt, node) : 0;
	if (!ph->clk)
		ph->clk = next++;
	return 0;
}

/* Haven's nodes and root properties, into t->fdt. */
static void add_haven_nodes(struct dt *t, const struct linux_boot *b,
			    const struct old_gic *old)
{
	const struct haven_mem_region *uart = find_uart(b->cell);
	char gic_name[48], uart_name[48];
	struct phandles ph;

	snprintf(gic_name, sizeof(gic_name), "intc@%" PRIx64,
		 b->platform->gicd_base);
	if (uart)
		snprintf(uart_name, sizeof(uart_name), "/pl011@%" PRIx64,
			 uart->virt_start);
	t->node = "/";
	dt_check(t, plan_phandles(t->fdt, gic_name, old, &ph));
	add_chosen(t, b, uart ? uart_name : NULL);
	if (uart) /* the node's name is the path without its '/' */
		add_uart(t, uart, b->cell->vuart_irq, ph.clk, uart_name + 1);
	add_clock(t, ph.clk);
	add_timer(t);
	add_gic(t, b->platform, gic_name, ph.gic, old->address_cells);
	add_psci(t);
	add_cpus(t, b->cell->cpus, b->platform);
	add_memory(t, b->cell);
	set_root(t, b->cell, ph.gic);
}

/* ---- what a given DTB may keep ------------------------------------------ */

static int compatible_in(const void *fdt, int node, const char *const *list)
{
	const char *compat;
	int len;

	compat = fdt_getprop(fdt, node, "compatible", &len);
	if (!compat)
		return 0;
	for (; *list; list++)
		if (fdt_stringlist_contains(compat, len, *list))
			return 1;
	return 0;
}

static int is_simple_bus(const void *fdt, int node)
{
	static const char *const bus[] = { "simple-bus", NULL };

	return compatible_in(fdt, node, bus);
}

/* A root node Haven replaces, by name without the unit address. */
static int root_name_unwanted(const char *name)
{
	size_t n = strcspn(name, "@");
	int i;

	for (i = 0; root_names[i]; i++)
		if (strlen(root_names[i]) == n &&
		    !strncmp(name, root_names[i], n))
			return 1;
	return 0;
}

static int is_memory(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return type && !strcmp(type, "memory");
}

/* 1 or 2 cells as a number */
static hv_u64 read_cells(const fdt32_t *p, int n)
{
	hv_u64 v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* Move *addr from bus's children's address space to its parent's. */
static int through_ranges(const void *fdt, int bus, int parent, hv_u64 *addr,
			  hv_u64 size)
{
	int cac = fdt_address_cells(fdt, bus), csc = fdt_size_cells(fdt, bus);
	int pac = fdt_address_cells(fdt, parent), len, i, n;
	const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
	hv_u64 child, where, span;

	if (!r)
		return -1; /* no ranges: the children are not memory-mapped */
	if (!len)
		return 0; /* empty ranges: the same address space */
	if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csc < 1 || csc > 2)
		return -1;
	n = cac + pac + csc;
	if (len % (n * 4))
		return -1;
	for (i = 0; i < len / 4; i += n) {
		child = read_cells(r + i, cac);
		where = read_cells(r + i + cac, pac);
		span = read_cells(r + i + cac + pac, csc);
		if (*addr >= child && *addr - child < span &&
		    size <= span - (*addr - child)) {
			*addr = where + (*addr - child);
			return 0;
		}
	}
	return -1;
}

/* From the address space of bus's children to the root's; -1 if unmapped. */
static int translate(const void *fdt, int bus, hv_u64 *addr, hv_u64 size)
{
	int parent;

	while (bus > 0) {
		parent = fdt_parent_offset(fdt, bus);
		if (parent < 0 || through_ranges(fdt, bus, parent, addr, size))
			return -1;
		bus = parent;
	}
	return 0;
}

static int in_io_region(const struct linux_cell *c, hv_u64 addr, hv_u64 size)
{
	const struct haven_mem_region *r;
	hv_u32 i;

	if (!size)
		size = 1;
	for (i = 0; i < c->num_regions; i++) {
		r = &c->regions[i];
		if (r->flags & HAVEN_MEM_IO && addr >= r->virt_start &&
		    addr - r->virt_start < r->size &&
		    size <= r->size - (addr - r->virt_start))
			return 1;
	}
	return 0;
}

/* Does every range of node's reg lie inside one of the cell's IO regions? */
static int reg_inside_io(const void *fdt, int node, const struct linux_cell *c)
{
	int parent = fdt_parent_offset(fdt, node), ac, sc, len, i;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	hv_u64 addr, size;

	if (parent < 0 || !reg || len <= 0)
		return 0;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2 || len % ((ac + sc) * 4))
		return 0;
	for (i = 0; i < len / 4; i += ac + sc) {
		addr = read_cells(reg + i, ac);
		size = read_cells(reg + i + ac, sc);
		if (translate(fdt, parent, &addr, size) ||
		    !in_io_region(c, addr, size))
			return 0;
	}
	return 1;
}

/* reg_checked: the node's reg is in the CPU's address space. */
static int unwanted(const void *fdt, int node, int depth, int reg_checked,
		    const struct linux_cell *c)
{
	if (depth == 1 && root_name_unwanted(fdt_get_name(fdt, node, NULL)))
		return 1;
	if (is_memory(fdt, node) || compatible_in(fdt, node, machine_compat) ||
	    compatible_in(fdt, node, gic_compat))
		return 1;
	return reg_checked && fdt_getprop(fdt, node, "reg", NULL) &&
	       !reg_inside_io(fdt, node, c);
}

/* The first GIC deleted: its phandle and #address-cells. */
static void note_gic(const void *fdt, int node, struct old_gic *old)
{
	const fdt32_t *cells;
	int len;

	if (old->phandle || !compatible_in(fdt, node, gic_compat))
		return;
	old->phandle = fdt_get_phandle(fdt, node);
	cells = fdt_getprop(fdt, node, "#address-cells", &len);
	if (cells && len == 4)
		old->address_cells = fdt32_to_cpu(*cells);
}

/*
 * Delete every node the cell may not see, in one walk: after a deletion,
 * the node that followed the deleted subtree is the one after the last
 * node kept. *old notes the GIC deleted.
 */
static int prune(void *fdt, const struct linux_cell *c, struct old_gic *old)
{
	int in_cpu_space[MAX_DEPTH + 1] = { 1 };
	int prev = 0, prev_depth = 0, node, depth, checked, err;

	for (;;) {
		depth = prev_depth;
		node = fdt_next_node(fdt, prev, &depth);
		if (node == -FDT_ERR_NOTFOUND || (node >= 0 && depth < 1))
			return 0;
		if (node < 0)
			return node;
		checked = depth <= MAX_DEPTH + 1 && in_cpu_space[depth - 1];
		if (unwanted(fdt, node, depth, checked, c)) {
			note_gic(fdt, node, old);
			err = fdt_del_node(fdt, node);
			if (err)
				return err;
			continue;
		}
		if (depth <= MAX_DEPTH)
			in_cpu_space[depth] = checked &&
					      is_simple_bus(fdt, node);
		prev = node;
		prev_depth = depth;
	}
}

/*
 * Haven's root has 2/2 cells; refuse a DTB whose kept nodes are addressed
 * with other root cells rather than reinterpret their addresses.
 */
static int check_root_cells(const void *fdt, const char *path)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node, len;

	if (ac == 2 && sc == 2)
		return 0;
	fdt_for_each_subnode(node, fdt, 0) {
		if (fdt_getprop(fdt, node, "reg", NULL) ||
		    (fdt_getprop(fdt, node, "ranges", &len) && len) ||
		    fdt_getprop(fdt, node, "dma-ranges", NULL))
			return fail("%s: its root has #address-cells %d and #size-cells %d, and node '%s' keeps addresses in them; Haven's device tree uses 2 and 2: rebuild the DTB with those",
				    path, ac, sc,
				    fdt_get_name(fdt, node, NULL));
	}
	return 0;
}

/* The first property of node (/aliases, /__symbols__) naming no node. */
static int dangling_path(const void *fdt, int node, const char **name)
{
	const char *path;
	int prop, len;

	fdt_for_each_property_offset(prop, fdt, node) {
		path = fdt_getprop_by_offset(fdt, prop, name, &len);
		if (path && len > 0 && !path[len - 1] && path[0] == '/' &&
		    fdt_path_offset(fdt, path) < 0)
			return 1;
	}
	return 0;
}

/* Drop what /aliases and /__symbols__ say about deleted nodes. */
static int drop_dangling_paths(void *fdt)
{
	static const char *const lists[] = { "/aliases", "/__symbols__" };
	const char *name;
	size_t i;
	int node, err = 0;

	for (i = 0; i < ARRAY_SIZE(lists) && !err; i++) {
		node = fdt_path_offset(fdt, lists[i]);
		while (!err && node >= 0 && dangling_path(fdt, node, &name))
			err = fdt_delprop(fdt, node, name);
	}
	return err;
}

/* ---- the whole tree ------------------------------------------------------ */

int fdt_check_input(const struct blob *dtb)
{
	int err;

	if (dtb->size > LINUX_FDT_MAX)
		return fail("%s: DTB is %zu bytes, more than the %d bytes (2 MiB) Linux accepts",
			    dtb->path, dtb->size, LINUX_FDT_MAX);
	err = fdt_check_full(dtb->data, dtb->size);
	if (err)
		return fail("%s: DTB malformed: %s", dtb->path,
			    fdt_strerror(err));
	return 0;
}

/*
 * Build the tree into buf: 0, a libfdt error (-FDT_ERR_NOSPACE: buf is too
 * small), or EXIT_ERROR after printing a refusal.
 */
static int build(const struct linux_boot *b, const struct blob *in,
		 void *buf, int size, struct dt *t)
{
	struct old_gic old = { 0, 0 };

	t->fdt = buf;
	t->node = "/";
	if (in) {
		t->err = fdt_open_into(in->data, buf, size);
		if (!t->err)
			t->err = prune(buf, b->cell, &old);
		if (!t->err && check_root_cells(buf, in->path))
			return EXIT_ERROR;
	} else {
		t->err = fdt_create_empty_tree(buf, size);
	}
	if (!t->err)
		add_haven_nodes(t, b, &old);
	if (!t->err && in)
		t->err = drop_dangling_paths(buf);
	return t->err;
}

int fdt_for_cell(const struct linux_boot *b, const struct blob *in,
		 void **out, size_t *size)
{
	int len = FDT_START_SIZE + (int)strlen(b->cmdline), err;
	struct dt t;
	void *buf;

	if (in)
		len += (int)in->size;
	for (;;) {
		buf = malloc((size_t)len);
		if (!buf)
			return fail("device tree: out of memory");
		err = build(b, in, buf, len, &t);
		if (err != -FDT_ERR_NOSPACE || len > 2 * LINUX_FDT_MAX)
			break;
		free(buf);
		len *= 2;
	}
	if (!err)
		err = fdt_pack(buf);
	if (err) {
		free(buf);
		return err == EXIT_ERROR ? EXIT_ERROR :
				  fail("device tree for cell '%s': node '%s': %s",
				       b->cell->name, t.node,
				       fdt_strerror(err));
	}
	*out = buf;
	*size = fdt_totalsize(buf);
	return 0;
}
