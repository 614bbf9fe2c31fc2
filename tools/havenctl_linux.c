// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: "cell linux", which boots a Linux kernel in a cell.
 *
 * Creates the cell from its file unless a cell of that name exists (which
 * must then not be running and must match the file), loads the kernel
 * Image, the initramfs and a device tree (havenctl_fdt.c) into the cell's
 * first loadable RAM region in one HAVEN_CELL_LOAD, and starts the cell at
 * the kernel with x0 = the device tree, as arm64 booting.rst asks.
 *
 * The layout, in that region (its IPA must be 2 MiB aligned):
 *
 *   start + text_offset    the kernel, image_size bytes (its bss included)
 *   next page boundary     the initramfs
 *   next 2 MiB boundary    the device tree (at most 2 MiB, so it never
 *                          crosses a 2 MiB boundary)
 *
 * The rest of the region, after the device tree, is free memory for Linux.
 * Everything is checked before the device is opened, except what needs the
 * platform (CPUs, GIC): the device tree's size and content.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "havenctl.h"

#define DEFAULT_CMDLINE "console=ttyAMA0"
#define CMDLINE_MAX 2047 /* arm64 COMMAND_LINE_SIZE, without the NUL */
#define IMAGE_HEADER_SIZE 64
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" */
#define IMAGE_FLAG_BE 1ULL /* flags bit 0: big-endian kernel */
#define SZ_2M (2ULL * 1024 * 1024)
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((hv_u64)(a) - 1))

/* What the arm64 Image header says (Documentation/arch/arm64/booting.rst). */
struct kernel_image {
	hv_u64 text_offset;
	hv_u64 image_size; /* the file's size if the header says 0 */
	int size_from_file; /* the header's image_size was 0 */
};

/* Where everything goes, as cell IPAs. */
struct layout {
	const struct haven_mem_region *ram; /* the first loadable RAM region */
	hv_u32 ram_index;
	hv_u64 kernel, initrd, dtb;
	hv_u64 initrd_size, dtb_size;
};

/* One "cell linux" command. */
struct linux_job {
	const struct parsed_args *a;
	const char *cmdline;
	struct blob cfg, kernel, initrd, dtb; /* data NULL: not given */
	struct linux_cell cell;
	struct kernel_image image;
	struct layout at;
	struct haven_info_args info;
	void *fdt; /* the final device tree */
	size_t fdt_size;
};

