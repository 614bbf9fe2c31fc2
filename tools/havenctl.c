// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: control the Haven hypervisor from the root cell.
 *
 * Talks to haven.ko through /dev/haven (include/haven/uapi.h). Compiled
 * configurations are validated here with the hypervisor's own checker
 * (hypervisor/config_check.c) before anything is handed to the driver, so a
 * bad file is reported with the cell, region, rule and offending value.
 *
 * Exit status: 0 on success, 1 on error, 2 on bad usage. Every error is one
 * line on stderr starting with "havenctl: ".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <haven/firmware.h>
#include <haven/uapi.h>
#include <config_check.h>

#define PROG "havenctl"
#define EXIT_USAGE 2
#define HELP_SHOWN (-1)
#define DEFAULT_DEVICE "/dev/haven"
#define MAX_CONFIG_SIZE (1024 * 1024)
#define CONSOLE_CHUNK 4096
#define CONSOLE_POLL_NS 100000000L
#define MAX_OPTIONS 4
#define MAX_POSITIONAL 2

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

static const char *const stat_names[] = HAVEN_STAT_NAMES;
HAVEN_STATIC_ASSERT(ARRAY_SIZE(stat_names) == HAVEN_STAT_COUNT,
		    "HAVEN_STAT_NAMES must name every HAVEN_STAT_*");

/* Set from SIGINT/SIGTERM while "console -f" is following the console. */
static volatile sig_atomic_t stop_requested;

/* ---- messages ------------------------------------------------------------ */

static void vmessage(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print "havenctl: <message>" on stderr; returns exit status 1. */
PRINTF_LIKE(1, 2) static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * Like fail(), for command lines we cannot run; points to the help of
 * command (NULL: the command list). Returns EXIT_USAGE.
 */
PRINTF_LIKE(2, 3) static int usage_fail(const char *command,
					const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (try '" PROG " %s%s--help')\n",
		command ? command : "", command ? " " : "");
	va_end(ap);
	return EXIT_USAGE;
}

/* Report a failed ioctl: the driver's reason if it gave one, else errno. */
static int ioctl_fail(const char *what, char *err, int saved_errno)
{
	size_t i;

	if (!err || !err[0])
		return fail("%s: %s", what, strerror(saved_errno));
	err[HAVEN_ERR_LEN - 1] = '\0';
	for (i = 0; err[i]; i++)
		if (err[i] == '\n' || err[i] == '\r')
			err[i] = ' ';
	while (i > 0 && err[i - 1] == ' ')
		err[--i] = '\0';
	return fail("%s: %s", what, err);
}

static const char *plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

/* ---- configuration files ------------------------------------------------- */

struct blob {
	const char *path;
	void *data; /* malloc'ed, suitably aligned for the config structs */
	size_t size;
};

