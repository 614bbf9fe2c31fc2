// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: the cell commands. A CELL argument is a name or, when it is all
 * decimal digits, an id. Names are looked up by asking HAVEN_CELL_INFO for
 * every id, 0..HAVEN_MAX_CELLS-1; ids that are not created cells answer
 * ENOENT.
 *
 * Each command checks its whole command line first (exit status 2), then
 * reads the files it names, and only then opens the device.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "havenctl.h"

#define DEFAULT_TIMEOUT_MS 2000

static const char *const state_names[] = HAVEN_CELL_STATE_NAMES;
HAVEN_STATIC_ASSERT(ARRAY_SIZE(state_names) == HAVEN_CELL_STATE_COUNT,
		    "HAVEN_CELL_STATE_NAMES must name every haven_cell_state");
static const char *const stat_names[] = HAVEN_STAT_NAMES;
HAVEN_STATIC_ASSERT(ARRAY_SIZE(stat_names) == HAVEN_STAT_COUNT,
		    "HAVEN_STAT_NAMES must name every HAVEN_STAT_*");

const char *cell_state_name(hv_u32 state)
{
	return state < HAVEN_CELL_STATE_COUNT ? state_names[state] : "unknown";
}

/* ---- finding cells ------------------------------------------------------- */

/* HAVEN_CELL_INFO for id: 0, or an errno value. */
static int cell_info(int fd, hv_u32 id, struct cell *c)
{
	memset(&c->info, 0, sizeof(c->info));
	c->info.id = id;
	if (ioctl(fd, HAVEN_CELL_INFO, &c->info) < 0)
		return errno ? errno : EIO;
	c->info.id = id;
	name_copy(c->info.name, c->name);
	if (c->info.num_stats > HAVEN_STAT_COUNT)
		c->info.num_stats = HAVEN_STAT_COUNT;
	if (c->info.num_regions > HAVEN_MAX_MEM_REGIONS)
		c->info.num_regions = HAVEN_MAX_MEM_REGIONS;
	return 0;
}

/* Every created cell, by id; prints the reason and fails if Haven cannot say. */
static int all_cells(int fd, const char *what, struct cell *cells, int *n)
{
	hv_u32 id;
	int err;

	*n = 0;
	for (id = 0; id < HAVEN_MAX_CELLS; id++) {
		err = cell_info(fd, id, &cells[*n]);
		if (!err)
			(*n)++;
		else if (err != ENOENT)
			return ioctl_fail(what, NULL, err);
	}
	return 0;
}

/* "root, rtos" */
static void format_names(const struct cell *cells, int n, char *out,
			 size_t len)
{
	size_t used = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
					 i ? ", " : "", cells[i].name);
	if (!n)
		snprintf(out, len, "none");
}

static int name_is(const struct cell *c, const char *name)
{
	return strlen(name) < HAVEN_NAME_LEN &&
	       !strncmp(c->info.name, name, HAVEN_NAME_LEN);
}

int parse_cell_arg(const char *cmd, const char *s, struct cell_arg *c)
{
	hv_u64 v;

	c->text = s;
	c->is_id = 0;
	c->id = 0;
	if (!s[0])
		return usage_fail(cmd, "%s: the cell name is empty", cmd);
	if (strspn(s, "0123456789") != strlen(s))
		return 0;
	if (parse_u64(s, &v) || v >= HAVEN_MAX_CELLS)
		return usage_fail(cmd, "%s: cell id %s is out of range (0-%d)",
				  cmd, s, HAVEN_MAX_CELLS - 1);
	c->is_id = 1;
	c->id = (hv_u32)v;
	return 0;
}

/* Find the cell arg names; prints the reason and fails if there is none. */
static int resolve_cell(int fd, const char *what, const struct cell_arg *arg,
			struct cell *out)
{
	struct cell cells[HAVEN_MAX_CELLS];
	char names[HAVEN_MAX_CELLS * (HAVEN_NAME_LEN + 2)];
	int i, n, err;