static hv_u64 le_bytes(const hv_u8 *p, int n)
{
	hv_u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static double mib(hv_u64 bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

/* ---- the cell file ------------------------------------------------------- */

/* The first loadable RAM region: where the kernel and the rest go. */
static int find_ram(const struct blob *f, const struct linux_cell *c,
		    struct layout *at)
{
	hv_u32 i;

	for (i = 0; i < c->num_regions; i++) {
		if (c->regions[i].flags & HAVEN_MEM_LOADABLE &&
		    region_is_ram(c->regions[i].flags)) {
			at->ram = &c->regions[i];
			at->ram_index = i;
			return 0;
		}
	}
	return fail("%s: cell '%s' has no loadable RAM region (one with 'loadable' and without io, comm or vuart)",
		    f->path, c->name);
}

/* The cell a file declares; the validator checks it with the platform (with_device). */
static int parse_cell_file(const struct blob *f, struct linux_cell *c)
{
	const struct haven_config_header *h = f->data;
	const struct haven_cell *cell = (const struct haven_cell *)(h + 1);
	hv_u64 end;

	if (precheck_cell_config(f))
		return EXIT_ERROR;
	if (f->size < sizeof(*h) + sizeof(*cell))
		return fail("%s: file is %zu bytes, too short for a cell configuration (at least %zu)",
			    f->path, f->size, sizeof(*h) + sizeof(*cell));
	if (h->total_size != f->size)
		return fail("%s: total_size %u does not match the file size (%zu bytes)",
			    f->path, h->total_size, f->size);
	if (!cell->name[0] || !memchr(cell->name, '\0', HAVEN_NAME_LEN))
		return fail("%s: the cell name is empty or not NUL-terminated",
			    f->path);
	end = cell->mem_regions_offset +
	      (hv_u64)cell->num_mem_regions * sizeof(struct haven_mem_region);
	if (cell->num_mem_regions > HAVEN_MAX_MEM_REGIONS || end > f->size ||
	    cell->mem_regions_offset % 8)
		return fail("%s: its %u memory regions at offset %u do not fit in the file",
			    f->path, cell->num_mem_regions,
			    cell->mem_regions_offset);
	name_copy(cell->name, c->name);
	c->cpus = cell->cpus;
	c->vuart_irq = cell->vuart_irq;
	c->num_regions = cell->num_mem_regions;
	c->regions = (const struct haven_mem_region *)
		((const hv_u8 *)f->data + cell->mem_regions_offset);
	return 0;
}

/* ---- the kernel Image ---------------------------------------------------- */

static int parse_kernel(const struct blob *k, struct kernel_image *img)
{
	const hv_u8 *p = k->data;
	hv_u64 flags;

	if (k->size < IMAGE_HEADER_SIZE)
		return fail("%s: not an arm64 kernel Image (%zu bytes, shorter than the %d-byte Image header)",
			    k->path, k->size, IMAGE_HEADER_SIZE);
	if (le_bytes(p + IMAGE_MAGIC_OFFSET, 4) != IMAGE_MAGIC)
		return fail("%s: not an arm64 kernel Image (no ARM\\x64 magic at offset 56)%s",
			    k->path, p[0] == 0x1f && p[1] == 0x8b ?
			    ": it is gzip-compressed, decompress it first" : "");
	img->text_offset = le_bytes(p + 8, 8);
	img->image_size = le_bytes(p + 16, 8);
	flags = le_bytes(p + 24, 8);
	if (flags & IMAGE_FLAG_BE)
		return fail("%s: the kernel is big-endian (Image flags bit 0): Haven's cells run little-endian",
			    k->path);
	img->size_from_file = !img->image_size;
	if (!img->image_size)
		img->image_size = k->size;
	if (img->image_size < k->size)
		return fail("%s: the file is %zu bytes, more than the image_size %" PRIu64 " in its header",
			    k->path, k->size, img->image_size);
	return 0;
}

/* ---- the layout ---------------------------------------------------------- */

/* The kernel at the region's start + text_offset, if it fits there. */
static int place_kernel(const struct linux_job *j, struct layout *at)
{
	const struct haven_mem_region *r = at->ram;
	const struct kernel_image *img = &j->image;
	hv_u64 room;

	if (r->virt_start % SZ_2M)
		return fail("%s: cell '%s' region %u starts at 0x%" PRIx64 ", which is not 2 MiB aligned: the kernel needs a 2 MiB aligned base",
			    j->cfg.path, j->cell.name, at->ram_index,
			    r->virt_start);
	at->kernel = r->virt_start + img->text_offset;
	room = img->text_offset < r->size ? r->size - img->text_offset : 0;
	if (img->image_size > room)
		return fail("%s: kernel needs %" PRIu64 " bytes (image_size) at 0x%" PRIx64 ": region %u of cell '%s' 0x%" PRIx64 "-0x%" PRIx64 " has %" PRIu64 " bytes there",
			    j->kernel.path, img->image_size, at->kernel,
			    at->ram_index, j->cell.name, r->virt_start,
			    r->virt_start + r->size - 1, room);
	return 0;
}

/*
 * The initramfs after the kernel, page-aligned; the device tree (dtb_size
 * bytes, 0 while it is not built yet) at the next 2 MiB boundary.
 */
static int place(const struct linux_job *j, hv_u64 dtb_size, struct layout *at)
{
	const struct haven_mem_region *r = at->ram;
	hv_u64 needs;

	if (place_kernel(j, at))
		return EXIT_ERROR;
	at->initrd = ALIGN_UP(at->kernel + j->image.image_size,
			      HAVEN_PAGE_SIZE);
	at->initrd_size = j->initrd.data ? j->initrd.size : 0;
	at->dtb = ALIGN_UP(at->initrd + at->initrd_size, SZ_2M);
	at->dtb_size = dtb_size;
	needs = at->dtb + dtb_size - r->virt_start;
	if (at->dtb >= r->virt_start + r->size || needs > r->size)
		return fail("%s: cell memory too small for kernel + initrd + device tree: needs %" PRIu64 " bytes (%.1f MiB, the device tree at 0x%" PRIx64 "), region %u of cell '%s' 0x%" PRIx64 "-0x%" PRIx64 " has %" PRIu64 " (%.1f MiB)",
			    j->a->name, needs, mib(needs), at->dtb,
			    at->ram_index, j->cell.name, r->virt_start,
			    r->virt_start + r->size - 1, r->size,
			    mib(r->size));
	return 0;
}

/* ---- before the device --------------------------------------------------- */

static int check_command_line(const struct parsed_args *a, const char **out)
{
	const char *c = a->opt[OPT_CMDLINE];

	*out = c ? c : DEFAULT_CMDLINE;
	if (strlen(*out) > CMDLINE_MAX)
		return usage_fail(a->name, "%s: -c: the command line is %zu bytes, more than the %d bytes Linux accepts",
				  a->name, strlen(*out), CMDLINE_MAX);
	if (a->opt[OPT_DTB_OUT] && !a->opt[OPT_DTB_OUT][0])
		return usage_fail(a->name, "%s: --dtb-out: the file name is empty",
				  a->name);
	return 0;
}

/* Read and check every file the command names. */
static int read_files(struct linux_job *j)
{
	const struct parsed_args *a = j->a;

	if (read_config(a->pos[0], &j->cfg) ||
	    parse_cell_file(&j->cfg, &j->cell) ||
	    find_ram(&j->cfg, &j->cell, &j->at))
		return EXIT_ERROR;
	if (read_image(a->pos[1], &j->kernel) ||
	    parse_kernel(&j->kernel, &j->image))
		return EXIT_ERROR;
	if (a->opt[OPT_INITRD] && read_image(a->opt[OPT_INITRD], &j->initrd))
		return EXIT_ERROR;
	if (a->opt[OPT_DTB] && (read_image(a->opt[OPT_DTB], &j->dtb) ||
				fdt_check_input(&j->dtb)))
		return EXIT_ERROR;
	return place(j, 0, &j->at);
}

/* ---- with the platform --------------------------------------------------- */

static int check_cpus(const struct linux_job *j)
{
	hv_u32 n = j->info.platform.num_cpus;
	int cpu;

	if (!j->cell.cpus)
		return fail("%s: cell '%s' has no CPU", j->cfg.path,
			    j->cell.name);
	for (cpu = 0; cpu < 64; cpu++)
		if (j->cell.cpus >> cpu & 1 &&
		    (cpu >= HAVEN_MAX_CPUS || (hv_u32)cpu >= n))
			return fail("%s: cell '%s' has CPU %d, but the platform has %u CPU%s",
				    j->cfg.path, j->cell.name, cpu, n,
				    plural(n));
	return 0;
}

static int write_dtb(const char *path, const void *fdt, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return fail("%s: cannot create: %s", path, strerror(errno));
	ok = fwrite(fdt, 1, size, f) == size;
	if (fclose(f) || !ok)
		return fail("%s: cannot write: %s", path, strerror(errno));
	return 0;
}

/* The device tree, placed, and written to --dtb-out if asked. */
static int make_dtb(struct linux_job *j)
{
	struct linux_boot b = { &j->cell, &j->info.platform, j->cmdline,
				j->at.initrd, j->at.initrd_size };
	const char *out = j->a->opt[OPT_DTB_OUT];

	if (fdt_for_cell(&b, j->dtb.data ? &j->dtb : NULL, &j->fdt,
			 &j->fdt_size))
		return EXIT_ERROR;
	if (j->fdt_size > LINUX_FDT_MAX)
		return fail("%s: the device tree is %zu bytes, more than the 2 MiB Linux accepts",
			    j->a->name, j->fdt_size);
	if (place(j, j->fdt_size, &j->at))
		return EXIT_ERROR;
	return out ? write_dtb(out, j->fdt, j->fdt_size) : 0;
}

/* ---- the cell ------------------------------------------------------------ */

/* Does the created cell c have the CPUs and regions the file declares? */
static int same_cell(const struct cell *c, const struct linux_cell *f)
{
	const struct haven_mem_region *x, *y;
	hv_u32 i;

	if (c->info.cpus != f->cpus || c->info.num_regions != f->num_regions)
		return 0;
	for (i = 0; i < f->num_regions; i++) {
		x = &c->info.regions[i];
		y = &f->regions[i];
		/* Haven's own pages have no phys_start in the file */
		if (x->virt_start != y->virt_start || x->size != y->size ||
		    x->flags != y->flags ||
		    (!(y->flags & HAVEN_MEM_EMULATED) &&
		     x->phys_start != y->phys_start))
			return 0;
	}
	return 1;
}

/* An existing cell that may be loaded again. */
static int check_existing(const struct linux_job *j, const struct cell *c)
{
	const char *what = j->a->name, *name = j->cell.name;
	hv_u32 state = c->info.state;

	if (c->info.id == 0)
		return fail("%s: %s: '%s' is the root cell", what, j->cfg.path,
			    name);
	if (state == HAVEN_CELL_RUNNING || state == HAVEN_CELL_SHUTTING_DOWN)
		return fail("%s: cell '%s' is %s: shut it down first (havenctl cell shutdown %s)",
			    what, name, state == HAVEN_CELL_RUNNING ?
			    "running" : "shutting down", name);
	if (!same_cell(c, &j->cell))
		return fail("%s: cell '%s' exists with other CPUs or memory regions than %s declares: destroy it first",
			    what, name, j->cfg.path);
	return 0;
}

/* Find the cell, or create it from the file. */
static int prepare_cell(int fd, const struct linux_job *j, hv_u32 *id)
{
	struct cell c;
	int found;

	if (find_cell_by_name(fd, j->a->name, j->cell.name, &c, &found))
		return EXIT_ERROR;
	if (!found)
		return create_cell(fd, j->a->name, &j->cfg, 0, id); /* checked already */
	if (check_existing(j, &c))
		return EXIT_ERROR;
	printf("cell '%s' exists (id %u, %s): loading it again\n", c.name,
	       c.info.id, cell_state_name(c.info.state));
	*id = c.info.id;
	return 0;
}

static void add_image(struct haven_cell_load_args *args, const void *data,
		      hv_u64 size, hv_u64 addr)
{
	struct haven_cell_image *img = &args->images[args->num_images++];

	img->ptr = (hv_u64)(uintptr_t)data;
	img->size = size;
	img->addr = addr;
}

/* Kernel, initramfs and device tree in one request. */
static int load(int fd, hv_u32 id, const struct linux_job *j)
{
	struct haven_cell_load_args args;

	memset(&args, 0, sizeof(args));
	args.id = id;
	add_image(&args, j->kernel.data, j->kernel.size, j->at.kernel);
	if (j->initrd.data)
		add_image(&args, j->initrd.data, j->initrd.size, j->at.initrd);
	add_image(&args, j->fdt, j->fdt_size, j->at.dtb);
	if (ioctl(fd, HAVEN_CELL_LOAD, &args) < 0)
		return ioctl_fail(j->a->name, args.err, errno);
	return 0;
}

static int start(int fd, hv_u32 id, const struct linux_job *j)
{
	struct haven_cell_op_args op;

	memset(&op, 0, sizeof(op));
	op.id = id;
	op.entry = j->at.kernel;
	op.boot_arg = j->at.dtb;
	if (ioctl(fd, HAVEN_CELL_START, &op) < 0)
		return ioctl_fail(j->a->name, op.err, errno);
	return 0;
}

/* ---- the command --------------------------------------------------------- */

static void print_kernel(const struct linux_job *j)
{
	char size[32], file[32];

	format_size(j->image.image_size, size, sizeof(size));
	format_size(j->kernel.size, file, sizeof(file));
	printf("kernel       0x%" PRIx64 "-0x%" PRIx64 "  %s, ", j->at.kernel,
	       j->at.kernel + j->image.image_size - 1, j->kernel.path);
	if (j->image.size_from_file)
		printf("%s (image_size is 0 in its header: the file's size)\n",
		       size);
	else
		printf("image_size %s (file %s)\n", size, file);
}

static void print_summary(const struct linux_job *j)
{
	const struct layout *at = &j->at;
	char size[32], cpus[128];

	print_kernel(j);
	format_size(at->initrd_size, size, sizeof(size));
	if (at->initrd_size)
		printf("initrd       0x%" PRIx64 "-0x%" PRIx64 "  %s, %s\n",
		       at->initrd, at->initrd + at->initrd_size - 1,
		       j->initrd.path, size);
	format_size(at->dtb_size, size, sizeof(size));
	printf("device tree  0x%" PRIx64 "-0x%" PRIx64 "  %s%s, %s\n", at->dtb,
	       at->dtb + at->dtb_size - 1,
	       j->dtb.data ? j->dtb.path : "generated",
	       j->dtb.data ? " (patched)" : "", size);
	format_cpus(j->cell.cpus, cpus, sizeof(cpus));
	printf("CPUs         %s\n", cpus);
	if (j->a->opt[OPT_DTB_OUT])
		printf("device tree written to %s\n", j->a->opt[OPT_DTB_OUT]);
}

/* Create or reuse the cell, load it and start it. */
static int boot(int fd, const struct linux_job *j)
{
	hv_u32 id;

	if (prepare_cell(fd, j, &id) || load(fd, id, j) || start(fd, id, j))
		return EXIT_ERROR;
	print_summary(j);
	printf("cell '%s' started (entry 0x%" PRIx64 ", device tree at 0x%" PRIx64 ")\n",
	       j->cell.name, j->at.kernel, j->at.dtb);
	return 0;
}

/* Everything that needs the device. */
static int with_device(struct linux_job *j)
{
	int fd, ret;

	if (open_device(&fd))
		return EXIT_ERROR;
	ret = query_info(fd, &j->info);
	if (!ret && !j->info.enabled)
		ret = fail("%s: Haven is not enabled", j->a->name);
	if (!ret && j->info.sealed && !j->a->opt[OPT_DRY_RUN])
		ret = fail("%s: layout sealed: no cell can be created, loaded or started until reboot",
			   j->a->name);
	if (!ret)
		ret = check_cpus(j);
	/* everything Haven will check, also for a dry run or an existing cell */
	if (!ret)
		ret = check_cell_info(&j->cfg, &j->info);
	if (!ret)
		ret = make_dtb(j);
	if (!ret && j->a->opt[OPT_DRY_RUN]) {
		print_summary(j);
		printf("dry run: cell '%s' was not created, loaded or started\n",
		       j->cell.name);
	} else if (!ret) {
		ret = boot(fd, j);
	}
	close(fd);
	return ret;
}

int cmd_cell_linux(const struct parsed_args *a)
{
	struct linux_job j;
	int ret;

	memset(&j, 0, sizeof(j));
	j.a = a;
	ret = check_command_line(a, &j.cmdline);
	if (ret)
		return ret;
	ret = read_files(&j);
	if (!ret)
		ret = with_device(&j);
	free_blob(&j.cfg);
	free_blob(&j.kernel);
	free_blob(&j.initrd);
	free_blob(&j.dtb);
	free(j.fdt);
	return ret;
}