static int read_all(int fd, struct blob *b)
{
	char *p = b->data;
	ssize_t n;

	b->size = 0;
	while (b->size <= MAX_CONFIG_SIZE) {
		n = read(fd, p + b->size, MAX_CONFIG_SIZE + 1 - b->size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		b->size += (size_t)n;
	}
	return 0;
}

/* Free what the file does not use; also lets memory checkers see its end. */
static void shrink_to_fit(struct blob *b)
{
	void *p = realloc(b->data, b->size);

	if (p)
		b->data = p;
}

/* Read a configuration file; prints the reason and returns 1 on failure. */
static int read_config(const char *path, struct blob *b)
{
	int fd, ret;

	b->path = path;
	b->data = malloc(MAX_CONFIG_SIZE + 1);
	if (!b->data)
		return fail("%s: out of memory", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = fail("%s: cannot open: %s", path, strerror(errno));
		goto err;
	}
	ret = read_all(fd, b);
	if (ret)
		ret = fail("%s: cannot read: %s", path, strerror(errno));
	close(fd);
	if (!ret && b->size == 0)
		ret = fail("%s: file is empty", path);
	if (!ret && b->size > MAX_CONFIG_SIZE)
		ret = fail("%s: file is larger than 1 MiB, too large for a Haven configuration",
			   path);
	if (!ret) {
		shrink_to_fit(b);
		return 0;
	}
err:
	free(b->data);
	b->data = NULL;
	return ret;
}

static void free_config(struct blob *b)
{
	free(b->data);
	b->data = NULL;
}

/* The kind a file claims in its header, or 0 if it has no valid header. */
static unsigned int header_kind(const struct blob *b)
{
	const struct haven_config_header *h = b->data;

	if (b->size < sizeof(*h) ||
	    memcmp(h->magic, HAVEN_CONFIG_MAGIC, sizeof(h->magic)))
		return 0;
	return h->kind;
}

static const char *kind_name(hv_u64 kind)
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

/* Copy n bytes for printing, with '?' for what is not printable ASCII. */
static void printable(const void *src, size_t n, char *out)
{
	const unsigned char *s = src;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	out[i] = '\0';
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

/* Format a CPU bitmap as "0-2,5". */
static void format_cpus(hv_u64 map, char *out, size_t len)
{
	size_t used = 0;
	int cpu = 0, end;

	out[0] = '\0';
	while (cpu < 64 && used < len) {
		if (!(map >> cpu & 1)) {
			cpu++;
			continue;
		}
		for (end = cpu; end < 63 && (map >> (end + 1) & 1); end++)
			;
		used += (size_t)snprintf(out + used, len - used,
					 end > cpu ? "%s%d-%d" : "%s%d",
					 used ? "," : "", cpu, end);
		cpu = end + 1;
	}
	if (!out[0])
		snprintf(out, len, "none");
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
		if (v)
			snprintf(out, len, "(system reserved field 0x%" PRIx64 ")", v);
		else
			snprintf(out, len, "(in the header)");
		break;
	default:
		snprintf(out, len, "(value 0x%" PRIx64 ")", v);
	}
}

static void system_detail(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res, char *out,
			  size_t len)
{
	const struct haven_platform *p = &ctx->sys->platform;
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
	case HAVEN_CFG_TOO_MANY_CELLS:
		snprintf(out, len, "(num_cells %" PRIu64 ", maximum %d)", v,
			 HAVEN_MAX_CELLS - 1);
		break;
	case HAVEN_CFG_BOUNDS:
		snprintf(out, len, "(num_cells %" PRIu64 ": cell table runs past the end of the file)",
			 v);
		break;
	default:
		header_detail(ctx, res, out, len);
	}
}

static void cell_detail(const struct check_ctx *ctx,
			const struct haven_cfg_result *res, char *out,
			size_t len)
{
	const struct haven_cell *c = ctx_cell(ctx, res->cell);
	hv_u64 v = res->value;

	switch (res->code) {
	case HAVEN_CFG_NAME:
	case HAVEN_CFG_CPUS_EMPTY:
		out[0] = '\0';
		break;
	case HAVEN_CFG_CPU_RANGE:
		snprintf(out, len, "(cpus 0x%" PRIx64 ", platform has %u CPUs)", v,
			 ctx->sys->platform.num_cpus);
		break;
	case HAVEN_CFG_RESERVED:
		snprintf(out, len, "(flags 0x%x, reserved 0x%x)", c->flags,
			 c->reserved);
		break;
	case HAVEN_CFG_IRQ_RANGE:
		snprintf(out, len, "(interrupt %" PRIu64 ", platform has %u)", v,
			 ctx->sys->platform.num_irqs);
		break;
	case HAVEN_CFG_TOO_MANY_REGIONS:
		snprintf(out, len, "(%" PRIu64 " regions, maximum %d)", v,
			 HAVEN_MAX_MEM_REGIONS);
		break;
	case HAVEN_CFG_BOUNDS:
		snprintf(out, len, "(mem_regions_offset 0x%x with %u regions: must be 8-byte aligned and inside the file)",
			 c->mem_regions_offset, c->num_mem_regions);
		break;
	default:
		snprintf(out, len, "(value 0x%" PRIx64 ")", v);
	}
}

static int regions_overlap(const struct haven_mem_region *a,
			   const struct haven_mem_region *b)
{
	return (a->phys_start < b->phys_start + b->size &&
		b->phys_start < a->phys_start + a->size) ||
	       (a->virt_start < b->virt_start + b->size &&
		b->virt_start < a->virt_start + a->size);
}