	if (arg->is_id) {
		err = cell_info(fd, arg->id, out);
		if (!err)
			return 0;
		if (err != ENOENT)
			return ioctl_fail(what, NULL, err);
	}
	if (all_cells(fd, what, cells, &n))
		return EXIT_ERROR;
	for (i = 0; i < n && !arg->is_id; i++) {
		if (name_is(&cells[i], arg->text)) {
			*out = cells[i];
			return 0;
		}
	}
	format_names(cells, n, names, sizeof(names));
	if (arg->is_id)
		return fail("%s: no cell with id %u (cells: %s)", what, arg->id,
			    names);
	return fail("%s: no cell named '%s' (cells: %s)", what, arg->text,
		    names);
}

int open_cell(const char *what, const struct cell_arg *arg, int *fd,
	      struct cell *c)
{
	if (open_device(fd))
		return EXIT_ERROR;
	if (!resolve_cell(*fd, what, arg, c))
		return 0;
	close(*fd);
	return EXIT_ERROR;
}

int find_cell_by_name(int fd, const char *what, const char *name,
		      struct cell *c, int *found)
{
	struct cell cells[HAVEN_MAX_CELLS];
	int i, n;

	*found = 0;
	if (all_cells(fd, what, cells, &n))
		return EXIT_ERROR;
	for (i = 0; i < n && !*found; i++) {
		if (name_is(&cells[i], name)) {
			*c = cells[i];
			*found = 1;
		}
	}
	return 0;
}

/* ---- addresses ----------------------------------------------------------- */

/* A cell IPA from the command line; EXIT_USAGE if it is not one. */
static int parse_ipa(const char *cmd, const char *what, const char *s,
		     hv_u64 *addr)
{
	if (!s[0])
		return usage_fail(cmd, "%s: %s: the address is empty (hex with 0x, or decimal)",
				  cmd, what);
	if (parse_u64(s, addr))
		return usage_fail(cmd, "%s: %s: bad address '%s' (hex with 0x, or decimal)",
				  cmd, what, s);
	if (*addr >= HAVEN_IPA_LIMIT)
		return usage_fail(cmd, "%s: %s: address 0x%" PRIx64 " is outside a cell's address space (it must be below 0x%llx)",
				  cmd, what, *addr, HAVEN_IPA_LIMIT);
	return 0;
}

/* ---- create -------------------------------------------------------------- */

/* What havenctl checks itself: the driver validates the rest. */
int precheck_cell_config(const struct blob *f)
{
	const struct haven_config_header *h = f->data;
	unsigned int kind = header_kind(f);

	if (!kind)
		return fail("%s: not a Haven configuration (bad magic)", f->path);
	if (kind == HAVEN_CONFIG_SYSTEM)
		return fail("%s: this is a system configuration, expected a cell configuration",
			    f->path);
	if (kind != HAVEN_CONFIG_CELL)
		return fail("%s: kind %u is neither system (%d) nor cell (%d)",
			    f->path, h->kind, HAVEN_CONFIG_SYSTEM,
			    HAVEN_CONFIG_CELL);
	if (f->size > HAVEN_CELL_CONFIG_MAX)
		return fail("%s: file is %zu bytes, more than the %d bytes of a cell configuration Haven accepts",
			    f->path, f->size, HAVEN_CELL_CONFIG_MAX);
	return 0;
}

/* The name and CPUs a cell file declares, if it is long enough to say. */
static void file_cell(const struct blob *f, char name[HAVEN_NAME_LEN],
		      hv_u64 *cpus)
{
	const struct haven_cell *c = (const struct haven_cell *)
		((const hv_u8 *)f->data + sizeof(struct haven_config_header));

	name[0] = '\0';
	*cpus = 0;
	if (f->size < sizeof(struct haven_config_header) + sizeof(*c))
		return;
	name_copy(c->name, name);
	*cpus = c->cpus;
}

