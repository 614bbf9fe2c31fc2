// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: Haven as a whole: enable, disable, info and console (its
 * output, and input for a cell's emulated UART).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "havenctl.h"

#define CONSOLE_CHUNK 4096
#define CONSOLE_POLL_NS 100000000L
#define UART_CHUNK 256
#define UART_RETRY_NS 1000000L /* while the UART's receive FIFO is full */
#define UART_GIVE_UP_MS 2000 /* without progress */

static const char *const stat_names[] = HAVEN_STAT_NAMES;
HAVEN_STATIC_ASSERT(ARRAY_SIZE(stat_names) == HAVEN_STAT_COUNT,
		    "HAVEN_STAT_NAMES must name every HAVEN_STAT_*");

/* Set from SIGINT/SIGTERM while "console -f" is following the console. */
static volatile sig_atomic_t stop_requested;

/* ---- enable and disable -------------------------------------------------- */

int cmd_enable(const struct parsed_args *a)
{
	struct haven_enable_args args;
	struct haven_info_args info;
	struct blob cfg;
	unsigned int ncpus;
	int fd, ret;

	if (read_config(a->pos[0], &cfg))
		return EXIT_ERROR;
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
	free_blob(&cfg);
	return ret;
}

int cmd_disable(const struct parsed_args *a)
{
	struct haven_disable_args args;
	int fd, ret = 0;

	(void)a;
	if (open_device(&fd))
		return EXIT_ERROR;
	memset(&args, 0, sizeof(args));
	if (ioctl(fd, HAVEN_DISABLE, &args) < 0)
		ret = ioctl_fail("disable", args.err, errno);
	else
		printf("Haven disabled\n");
	close(fd);
	return ret;
}

/* ---- info ---------------------------------------------------------------- */

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

/* "layout: sealed", "layout: open (final layout: rtos)", ... */
static void print_layout(int fd, const struct haven_info_args *info)
{
	char cells[256];

	if (info->sealed) {
		printf("layout: sealed\n");
	} else if (info->final_cells) {
		format_final_cells(fd, info->final_cells, cells, sizeof(cells));
		printf("layout: open (final layout: %s)\n", cells);
	} else {
		printf("layout: open (no final layout)\n");
	}
}

/* The SMMU and the PCI ECAM of the platform, which Haven keeps to itself. */
static void print_platform_devices(const struct haven_platform *p)
{
	hv_u64 buses = p->pci_ecam_size >> 20;

	if (p->smmu_size)
		printf("SMMU               0x%" PRIx64 "-0x%" PRIx64 " (event queue irq %u, global error irq %u)\n",
		       p->smmu_base, p->smmu_base + p->smmu_size - 1,
		       p->smmu_event_irq, p->smmu_gerror_irq);
	else
		printf("SMMU               none\n");
	if (buses)
		printf("PCI ECAM           0x%" PRIx64 "-0x%" PRIx64 " (buses 0x00-0x%02" PRIx64 ")\n",
		       p->pci_ecam_base, p->pci_ecam_base + p->pci_ecam_size - 1,
		       buses - 1);
	else
		printf("PCI ECAM           none\n");
}