static const char *flags_problem(hv_u64 flags)
{
	if (flags & ~HAVEN_MEM_ALL_FLAGS)
		return "unknown bits";
	if ((flags & HAVEN_MEM_IO) && (flags & HAVEN_MEM_EXEC))
		return "io with exec";
	return "read missing";
}

static void region_detail(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res, char *out,
			  size_t len)
{
	const struct haven_mem_region *r =
		haven_cfg_regions(ctx->file->data, ctx_cell(ctx, res->cell));
	const struct haven_mem_region *bad = &r[res->region];
	int j;

	switch (res->code) {
	case HAVEN_CFG_REGION_FLAGS:
		snprintf(out, len, "(flags 0x%" PRIx64 ": %s)", bad->flags,
			 flags_problem(bad->flags));
		return;
	case HAVEN_CFG_REGION_HV:
		snprintf(out, len, "(phys 0x%" PRIx64 " size 0x%" PRIx64 ", hypervisor memory 0x%" PRIx64 " size 0x%" PRIx64 ")",
			 bad->phys_start, bad->size, ctx->sys->hv_mem_base,
			 ctx->sys->hv_mem_size);
		return;
	case HAVEN_CFG_REGION_OVERLAP:
		for (j = 0; j < res->region; j++)
			if (regions_overlap(bad, &r[j]))
				break;
		snprintf(out, len, "(phys 0x%" PRIx64 " virt 0x%" PRIx64 " size 0x%" PRIx64 " overlaps region %d)",
			 bad->phys_start, bad->virt_start, bad->size, j);
		return;
	default:
		snprintf(out, len, "(phys 0x%" PRIx64 " virt 0x%" PRIx64 " size 0x%" PRIx64 ")",
			 bad->phys_start, bad->virt_start, bad->size);
	}
}

/* Print why a configuration was rejected as one line; returns 1. */
static int report_invalid(const struct check_ctx *ctx,
			  const struct haven_cfg_result *res)
{
	char where[96], detail[256];

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

/* Validate a system configuration; prints the reason and returns 1 if bad. */
static int check_system(const struct blob *f)
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

/* ---- /dev/haven ---------------------------------------------------------- */

static int open_device(int *fd)
{
	const char *path = getenv("HAVEN_DEVICE");

	if (!path || !path[0])
		path = DEFAULT_DEVICE;
	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd >= 0)
		return 0;
	if (errno == ENOENT)
		return fail("%s not found: is haven.ko loaded? (insmod haven.ko)",
			    path);
	if (errno == EACCES || errno == EPERM)
		return fail("%s: %s (havenctl needs root)", path,
			    strerror(errno));
	return fail("%s: %s", path, strerror(errno));
}

static int query_info(int fd, struct haven_info_args *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, HAVEN_INFO, info) < 0)
		return ioctl_fail("info", NULL, errno);
	if (info->abi_version != HAVEN_ABI_VERSION)
		return fail("haven.ko speaks ABI %u but havenctl was built for ABI %d: rebuild them together",
			    info->abi_version, HAVEN_ABI_VERSION);
	info->version[sizeof(info->version) - 1] = '\0';
	return 0;
}

static double ns_to_ms(hv_u64 ns)
{
	return (double)ns / 1e6;
}

static unsigned int stat_count(const struct haven_info_args *info)
{
	return info->num_stats < HAVEN_STAT_COUNT ? info->num_stats :
						    HAVEN_STAT_COUNT;
}

static int cpu_in_haven(const struct haven_info_args *info, unsigned int cpu)
{
	return cpu < HAVEN_MAX_CPUS && (info->cpus_in_haven >> cpu & 1);
}

static hv_u64 cpu_total(const struct haven_info_args *info, unsigned int cpu)
{
	hv_u64 sum = 0;
	unsigned int k;

	for (k = 0; k < stat_count(info); k++)
		sum += info->stats[cpu][k];
	return sum;
}

/* ---- commands ------------------------------------------------------------ */

struct parsed_args {
	const char *opt[MAX_OPTIONS]; /* value, "" for a flag, NULL: absent */
	const char *pos[MAX_POSITIONAL];
	int npos;
};

/* Option indices, in the order of each command's option table. */
enum { OPT_JSON = 0, OPT_FOLLOW = 0, OPT_SYSTEM = 0, OPT_SKIP_CHECK = 0 };