int create_cell(int fd, const char *what, const struct blob *cfg, int check, hv_u32 *id)
{
	struct haven_cell_create_args args;
	struct haven_info_args info;
	char name[HAVEN_NAME_LEN], cpus[128];
	struct cell c;
	hv_u64 cpu_map;

	if (check && (query_info(fd, &info) || (info.enabled && check_cell_info(cfg, &info))))
		return EXIT_ERROR;
	memset(&args, 0, sizeof(args));
	args.config_ptr = (hv_u64)(uintptr_t)cfg->data;
	args.config_size = (hv_u32)cfg->size;
	if (ioctl(fd, HAVEN_CELL_CREATE, &args) < 0)
		return ioctl_fail(what, args.err, errno);
	if (cell_info(fd, args.id, &c) == 0) {
		memcpy(name, c.name, sizeof(name));
		cpu_map = c.info.cpus;
	} else {
		file_cell(cfg, name, &cpu_map);
	}
	format_cpus(cpu_map, cpus, sizeof(cpus));
	printf("cell '%s' created (id %u, CPUs %s)\n", name, args.id, cpus);
	*id = args.id;
	return 0;
}

int cmd_cell_create(const struct parsed_args *a)
{
	struct blob cfg;
	hv_u32 id;
	int fd, ret;

	if (read_config(a->pos[0], &cfg))
		return EXIT_ERROR;
	ret = a->opt[OPT_SKIP_CHECK] ? 0 : precheck_cell_config(&cfg);
	if (!ret)
		ret = open_device(&fd);
	if (!ret) {
		ret = create_cell(fd, a->name, &cfg, !a->opt[OPT_SKIP_CHECK], &id);
		close(fd);
	}
	free_blob(&cfg);
	return ret;
}

/* ---- load ---------------------------------------------------------------- */

struct image {
	char *path; /* malloc'ed */
	hv_u64 addr; /* or HAVEN_LOAD_DEFAULT_ADDR */
	struct blob file;
};

/* IMAGE or IMAGE@ADDR; the last '@' separates the address. */
static int parse_image(const char *cmd, const char *spec, struct image *img)
{
	const char *at = strrchr(spec, '@');
	size_t len = at ? (size_t)(at - spec) : strlen(spec);

	img->addr = HAVEN_LOAD_DEFAULT_ADDR;
	if (!len)
		return usage_fail(cmd, "%s: '%s': the image file name is empty",
				  cmd, spec);
	if (at && parse_ipa(cmd, spec, at + 1, &img->addr))
		return EXIT_USAGE;
	img->path = strndup(spec, len);
	if (!img->path)
		return fail("%s: out of memory", cmd);
	return 0;
}

static void print_loaded(const struct image *img, const char *cell)
{
	char size[32];

	format_size(img->file.size, size, sizeof(size));
	if (img->addr == HAVEN_LOAD_DEFAULT_ADDR)
		printf("loaded %s into cell '%s' (%s at the start of its first loadable region)\n",
		       img->path, cell, size);
	else
		printf("loaded %s into cell '%s' (%s at 0x%" PRIx64 ")\n",
		       img->path, cell, size, img->addr);
}

static int load_images(const struct parsed_args *a, const struct cell_arg *arg,
		       struct image *img, int n)
{
	struct haven_cell_load_args args;
	struct cell c;
	int fd, i, ret = 0;

	for (i = 0; i < n; i++)
		if (read_image(img[i].path, &img[i].file))
			return EXIT_ERROR;
	if (open_cell(a->name, arg, &fd, &c))
		return EXIT_ERROR;
	memset(&args, 0, sizeof(args));
	args.id = c.info.id;
	args.num_images = (hv_u32)n;
	for (i = 0; i < n; i++) {
		args.images[i].ptr = (hv_u64)(uintptr_t)img[i].file.data;
		args.images[i].size = img[i].file.size;
		args.images[i].addr = img[i].addr;
	}
	if (ioctl(fd, HAVEN_CELL_LOAD, &args) < 0)
		ret = ioctl_fail(a->name, args.err, errno);
	for (i = 0; !ret && i < n; i++)
		print_loaded(&img[i], c.name);
	close(fd);
	return ret;
}