static void print_info_text(int fd, const struct haven_info_args *info)
{
	char cpus[128], size[32];

	format_cpus(info->cpus_in_haven, cpus, sizeof(cpus));
	format_size(info->hv_mem_size, size, sizeof(size));
	printf("Haven %s (ABI %u)\n", info->version, info->abi_version);
	print_layout(fd, info);
	printf("hypervisor memory  0x%" PRIx64 "-0x%" PRIx64 " (%s)\n",
	       info->hv_mem_base, info->hv_mem_base + info->hv_mem_size - 1,
	       size);
	print_platform_devices(&info->platform);
	printf("memory pool        %" PRIu64 " of %" PRIu64 " pages used\n",
	       info->pool_used, info->pool_pages);
	printf("enable time        %.3f ms\n", ns_to_ms(info->enable_ns));
	if (info->has & HAVEN_INFO_HAS_IMAGE_SUM)
		printf("image checksum     0x%016" PRIx64 " (FNV-1a of code, constants, system config)\n",
		       info->image_sum);
	else
		printf("image checksum     - (not computed by this Haven)\n");
	if (info->has & HAVEN_INFO_HAS_DMA_UNASSIGNED)
		printf("DMA faults         %" PRIu64 " of streams no cell owns\n",
		       info->dma_unassigned);
	else
		printf("DMA faults         - (not counted by this Haven)\n");
	printf("CPUs in Haven      %s (%d of %u)\n\n", cpus,
	       __builtin_popcountll(info->cpus_in_haven), info->num_cpus);
	print_stat_table(info);
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

/* ', "smmu": {...} or null, "pci_ecam": {...} or null' */
static void json_platform_devices(const struct haven_platform *p)
{
	if (p->smmu_size)
		printf(", \"smmu\": {\"base\": %" PRIu64 ", \"size\": %" PRIu64 ", \"event_irq\": %u, \"gerror_irq\": %u}",
		       p->smmu_base, p->smmu_size, p->smmu_event_irq,
		       p->smmu_gerror_irq);
	else
		printf(", \"smmu\": null");
	if (p->pci_ecam_size)
		printf(", \"pci_ecam\": {\"base\": %" PRIu64 ", \"size\": %" PRIu64 "}",
		       p->pci_ecam_base, p->pci_ecam_size);
	else
		printf(", \"pci_ecam\": null");
}

static void print_info_json(int fd, const struct haven_info_args *info)
{
	unsigned int cpu;
	int first = 1;

	printf("{\"enabled\": true, \"version\": ");
	json_string(info->version);
	printf(", \"abi_version\": %u", info->abi_version);
	printf(", \"sealed\": %s, \"final_cells\": ",
	       info->sealed ? "true" : "false");
	json_final_cells(fd, info->final_cells);
	printf(", \"hv_mem_base\": %" PRIu64 ", \"hv_mem_size\": %" PRIu64,
	       info->hv_mem_base, info->hv_mem_size);
	json_platform_devices(&info->platform);
	printf(", \"pool_pages\": %" PRIu64 ", \"pool_used\": %" PRIu64,
	       info->pool_pages, info->pool_used);
	printf(", \"enable_ms\": %.3f, \"image_sum\": ", ns_to_ms(info->enable_ns));
	if (info->has & HAVEN_INFO_HAS_IMAGE_SUM)
		printf("\"0x%016" PRIx64 "\"", info->image_sum);
	else
		printf("null");
	printf(", \"dma_unassigned\": ");
	json_u64_or_null(info->dma_unassigned, info->has & HAVEN_INFO_HAS_DMA_UNASSIGNED);
	printf(", \"cpus\": [");
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

int cmd_info(const struct parsed_args *a)
{
	struct haven_info_args info;
	int fd, ret;

	if (open_device(&fd))
		return EXIT_ERROR;
	ret = query_info(fd, &info);
	if (!ret && !info.enabled)
		ret = fail("Haven is not enabled");
	if (!ret && a->opt[OPT_JSON])
		print_info_json(fd, &info);
	else if (!ret)
		print_info_text(fd, &info);
	close(fd);
	return ret;
}

/* ---- console ------------------------------------------------------------- */

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

static void sleep_ns(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

static hv_u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (hv_u64)ts.tv_sec * 1000 + (hv_u64)ts.tv_nsec / 1000000;
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

/* One HAVEN_CONSOLE_WRITE: the bytes taken, or -1 after printing why not. */
static long uart_write(int fd, hv_u32 id, const char *buf, size_t len)
{
	struct haven_console_write_args args;

	memset(&args, 0, sizeof(args));
	args.buf_ptr = (hv_u64)(uintptr_t)buf;
	args.len = (hv_u32)len;
	args.id = id;
	if (ioctl(fd, HAVEN_CONSOLE_WRITE, &args) < 0)
		return errno == EINTR ? 0 : -ioctl_fail("console", args.err, errno);
	if (args.written > len)
		return -fail("console: the driver took %u bytes of %zu",
			     args.written, len);
	return args.written;
}

/* Send len bytes to the cell's UART, retrying while its FIFO is full. */
static int uart_send(int fd, const struct cell *c, const char *buf,
		     size_t len)
{
	hv_u64 progress = now_ms();
	long n;

	while (len) {
		n = uart_write(fd, c->info.id, buf, len);
		if (n < 0)
			return EXIT_ERROR;
		buf += n;
		len -= (size_t)n;
		if (n)
			progress = now_ms();
		else if (now_ms() - progress >= UART_GIVE_UP_MS)
			return fail("console: cell '%s' took no input for %d ms: its UART's receive FIFO stays full (is the cell reading it?)",
				    c->name, UART_GIVE_UP_MS);
		else
			sleep_ns(UART_RETRY_NS);
	}
	return 0;
}

/* "console --cell CELL": stdin, to its end, into the cell's UART. */
static int console_input(const struct parsed_args *a)
{
	char buf[UART_CHUNK];
	struct cell_arg arg;
	struct cell c;
	int fd, ret;
	ssize_t n;

	ret = parse_cell_arg(a->name, a->opt[OPT_CELL], &arg);
	if (ret)
		return ret;
	if (open_cell(a->name, &arg, &fd, &c))
		return EXIT_ERROR;
	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = fail("console: cannot read stdin: %s",
				   strerror(errno));
		if (n <= 0)
			break;
		ret = uart_send(fd, &c, buf, (size_t)n);
		if (ret)
			break;
	}
	close(fd);
	return ret;
}

int cmd_console(const struct parsed_args *a)
{
	int follow = a->opt[OPT_FOLLOW] != NULL;
	hv_u64 pos = 0;
	long n = 0;
	int fd;

	if (a->opt[OPT_CELL] && follow)
		return usage_fail(a->name, "console: -f and --cell cannot be combined");
	if (a->opt[OPT_CELL])
		return console_input(a);
	if (open_device(&fd))
		return EXIT_ERROR;
	if (follow)
		catch_stop_signals();
	while (!stop_requested) {
		n = console_step(fd, &pos);
		if (n < 0)
			break;
		if (n == 0 && !follow)
			break;
		if (n == 0 && !stop_requested)
			sleep_ns(CONSOLE_POLL_NS);
	}
	close(fd);
	return n < 0 ? EXIT_ERROR : 0;
}