static int cmd_enable(const struct parsed_args *a)
{
	struct haven_enable_args args;
	struct haven_info_args info;
	struct blob cfg;
	unsigned int ncpus;
	int fd, ret;

	if (read_config(a->pos[0], &cfg))
		return 1;
	ret = a->opt[OPT_SKIP_CHECK] ? 0 : check_system(&cfg);
	if (!ret)
		ret = open_device(&fd);
	if (ret)
		goto out;
	memset(&args, 0, sizeof(args));
	args.config_ptr = (hv_u64)(uintptr_t)cfg.data;
	args.config_size = (hv_u32)cfg.size;
	if (ioctl(fd, HAVEN_ENABLE, &args) < 0) {
		ret = ioctl_fail("enable", args.err, errno);
	} else if (query_info(fd, &info) == 0) {
		ncpus = (unsigned int)__builtin_popcountll(info.cpus_in_haven);
		printf("Haven enabled (%u CPU%s, %.3f ms)\n", ncpus,
		       plural(ncpus), ns_to_ms(info.enable_ns));
	} else {
		printf("Haven enabled\n");
	}
	close(fd);
out:
	free_config(&cfg);
	return ret;
}

static int cmd_disable(const struct parsed_args *a)
{
	struct haven_disable_args args;
	int fd, ret = 0;

	(void)a;
	if (open_device(&fd))
		return 1;
	memset(&args, 0, sizeof(args));
	if (ioctl(fd, HAVEN_DISABLE, &args) < 0)
		ret = ioctl_fail("disable", args.err, errno);
	else
		printf("Haven disabled\n");
	close(fd);
	return ret;
}

static void print_size(hv_u64 bytes)
{
	if (bytes && bytes % (1024 * 1024) == 0)
		printf("%" PRIu64 " MiB", bytes >> 20);
	else if (bytes && bytes % 1024 == 0)
		printf("%" PRIu64 " KiB", bytes >> 10);
	else
		printf("%" PRIu64 " bytes", bytes);
}