int cmd_cell_load(const struct parsed_args *a)
{
	struct image img[HAVEN_MAX_IMAGES];
	struct cell_arg arg;
	int i, n = a->npos - 1, ret;

	if (n > HAVEN_MAX_IMAGES)
		return usage_fail(a->name, "%s: too many images (%d): at most %d in one load",
				  a->name, n, HAVEN_MAX_IMAGES);
	ret = parse_cell_arg(a->name, a->pos[0], &arg);
	if (ret)
		return ret;
	memset(img, 0, sizeof(img));
	for (i = 0; i < n && !ret; i++)
		ret = parse_image(a->name, a->pos[i + 1], &img[i]);
	if (!ret)
		ret = load_images(a, &arg, img, n);
	for (i = 0; i < n; i++) {
		free(img[i].path);
		free_blob(&img[i].file);
	}
	return ret;
}

/* ---- start, shutdown, destroy -------------------------------------------- */

/*
 * Find the cell and issue one start/shutdown/destroy ioctl with op (its id
 * filled in here); *c describes the cell. 0, or the exit status.
 */
static int cell_op(const struct parsed_args *a, const struct cell_arg *arg,
		   unsigned long request, struct haven_cell_op_args *op,
		   struct cell *c)
{
	int fd, ret = 0;

	if (open_cell(a->name, arg, &fd, c))
		return EXIT_ERROR;
	op->id = c->info.id;
	if (ioctl(fd, request, op) < 0)
		ret = ioctl_fail(a->name, op->err, errno);
	close(fd);
	return ret;
}

int cmd_cell_start(const struct parsed_args *a)
{
	struct haven_cell_op_args op;
	hv_u64 entry = HAVEN_ENTRY_DEFAULT;
	struct cell_arg arg;
	struct cell c;
	int ret;

	ret = parse_cell_arg(a->name, a->pos[0], &arg);
	if (!ret && a->opt[OPT_ENTRY])
		ret = parse_ipa(a->name, "--entry", a->opt[OPT_ENTRY], &entry);
	if (ret)
		return ret;
	memset(&op, 0, sizeof(op));
	op.entry = entry;
	op.boot_arg = HAVEN_BOOT_ARG_DEFAULT;
	ret = cell_op(a, &arg, HAVEN_CELL_START, &op, &c);
	if (ret)
		return ret;
	if (entry == HAVEN_ENTRY_DEFAULT)
		printf("cell '%s' started (entry: the start of its first loadable region)\n",
		       c.name);
	else
		printf("cell '%s' started (entry 0x%" PRIx64 ")\n", c.name,
		       entry);
	return 0;
}

int cmd_cell_shutdown(const struct parsed_args *a)
{
	const char *t = a->opt[OPT_TIMEOUT];
	struct haven_cell_op_args op;
	hv_u64 timeout = DEFAULT_TIMEOUT_MS;
	struct cell_arg arg;
	struct cell c;
	int ret;

	ret = parse_cell_arg(a->name, a->pos[0], &arg);
	if (ret)
		return ret;
	if (t && (strspn(t, "0123456789") != strlen(t) ||
		  parse_u64(t, &timeout) || timeout > UINT32_MAX))
		return usage_fail(a->name, "%s: bad --timeout '%s' (milliseconds, 0-%u)",
				  a->name, t, UINT32_MAX);
	memset(&op, 0, sizeof(op));
	op.timeout_ms = (hv_u32)timeout;
	ret = cell_op(a, &arg, HAVEN_CELL_SHUTDOWN, &op, &c);
	if (ret)
		return ret;
	if (op.forced == HAVEN_STOP_NO_COMM)
		printf("cell '%s' stopped by Haven at once: it has no comm page to be asked through\n",
		       c.name);
	else if (op.forced)
		printf("cell '%s' stopped by Haven: no acknowledgement within %" PRIu64 " ms (stopped after %u ms)\n",
		       c.name, timeout, op.waited_ms);
	else
		printf("cell '%s' shut down: acknowledged after %u ms\n",
		       c.name, op.waited_ms);
	return 0;
}

int cmd_cell_destroy(const struct parsed_args *a)
{
	struct haven_cell_op_args op;
	struct cell_arg arg;
	struct cell c;
	int ret;

	ret = parse_cell_arg(a->name, a->pos[0], &arg);
	if (ret)
		return ret;
	memset(&op, 0, sizeof(op));
	ret = cell_op(a, &arg, HAVEN_CELL_DESTROY, &op, &c);
	if (!ret)
		printf("cell '%s' destroyed (id %u)\n", c.name, c.info.id);
	return ret;
}

/* ---- list ---------------------------------------------------------------- */

/* A CPU set for a table column: "0-2", or "-" for none. */
static void table_cpus(hv_u64 map, char *out, size_t len)
{
	if (map)
		format_cpus(map, out, len);
	else
		snprintf(out, len, "-");
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static void print_list_text(const struct cell *cells, int n)
{
	int w_id = 2, w_name = 4, w_state = 5, w_cpus = 4, i;
	char cpus[128], failed[128];
	const char *state;

	for (i = 0; i < n; i++) {
		state = cell_state_name(cells[i].info.state);
		table_cpus(cells[i].info.cpus, cpus, sizeof(cpus));
		w_id = max_int(w_id, digits(cells[i].info.id));
		w_name = max_int(w_name, (int)strlen(cells[i].name));
		w_state = max_int(w_state, (int)strlen(state));
		w_cpus = max_int(w_cpus, (int)strlen(cpus));
	}
	printf("%*s  %-*s  %-*s  %-*s  %s\n", w_id, "id", w_name, "name",
	       w_state, "state", w_cpus, "cpus", "failed cpus");
	for (i = 0; i < n; i++) {
		table_cpus(cells[i].info.cpus, cpus, sizeof(cpus));
		table_cpus(cells[i].info.failed_cpus, failed, sizeof(failed));
		printf("%*u  %-*s  %-*s  %-*s  %s\n", w_id, cells[i].info.id,
		       w_name, cells[i].name, w_state,
		       cell_state_name(cells[i].info.state), w_cpus, cpus,
		       failed);
	}
}

/* "id", "name", "state", "cpus", "failed_cpus": the keys of every cell. */
static void json_cell_head(const struct cell *c)
{
	printf("\"id\": %u, \"name\": ", c->info.id);
	json_string(c->name);
	printf(", \"state\": ");
	json_string(cell_state_name(c->info.state));
	printf(", \"cpus\": ");
	json_cpu_list(c->info.cpus);
	printf(", \"failed_cpus\": ");
	json_cpu_list(c->info.failed_cpus);
}

static void print_list_json(const struct cell *cells, int n)
{
	int i;

	printf("{\"cells\": [");
	for (i = 0; i < n; i++) {
		printf("%s{", i ? ", " : "");
		json_cell_head(&cells[i]);
		putchar('}');
	}
	printf("]}\n");
}

int cmd_cell_list(const struct parsed_args *a)
{
	struct cell cells[HAVEN_MAX_CELLS];
	int fd, n, ret;

	if (open_device(&fd))
		return EXIT_ERROR;
	ret = all_cells(fd, a->name, cells, &n);
	close(fd);
	if (ret)
		return ret;
	if (a->opt[OPT_JSON])
		print_list_json(cells, n);
	else
		print_list_text(cells, n);
	return 0;
}

/* ---- stats --------------------------------------------------------------- */

static const char *const flag_names[] = { "read", "write", "exec", "io",
					  "loadable", "comm", "vuart", "subpage",
					  "width8", "width16", "width32", "width64" };
HAVEN_STATIC_ASSERT(ARRAY_SIZE(flag_names) == 12 && HAVEN_MEM_ALL_FLAGS == 0xfff,
		    "a name for every HAVEN_MEM_* flag");

/* "read,write,exec"; unknown bits as one hex number. */
static void format_flags(hv_u64 flags, char *out, size_t len)
{
	size_t used = 0, k;

	out[0] = '\0';
	for (k = 0; k < ARRAY_SIZE(flag_names) && used < len; k++)
		if (flags >> k & 1)
			used += (size_t)snprintf(out + used, len - used, "%s%s",
						 used ? "," : "", flag_names[k]);
	if (flags & ~HAVEN_MEM_ALL_FLAGS && used < len)
		used += (size_t)snprintf(out + used, len - used, "%s0x%" PRIx64,
					 used ? "," : "",
					 (hv_u64)(flags & ~HAVEN_MEM_ALL_FLAGS));
	if (!used)
		snprintf(out, len, "none");
}

static int rtos_published(const struct haven_cell_info_args *i)
{
	return i->rtos_releases || i->rtos_completions ||
	       i->rtos_deadline_misses || i->rtos_worst_response_ns;
}

static hv_u64 trap_total(const struct haven_cell_info_args *i)
{
	hv_u64 sum = 0;
	hv_u32 k;

	for (k = 0; k < i->num_stats; k++)
		sum += i->stats[k];
	return sum;
}

static void print_traps(const struct haven_cell_info_args *i)
{
	int width[HAVEN_STAT_COUNT + 1];
	hv_u32 k, n = i->num_stats;

	for (k = 0; k < n; k++)
		width[k] = max_int((int)strlen(stat_names[k]),
				   digits(i->stats[k]));
	width[n] = max_int((int)strlen("total"), digits(trap_total(i)));
	printf("traps");
	for (k = 0; k < n; k++)
		printf("  %*s", width[k], stat_names[k]);
	printf("  %*s\n     ", width[n], "total");
	for (k = 0; k < n; k++)
		printf("  %*" PRIu64, width[k], i->stats[k]);
	printf("  %*" PRIu64 "\n", width[n], trap_total(i));
}

/* "0x40000000-0x4fffffff" */
static void format_range(hv_u64 start, hv_u64 size, char *out, size_t len)
{
	snprintf(out, len, "0x%" PRIx64 "-0x%" PRIx64, start, start + size - 1);
}

static void print_regions(const struct haven_cell_info_args *i)
{
	const struct haven_mem_region *r = i->regions;
	char phys[48], virt[48], size[32], flags[96];
	int w_phys = 4, w_virt = 4, w_size = 4;
	hv_u32 k;

	for (k = 0; k < i->num_regions; k++) {
		format_range(r[k].phys_start, r[k].size, phys, sizeof(phys));
		format_range(r[k].virt_start, r[k].size, virt, sizeof(virt));
		format_size(r[k].size, size, sizeof(size));
		w_phys = max_int(w_phys, (int)strlen(phys));
		w_virt = max_int(w_virt, (int)strlen(virt));
		w_size = max_int(w_size, (int)strlen(size));
	}
	printf("memory regions  %u\n", i->num_regions);
	if (!i->num_regions)
		return;
	printf("region  %-*s  %-*s  %*s  flags\n", w_phys, "phys", w_virt,
	       "virt", w_size, "size");
	for (k = 0; k < i->num_regions; k++) {
		if (r[k].flags & HAVEN_MEM_EMULATED)
			snprintf(phys, sizeof(phys), "-");
		else
			format_range(r[k].phys_start, r[k].size, phys,
				     sizeof(phys));
		format_range(r[k].virt_start, r[k].size, virt, sizeof(virt));
		format_size(r[k].size, size, sizeof(size));
		format_flags(r[k].flags, flags, sizeof(flags));
		printf("%6u  %-*s  %-*s  %*s  %s\n", k, w_phys, phys, w_virt,
		       virt, w_size, size, flags);
	}
}

static void print_stats_text(const struct cell *c)
{
	const struct haven_cell_info_args *i = &c->info;
	char cpus[128], failed[128];

	format_cpus(i->cpus, cpus, sizeof(cpus));
	format_cpus(i->failed_cpus, failed, sizeof(failed));
	printf("cell %u '%s'\n", i->id, c->name);
	printf("state           %s\n", cell_state_name(i->state));
	printf("CPUs            %s\n", cpus);
	printf("failed CPUs     %s\n", failed);
	printf("uptime          %.3f s\n", (double)i->uptime_ns / 1e9);
	printf("heartbeat       %" PRIu64 "\n", i->heartbeat);
	printf("starts          %" PRIu64 "\n", i->starts);
	printf("faults          %" PRIu64 "\n", i->faults);
	if (i->has & HAVEN_CELL_HAS_DENIED)
		printf("denied          %" PRIu64 "\n", i->denied);
	else
		printf("denied          - (not counted by this Haven)\n");
	if (i->has & HAVEN_CELL_HAS_DMA_FAULTS)
		printf("dma faults      %" PRIu64 "\n", i->dma_faults);
	else
		printf("dma faults      - (not counted by this Haven)\n");
	if (rtos_published(i))
		printf("RTOS            %" PRIu64 " releases, %" PRIu64 " completions, %" PRIu64 " deadline misses, worst response %.3f us\n",
		       i->rtos_releases, i->rtos_completions,
		       i->rtos_deadline_misses,
		       (double)i->rtos_worst_response_ns / 1e3);
	else
		printf("RTOS            no statistics published\n");
	putchar('\n');
	print_traps(i);
	putchar('\n');
	print_regions(i);
}

static void json_regions(const struct haven_cell_info_args *i)
{
	const struct haven_mem_region *r = i->regions;
	size_t f;
	hv_u32 k;
	int first;

	printf("[");
	for (k = 0; k < i->num_regions; k++) {
		printf("%s{\"phys\": %" PRIu64 ", \"virt\": %" PRIu64 ", \"size\": %" PRIu64 ", \"flags\": [",
		       k ? ", " : "", r[k].phys_start, r[k].virt_start,
		       r[k].size);
		first = 1;
		for (f = 0; f < ARRAY_SIZE(flag_names); f++) {
			if (!(r[k].flags >> f & 1))
				continue;
			printf("%s\"%s\"", first ? "" : ", ", flag_names[f]);
			first = 0;
		}
		if (r[k].flags & ~HAVEN_MEM_ALL_FLAGS)
			printf("%s\"0x%" PRIx64 "\"", first ? "" : ", ",
			       (hv_u64)(r[k].flags & ~HAVEN_MEM_ALL_FLAGS));
		printf("]}");
	}
	printf("]");
}

static void print_stats_json(const struct cell *c)
{
	const struct haven_cell_info_args *i = &c->info;
	hv_u32 k;

	putchar('{');
	json_cell_head(c);
	printf(", \"uptime_ns\": %" PRIu64 ", \"heartbeat\": %" PRIu64 ", \"starts\": %" PRIu64 ", \"faults\": %" PRIu64,
	       i->uptime_ns, i->heartbeat, i->starts, i->faults);
	printf(", \"denied\": ");
	json_u64_or_null(i->denied, i->has & HAVEN_CELL_HAS_DENIED);
	printf(", \"dma_faults\": ");
	json_u64_or_null(i->dma_faults, i->has & HAVEN_CELL_HAS_DMA_FAULTS);
	printf(", \"rtos\": {\"releases\": %" PRIu64 ", \"completions\": %" PRIu64 ", \"deadline_misses\": %" PRIu64 ", \"worst_response_ns\": %" PRIu64 "}",
	       i->rtos_releases, i->rtos_completions, i->rtos_deadline_misses,
	       i->rtos_worst_response_ns);
	printf(", \"traps\": {");
	for (k = 0; k < i->num_stats; k++)
		printf("%s\"%s\": %" PRIu64, k ? ", " : "", stat_names[k],
		       i->stats[k]);
	printf("}, \"traps_total\": %" PRIu64 ", \"regions\": ", trap_total(i));
	json_regions(i);
	printf("}\n");
}

int cmd_cell_stats(const struct parsed_args *a)
{
	struct cell_arg arg;
	struct cell c;
	int fd, ret;

	ret = parse_cell_arg(a->name, a->pos[0], &arg);
	if (ret)
		return ret;
	if (open_cell(a->name, &arg, &fd, &c))
		return EXIT_ERROR;
	close(fd);
	if (a->opt[OPT_JSON])
		print_stats_json(&c);
	else
		print_stats_text(&c);
	return 0;
}

/* ---- checksum ------------------------------------------------------------ */

int cmd_cell_checksum(const struct parsed_args *a)
{
	struct haven_cell_checksum_args args;
	const char *b = a->pos[1];
	struct cell_arg arg;
	struct cell c;
	hv_u64 bytes;
	int fd, ret;

	ret = parse_cell_arg(a->name, a->pos[0], &arg);
	if (ret)
		return ret;
	if (parse_u64(b, &bytes) || bytes == 0)
		return usage_fail(a->name, "%s: bad byte count '%s' (decimal, or hex with 0x; at least 1)",
				  a->name, b);
	if (open_cell(a->name, &arg, &fd, &c))
		return EXIT_ERROR;
	memset(&args, 0, sizeof(args));
	args.id = c.info.id;
	args.bytes = bytes;
	if (ioctl(fd, HAVEN_CELL_CHECKSUM, &args) < 0)
		ret = ioctl_fail(a->name, args.err, errno);
	close(fd);
	if (ret)
		return ret;
	if (a->opt[OPT_JSON]) {
		printf("{\"id\": %u, \"name\": ", c.info.id);
		json_string(c.name);
		printf(", \"bytes\": %" PRIu64 ", \"region_virt\": %" PRIu64 ", \"fnv1a\": \"0x%016" PRIx64 "\"}\n",
		       bytes, args.region_virt, args.sum);
	} else {
		printf("cell '%s': FNV-1a 0x%016" PRIx64 " of the first %" PRIu64 " byte%s at IPA 0x%" PRIx64 " (its first loadable region)\n",
		       c.name, args.sum, bytes, plural(bytes), args.region_virt);
	}
	return 0;
}

/* ---- the final layout, for "info" ---------------------------------------- */

/* The final layout's cells: names of created cells, then the other ids. */
void format_final_cells(int fd, hv_u32 final_cells, char *out, size_t len)
{
	hv_u64 unnamed = 0;
	size_t used = 0;
	struct cell c;
	hv_u32 id;

	out[0] = '\0';
	for (id = 0; id < HAVEN_MAX_CELLS && id < 32; id++) {
		if (!(final_cells >> id & 1))
			continue;
		if (cell_info(fd, id, &c)) {
			unnamed |= 1ULL << id;
			continue;
		}
		if (used < len)
			used += (size_t)snprintf(out + used, len - used, "%s%s",
						 used ? ", " : "", c.name);
	}
	unnamed |= (hv_u64)(final_cells >> HAVEN_MAX_CELLS) << HAVEN_MAX_CELLS;
	if (unnamed && used < len) {
		used += (size_t)snprintf(out + used, len - used, "%scell ids ",
					 used ? ", " : "");
		if (used < len)
			format_cpus(unnamed, out + used, len - used);
	}
}

void json_final_cells(int fd, hv_u32 final_cells)
{
	struct cell c;
	hv_u32 id;
	int first = 1;

	putchar('[');
	for (id = 0; id < 32; id++) {
		if (!(final_cells >> id & 1))
			continue;
		printf("%s{\"id\": %u, \"name\": ", first ? "" : ", ", id);
		if (id < HAVEN_MAX_CELLS && cell_info(fd, id, &c) == 0)
			json_string(c.name);
		else
			printf("null");
		putchar('}');
		first = 0;
	}
	putchar(']');
}