static int digits(hv_u64 v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Column widths of the trap table: one per counter, then the total. */
static void stat_widths(const struct haven_info_args *info,
			int width[HAVEN_STAT_COUNT + 1])
{
	unsigned int cpu, k, n = stat_count(info);

	for (k = 0; k < n; k++)
		width[k] = (int)strlen(stat_names[k]);
	width[n] = (int)strlen("total");
	for (cpu = 0; cpu < HAVEN_MAX_CPUS; cpu++) {
		if (!cpu_in_haven(info, cpu))
			continue;
		for (k = 0; k < n; k++)
			if (digits(info->stats[cpu][k]) > width[k])
				width[k] = digits(info->stats[cpu][k]);
		if (digits(cpu_total(info, cpu)) > width[n])
			width[n] = digits(cpu_total(info, cpu));
	}
}

static void print_stat_table(const struct haven_info_args *info)
{
	int width[HAVEN_STAT_COUNT + 1];
	unsigned int cpu, k, n = stat_count(info);

	stat_widths(info, width);
	printf("cpu");
	for (k = 0; k < n; k++)
		printf("  %*s", width[k], stat_names[k]);
	printf("  %*s\n", width[n], "total");
	for (cpu = 0; cpu < HAVEN_MAX_CPUS; cpu++) {
		if (!cpu_in_haven(info, cpu))
			continue;
		printf("%3u", cpu);
		for (k = 0; k < n; k++)
			printf("  %*" PRIu64, width[k], info->stats[cpu][k]);
		printf("  %*" PRIu64 "\n", width[n], cpu_total(info, cpu));
	}
}

static void print_info_text(const struct haven_info_args *info)
{
	char cpus[128];

	format_cpus(info->cpus_in_haven, cpus, sizeof(cpus));
	printf("Haven %s (ABI %u)\n", info->version, info->abi_version);
	printf("hypervisor memory  0x%" PRIx64 "-0x%" PRIx64 " (",
	       info->hv_mem_base, info->hv_mem_base + info->hv_mem_size - 1);
	print_size(info->hv_mem_size);
	printf(")\n");
	printf("memory pool        %" PRIu64 " of %" PRIu64 " pages used\n",
	       info->pool_used, info->pool_pages);
	printf("enable time        %.3f ms\n", ns_to_ms(info->enable_ns));
	printf("CPUs in Haven      %s (%d of %u)\n\n", cpus,
	       __builtin_popcountll(info->cpus_in_haven), info->num_cpus);
	print_stat_table(info);
}

/* Print a C string as a JSON string; bytes outside ASCII as \u00XX. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_cpu(const struct haven_info_args *info, unsigned int cpu)
{
	unsigned int k;

	printf("{\"cpu\": %u, \"traps\": {", cpu);
	for (k = 0; k < stat_count(info); k++)
		printf("%s\"%s\": %" PRIu64, k ? ", " : "", stat_names[k],
		       info->stats[cpu][k]);
	printf("}, \"total\": %" PRIu64 "}", cpu_total(info, cpu));
}

static void print_info_json(const struct haven_info_args *info)
{
	unsigned int cpu;
	int first = 1;

	printf("{\"enabled\": true, \"version\": ");
	json_string(info->version);
	printf(", \"abi_version\": %u", info->abi_version);
	printf(", \"hv_mem_base\": %" PRIu64 ", \"hv_mem_size\": %" PRIu64,
	       info->hv_mem_base, info->hv_mem_size);
	printf(", \"pool_pages\": %" PRIu64 ", \"pool_used\": %" PRIu64,
	       info->pool_pages, info->pool_used);
	printf(", \"enable_ms\": %.3f, \"cpus\": [", ns_to_ms(info->enable_ns));
	for (cpu = 0; cpu < HAVEN_MAX_CPUS; cpu++) {
		if (!cpu_in_haven(info, cpu))
			continue;
		if (!first)
			fputs(", ", stdout);
		json_cpu(info, cpu);
		first = 0;
	}
	printf("]}\n");
}

static int cmd_info(const struct parsed_args *a)
{
	struct haven_info_args info;
	int fd, ret;

	if (open_device(&fd))
		return 1;
	ret = query_info(fd, &info);
	close(fd);
	if (ret)
		return ret;
	if (!info.enabled)
		return fail("Haven is not enabled");
	if (a->opt[OPT_JSON])
		print_info_json(&info);
	else
		print_info_text(&info);
	return 0;
}

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGINT/SIGTERM end "console -f" cleanly; no SA_RESTART, so sleeps end. */
static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sleep_poll_interval(void)
{
	struct timespec ts = { 0, CONSOLE_POLL_NS };

	nanosleep(&ts, NULL);
}

/*
 * One read from the console at *pos: prints the bytes and any loss note.
 * Returns the number of bytes read, or -1 after printing an error.
 */
static long console_step(int fd, hv_u64 *pos)
{
	char buf[CONSOLE_CHUNK];
	struct haven_console_args args;

	memset(&args, 0, sizeof(args));
	args.buf_ptr = (hv_u64)(uintptr_t)buf;
	args.buf_size = sizeof(buf);
	args.pos = *pos;
	if (ioctl(fd, HAVEN_CONSOLE_READ, &args) < 0) {
		if (errno == EINTR)
			return 0;
		if (errno == ENODEV)
			return -fail("Haven is not enabled");
		return -ioctl_fail("console", NULL, errno);
	}
	if (args.len > sizeof(buf))
		return -fail("console: driver returned %u bytes for a %zu-byte buffer",
			     args.len, sizeof(buf));
	if (args.lost)
		fprintf(stderr, "[... %u bytes lost ...]\n", args.lost);
	if (write_all(STDOUT_FILENO, buf, args.len))
		return -fail("console: cannot write to stdout: %s",
			     strerror(errno));
	*pos = args.pos;
	return args.len;
}

static int cmd_console(const struct parsed_args *a)
{
	int follow = a->opt[OPT_FOLLOW] != NULL;
	hv_u64 pos = 0;
	long n = 0;
	int fd;

	if (open_device(&fd))
		return 1;
	if (follow)
		catch_stop_signals();
	while (!stop_requested) {
		n = console_step(fd, &pos);
		if (n < 0)
			break;
		if (n == 0 && !follow)
			break;
		if (n == 0 && !stop_requested)
			sleep_poll_interval();
	}
	close(fd);
	return n < 0 ? 1 : 0;
}

static int print_system_summary(const struct blob *f)
{
	const struct haven_system *sys = haven_cfg_system(f->data);
	char name[HAVEN_NAME_LEN];

	cell_name(&sys->root, name);
	printf("%s: valid system configuration: %u CPU%s, root cell '%s' with %u region%s, %u declared cell%s\n",
	       f->path, sys->platform.num_cpus, plural(sys->platform.num_cpus),
	       name, sys->root.num_mem_regions,
	       plural(sys->root.num_mem_regions), sys->num_cells,
	       plural(sys->num_cells));
	return 0;
}

static int print_cell_summary(const struct blob *f, const char *sys_path)
{
	const struct haven_cell *c = (const struct haven_cell *)
		((const hv_u8 *)f->data + sizeof(struct haven_config_header));
	char name[HAVEN_NAME_LEN], cpus[128];
	unsigned int irqs = count_irqs(c);

	cell_name(c, name);
	format_cpus(c->cpus, cpus, sizeof(cpus));
	printf("%s: valid cell configuration: cell '%s' with %u region%s, CPU%s %s, %u interrupt%s (checked against %s)\n",
	       f->path, name, c->num_mem_regions, plural(c->num_mem_regions),
	       plural((unsigned long long)__builtin_popcountll(c->cpus)), cpus,
	       irqs, plural(irqs), sys_path);
	return 0;
}

static int config_check_system(const struct blob *f)
{
	if (check_system(f))
		return 1;
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
		return 1;
	ret = check_system(&sys);
	if (!ret)
		ret = check_cell(f, haven_cfg_system(sys.data));
	if (!ret)
		ret = print_cell_summary(f, sys_path);
	free_config(&sys);
	return ret;
}

static int cmd_config_check(const struct parsed_args *a)
{
	struct blob f;
	int ret;

	if (read_config(a->pos[0], &f))
		return 1;
	if (header_kind(&f) == HAVEN_CONFIG_CELL)
		ret = config_check_cell(&f, a->opt[OPT_SYSTEM]);
	else
		ret = config_check_system(&f);
	free_config(&f);
	return ret;
}

/* ---- command line -------------------------------------------------------- */

struct option_spec {
	const char *name; /* long form, without the leading "--" */
	char letter; /* short form, or 0 */
	int takes_value;
};

struct command {
	const char *name; /* words as typed, e.g. "config check" */
	const char *synopsis; /* what follows the name */
	const char *summary; /* one line for "havenctl --help" */
	const char *help; /* body of "havenctl NAME --help" */
	const struct option_spec *opts; /* NULL-terminated; index = opt[] */
	int min_pos, max_pos;
	int (*run)(const struct parsed_args *a);
};

static const struct option_spec no_opts[] = { { NULL, 0, 0 } };
static const struct option_spec enable_opts[] = { { "skip-check", 0, 0 },
						   { NULL, 0, 0 } };
static const struct option_spec info_opts[] = { { "json", 0, 0 },
						 { NULL, 0, 0 } };
static const struct option_spec console_opts[] = { { "follow", 'f', 0 },
						    { NULL, 0, 0 } };
static const struct option_spec check_opts[] = { { "system", 0, 1 },
						  { NULL, 0, 0 } };

static const struct command commands[] = {
	{ "enable", "[--skip-check] SYSTEM.cell",
	  "validate a system configuration and enable Haven",
	  "Validates SYSTEM.cell, a compiled system configuration, with the\n"
	  "same checker the hypervisor runs; if it is invalid, prints the\n"
	  "reason and exits without contacting the driver. Otherwise hands it\n"
	  "to haven.ko, which starts the hypervisor with the running Linux as\n"
	  "the root cell, and prints the number of CPUs now in Haven and how\n"
	  "long enabling took.\n"
	  "\n"
	  "  --skip-check  hand the file to the driver unchecked, so the\n"
	  "                driver's and the hypervisor's own validation\n"
	  "                answer (used by the tests)\n",
	  enable_opts, 1, 1, cmd_enable },
	{ "disable", "", "disable Haven",
	  "Asks haven.ko to disable Haven. If the driver refuses (for example\n"
	  "because Haven is not enabled or the layout is sealed), its reason\n"
	  "is printed.\n",
	  no_opts, 0, 0, cmd_disable },
	{ "info", "[--json]", "show Haven's state, memory and trap counters",
	  "Prints the firmware version, ABI version, hypervisor memory, memory\n"
	  "pool usage, how long the last enable took, the CPUs running in Haven,\n"
	  "and per CPU the trap counters by kind with their total. Fails if\n"
	  "Haven is not enabled.\n"
	  "\n"
	  "  --json  print one JSON object with the keys enabled, version,\n"
	  "          abi_version, hv_mem_base, hv_mem_size, pool_pages,\n"
	  "          pool_used, enable_ms and cpus (a list of\n"
	  "          {\"cpu\": N, \"traps\": {KIND: COUNT, ...}, \"total\": N})\n",
	  info_opts, 0, 0, cmd_info },
	{ "console", "[-f]", "print the hypervisor's console",
	  "Copies the hypervisor's console output to stdout from its beginning,\n"
	  "then stops when everything written so far has been read. Bytes the\n"
	  "console ring overwrote before they could be read are reported on\n"
	  "stderr as \"[... N bytes lost ...]\".\n"
	  "\n"
	  "  -f, --follow  keep waiting for new output (polling every 100 ms)\n"
	  "                until SIGINT or SIGTERM, then exit with status 0\n",
	  console_opts, 0, 0, cmd_console },
	{ "config check", "FILE [--system SYSTEM.cell]",
	  "validate a compiled configuration without the driver",
	  "Validates FILE, a compiled system or cell configuration (the kind is\n"
	  "read from its header), with the same checker the hypervisor runs,\n"
	  "and prints a one-line summary, or the cell, region, rule and value\n"
	  "that make it invalid. Files larger than 1 MiB are refused.\n"
	  "\n"
	  "  --system SYSTEM.cell  the system configuration a cell\n"
	  "                        configuration is checked against (required\n"
	  "                        for cell files, which need its platform and\n"
	  "                        hypervisor memory)\n",
	  check_opts, 1, 1, cmd_config_check },
};

#define NUM_COMMANDS ARRAY_SIZE(commands)

static void print_main_help(void)
{
	size_t i;

	printf("Usage: " PROG " COMMAND [ARGS]\n\n"
	       "Control the Haven hypervisor through " DEFAULT_DEVICE
	       " (haven.ko).\n\nCommands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		printf("  %s%s%s\n      %s\n", commands[i].name,
		       commands[i].synopsis[0] ? " " : "", commands[i].synopsis,
		       commands[i].summary);
	printf("\nRun '" PROG " COMMAND --help' for details.\n"
	       "Environment: HAVEN_DEVICE overrides the device path.\n"
	       "Exit status: 0 on success, 1 on error, 2 on bad usage.\n");
}

static void print_command_help(const struct command *cmd)
{
	printf("Usage: " PROG " %s%s%s\n\n%s\n", cmd->name,
	       cmd->synopsis[0] ? " " : "", cmd->synopsis, cmd->help);
	printf("Exit status: 0 on success, 1 on error, 2 on bad usage.\n");
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Index of the option arg names in opts, or -1; sets *value for "--x=v". */
static int find_option(const struct option_spec *opts, const char *arg,
		       const char **value)
{
	size_t n;
	int i;

	*value = NULL;
	for (i = 0; opts[i].name; i++) {
		if (arg[1] != '-') {
			if (opts[i].letter && arg[1] == opts[i].letter &&
			    !arg[2])
				return i;
			continue;
		}
		n = strlen(opts[i].name);
		if (strncmp(arg + 2, opts[i].name, n))
			continue;
		if (arg[2 + n] == '=')
			*value = arg + 3 + n;
		if (arg[2 + n] == '=' || !arg[2 + n])
			return i;
	}
	return -1;
}

static int take_option(const struct command *cmd, char **argv, int argc,
		       int *i, struct parsed_args *out)
{
	const char *arg = argv[*i], *value;
	int k = find_option(cmd->opts, arg, &value);

	if (k < 0)
		return usage_fail(cmd->name, "%s: unknown option '%s'", cmd->name,
				  arg);
	if (!cmd->opts[k].takes_value && value)
		return usage_fail(cmd->name, "%s: option --%s takes no value",
				  cmd->name, cmd->opts[k].name);
	if (cmd->opts[k].takes_value && !value) {
		if (*i + 1 >= argc)
			return usage_fail(cmd->name,
					  "%s: option --%s needs a value",
					  cmd->name, cmd->opts[k].name);
		value = argv[++*i];
	}
	out->opt[k] = value ? value : "";
	return 0;
}

/* Parse a command's arguments; HELP_SHOWN after --help. */
static int parse_args(const struct command *cmd, int argc, char **argv,
		      struct parsed_args *out)
{
	int i, options_done = 0, ret;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < argc; i++) {
		if (!options_done && !strcmp(argv[i], "--")) {
			options_done = 1;
		} else if (!options_done && is_help(argv[i])) {
			print_command_help(cmd);
			return HELP_SHOWN;
		} else if (!options_done && argv[i][0] == '-' && argv[i][1]) {
			ret = take_option(cmd, argv, argc, &i, out);
			if (ret)
				return ret;
		} else if (out->npos < cmd->max_pos) {
			out->pos[out->npos++] = argv[i];
		} else {
			return usage_fail(cmd->name,
					  "%s: unexpected argument '%s'",
					  cmd->name, argv[i]);
		}
	}
	if (out->npos < cmd->min_pos)
		return usage_fail(cmd->name,
				  "%s: missing argument; usage: " PROG " %s %s",
				  cmd->name, cmd->name, cmd->synopsis);
	return 0;
}

/* Words of name matched at the start of argv, or 0 if it does not match. */
static int match_command(const char *name, int argc, char **argv)
{
	int words = 0;
	size_t n;

	while (*name) {
		n = strcspn(name, " ");
		if (words >= argc || strlen(argv[words]) != n ||
		    strncmp(argv[words], name, n))
			return 0;
		words++;
		name += n;
		name += *name == ' ';
	}
	return words;
}

/* Is cmd a subcommand of group, as "config check" is of "config"? */
static int in_group(const struct command *cmd, const char *group)
{
	size_t n = strlen(group);

	return !strncmp(cmd->name, group, n) && cmd->name[n] == ' ';
}

/* Help for every subcommand of group. */
static int group_help(const char *group)
{
	size_t i;
	int found = 0;

	for (i = 0; i < NUM_COMMANDS; i++) {
		if (!in_group(&commands[i], group))
			continue;
		if (found)
			putchar('\n');
		print_command_help(&commands[i]);
		found = 1;
	}
	return 0;
}

/* The first command in group, or NULL if group is not a command group. */
static const struct command *group_first(const char *group)
{
	size_t i;

	for (i = 0; i < NUM_COMMANDS; i++)
		if (in_group(&commands[i], group))
			return &commands[i];
	return NULL;
}

/* No command matched argv: explain why. */
static int no_such_command(int argc, char **argv)
{
	const struct command *first = group_first(argv[0]);

	if (!first)
		return usage_fail(NULL, "unknown command '%s'", argv[0]);
	if (argc > 1 && is_help(argv[1]))
		return group_help(argv[0]);
	if (argc > 1)
		return usage_fail(NULL, "%s: unknown subcommand '%s'", argv[0],
				  argv[1]);
	return usage_fail(NULL, "%s: missing subcommand, e.g. '%s'", argv[0],
			  first->name);
}

static int run_command(int argc, char **argv)
{
	struct parsed_args args;
	size_t i;
	int used, ret;

	for (i = 0; i < NUM_COMMANDS; i++) {
		used = match_command(commands[i].name, argc, argv);
		if (!used)
			continue;
		ret = parse_args(&commands[i], argc - used, argv + used, &args);
		if (ret == HELP_SHOWN)
			return 0;
		return ret ? ret : commands[i].run(&args);
	}
	return no_such_command(argc, argv);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_fail(NULL, "missing command");
	if (is_help(argv[1]) || !strcmp(argv[1], "help")) {
		print_main_help();
		return 0;
	}
	return run_command(argc - 1, argv + 1);
}
