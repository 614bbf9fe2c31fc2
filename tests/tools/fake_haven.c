// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in for haven.ko's ioctls, so that havenctl-host's cell commands
 * and output formats can be tested on the build host:
 *
 *   cc -shared -fPIC -I include -o fake_haven.so tests/tools/fake_haven.c -ldl
 *   HAVEN_DEVICE=/some/file LD_PRELOAD=./fake_haven.so havenctl-host ...
 *
 * Requests of type HAVEN_IOCTL_MAGIC are answered here; all others go to
 * the C library. The device file only has to open.
 *
 * FAKE_HAVEN selects the state:
 *   (unset)   enabled; cells 0 "root" (CPUs 0-2) and 1 "rtos" (CPU 3),
 *             both running; final layout: cells 1 and 2; layout open.
 *             The platform: 4 CPUs, MPIDR 0-3, GICD 0x08000000 (64 KiB),
 *             GICR 0x080a0000 (512 KiB), SMMU 0x09050000 (128 KiB, event
 *             irq 106, global error irq 109), PCI ECAM 0x3f000000 (16
 *             buses). A create of a file naming "linux"
 *             answers id 2, any other id 1. Console input: every other
 *             request takes up to 16 bytes, the others none.
 *   sealed    the same, layout sealed
 *   nofinal   the same, no final layout
 *   disabled  HAVEN_INFO says not enabled, everything else fails ENODEV
 *   refuse    cell requests other than INFO fail with EBUSY and a reason
 *   silent    cell requests other than INFO fail with EPERM, no reason
 *   noack     shutdown is forced after the full timeout
 *   old       every request fails with ENOTTY (a driver without them)
 *   aff3      CPU 2's MPIDR has Aff3 = 1
 *   nodevices a platform without an SMMU and without PCI
 *   linux-running, linux-stopped, linux-other
 *             cell 2 "linux" exists too (CPUs 1-2; RAM 0x70000000 at IPA
 *             0x40000000, 128 MiB, loadable; GICR frames 0x080c0000,
 *             256 KiB, io; emulated UART at 0x09000000): running, shut
 *             down, or shut down with 64 MiB of RAM
 *   fifo-full console input is never taken
 *   nocount   a Haven without the counters of denied accesses and DMA
 *             faults, the image checksum and memory checksums: the driver
 *             leaves them out of INFO and CELL_INFO, and CHECKSUM fails
 *             EOPNOTSUPP with the driver's reason
 * Unless nocount: INFO has image_sum 0x0123456789abcdef and dma_unassigned
 * 5; CELL_INFO has denied 10 * id + 3 and dma_faults 10 * id + 2; CHECKSUM
 * answers the FNV-1a 64 of BYTES bytes (i % 251) for rtos (its first
 * loadable region: 2 MiB at 0x40000000, more is refused as the driver
 * does) and refuses root (no loadable region).
 * FAKE_HAVEN_LOG names a file that gets one line per request, with what
 * havenctl passed (for images: size, address and the bytes' sum).
 * FAKE_HAVEN_UART names a file that gets the console input taken.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <haven/firmware.h>
#include <haven/uapi.h>

static const char *mode(void)
{
	const char *m = getenv("FAKE_HAVEN");

	return m ? m : "";
}

static int is(const char *m)
{
	return !strcmp(mode(), m);
}

static void note(const char *fmt, ...)
{
	const char *path = getenv("FAKE_HAVEN_LOG");
	va_list ap;
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static int refuse(char *err, int code)
{
	if (is("refuse")) {
		snprintf(err, HAVEN_ERR_LEN, "cell 'rtos' is running: shut it down first\n");
		errno = EBUSY;
	} else {
		errno = code;
	}
	return -1;
}

static void fake_platform(struct haven_platform *p)
{
	unsigned int cpu;

	p->gicd_base = 0x08000000;
	p->gicd_size = 0x10000;
	p->gicr_base = 0x080a0000;
	p->gicr_size = 0x80000;
	p->uart_base = 0x09000000;
	p->uart_type = HAVEN_UART_PL011;
	p->num_cpus = 4;
	for (cpu = 0; cpu < 4; cpu++)
		p->cpu_mpidr[cpu] = cpu;
	if (is("aff3"))
		p->cpu_mpidr[2] |= 1ULL << 32;
	p->maintenance_irq = 25;
	p->num_irqs = 288;
	if (is("nodevices"))
		return;
	p->smmu_base = 0x09050000;
	p->smmu_size = 0x20000;
	p->smmu_event_irq = 106;
	p->smmu_gerror_irq = 109;
	p->pci_ecam_base = 0x3f000000;
	p->pci_ecam_size = 0x1000000;
}

static int fake_info(struct haven_info_args *a)
{
	unsigned int cpu, k;

	memset(a, 0, sizeof(*a));
	a->abi_version = HAVEN_ABI_VERSION;
	if (is("disabled"))
		return 0;
	a->enabled = 1;
	a->hv_mem_base = 0x7f000000;
	a->hv_mem_size = 0x1000000;
	a->pool_pages = 4000;
	a->pool_used = 123;
	a->num_cpus = 4;
	a->num_stats = HAVEN_STAT_COUNT;
	a->cpus_in_haven = 0xf;
	a->enable_ns = 1500000;
	snprintf(a->version, sizeof(a->version), "0.0-fake \"q\"");
	for (cpu = 0; cpu < 4; cpu++)
		for (k = 0; k < HAVEN_STAT_COUNT; k++)
			a->stats[cpu][k] = cpu * 100 + k;
	a->sealed = is("sealed");
	a->final_cells = is("nofinal") ? 0 : 0x6;
	if (!is("nocount")) {
		a->has = HAVEN_INFO_HAS_IMAGE_SUM | HAVEN_INFO_HAS_DMA_UNASSIGNED;
		a->image_sum = 0x0123456789abcdefULL;
		a->dma_unassigned = 5;
	}
	fake_platform(&a->platform);
	return 0;
}

static void region(struct haven_mem_region *r, hv_u64 phys, hv_u64 virt,
		   hv_u64 size, hv_u64 flags)
{
	r->phys_start = phys;
	r->virt_start = virt;
	r->size = size;
	r->flags = flags;
}

static int linux_modes(void)
{
	return is("linux-running") || is("linux-stopped") || is("linux-other");
}

static void fake_linux_cell(struct haven_cell_info_args *a)
{
	strcpy(a->name, "linux");
	a->state = is("linux-running") ? HAVEN_CELL_RUNNING :
					 HAVEN_CELL_SHUT_DOWN;
	a->cpus = 0x6;
	a->num_regions = 3;
	region(&a->regions[0], 0x70000000, 0x40000000,
	       is("linux-other") ? 0x4000000 : 0x8000000,
	       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_EXEC |
		       HAVEN_MEM_LOADABLE);
	region(&a->regions[1], 0x080c0000, 0x080c0000, 0x40000,
	       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_IO);
	region(&a->regions[2], 0, 0x09000000, 0x1000,
	       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_VUART);
}

static int fake_cell_info(struct haven_cell_info_args *a)
{
	hv_u32 id = a->id, k;

	if (is("disabled")) {
		errno = ENODEV;
		return -1;
	}
	if (id > 2 || (id == 2 && !linux_modes())) {
		errno = ENOENT;
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->state = HAVEN_CELL_RUNNING;
	a->num_stats = HAVEN_STAT_COUNT;
	for (k = 0; k < HAVEN_STAT_COUNT; k++)
		a->stats[k] = 10 * id + k;
	a->starts = 1;
	if (!is("nocount")) {
		a->has = HAVEN_CELL_HAS_DENIED | HAVEN_CELL_HAS_DMA_FAULTS;
		a->denied = 10 * id + 3;
		a->dma_faults = 10 * id + 2;
	}
	if (id == 2) {
		fake_linux_cell(a);
		return 0;
	}
	if (id == 0) {
		strcpy(a->name, "root");
		a->cpus = 0x7;
		a->num_regions = 2;
		region(&a->regions[0], 0x40000000, 0x40000000, 0x3f000000,
		       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_EXEC);
		region(&a->regions[1], 0x09000000, 0x09000000, 0x1000,
		       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_IO);
		return 0;
	}
	strcpy(a->name, "rtos");
	a->cpus = 0x8;
	a->uptime_ns = 12345678901ULL;
	a->heartbeat = 4711;
	a->rtos_releases = 1000;
	a->rtos_completions = 998;
	a->rtos_deadline_misses = 2;
	a->rtos_worst_response_ns = 12345;
	a->num_regions = 3;
	region(&a->regions[0], 0x7e000000, 0x40000000, 0x200000,
	       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_EXEC |
		       HAVEN_MEM_LOADABLE);
	region(&a->regions[1], 0x08100000, 0x08100000, 0x20000,
	       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_IO);
	region(&a->regions[2], 0x0, 0x40200000, 0x1000,
	       HAVEN_MEM_READ | HAVEN_MEM_WRITE | HAVEN_MEM_COMM);
	return 0;
}

static unsigned long byte_sum(hv_u64 ptr, hv_u64 size)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)ptr;
	unsigned long sum = 0;
	hv_u64 i;

	for (i = 0; i < size; i++)
		sum += p[i];
	return sum;
}

/* The name in a cell file, if it is long enough to have one. */
static const char *config_name(const struct haven_cell_create_args *a)
{
	const char *cfg = (const char *)(uintptr_t)a->config_ptr;
	size_t at = sizeof(struct haven_config_header);

	if (a->config_size < at + HAVEN_NAME_LEN ||
	    cfg[at + HAVEN_NAME_LEN - 1])
		return "";
	return cfg + at;
}

static int fake_create(struct haven_cell_create_args *a)
{
	const char *name = config_name(a);

	note("create size=%u name=%s", a->config_size, name);
	if (is("disabled"))
		return refuse(a->err, ENODEV);
	if (is("refuse") || is("silent"))
		return refuse(a->err, EPERM);
	a->id = strcmp(name, "linux") ? 1 : 2;
	return 0;
}

static int fake_load(struct haven_cell_load_args *a)
{
	hv_u32 i;

	note("load id=%u images=%u", a->id, a->num_images);
	for (i = 0; i < a->num_images && i < HAVEN_MAX_IMAGES; i++)
		note("  size=%llu addr=0x%llx sum=%lu",
		     (unsigned long long)a->images[i].size,
		     (unsigned long long)a->images[i].addr,
		     byte_sum(a->images[i].ptr, a->images[i].size));
	if (is("refuse") || is("silent"))
		return refuse(a->err, EPERM);
	return 0;
}

static int fake_op(const char *what, struct haven_cell_op_args *a)
{
	note("%s id=%u timeout=%u entry=0x%llx boot_arg=0x%llx", what, a->id,
	     a->timeout_ms, (unsigned long long)a->entry,
	     (unsigned long long)a->boot_arg);
	if (is("refuse") || is("silent"))
		return refuse(a->err, EPERM);
	if (!strcmp(what, "shutdown")) {
		a->forced = is("noack") || a->timeout_ms == 0;
		a->waited_ms = a->forced ? a->timeout_ms + 1 : 12;
	}
	return 0;
}

static int fake_checksum(struct haven_cell_checksum_args *a)
{
	hv_u64 sum = 0xcbf29ce484222325ULL, i;

	note("checksum id=%u bytes=%llu", a->id, (unsigned long long)a->bytes);
	if (is("disabled"))
		return refuse(a->err, ENODEV);
	if (a->id == 0) {
		snprintf(a->err, HAVEN_ERR_LEN, "cell 'root' has no loadable region");
		errno = EINVAL;
		return -1;
	}
	if (a->id != 1) {
		snprintf(a->err, HAVEN_ERR_LEN, "no cell with id %u", a->id);
		errno = ENOENT;
		return -1;
	}
	a->region_virt = 0x40000000;
	a->region_size = 0x200000;
	if (is("nocount")) {
		snprintf(a->err, HAVEN_ERR_LEN,
			 "cell 'rtos': this Haven computes no memory checksums (HAVEN_CELL_INFO_MEM_SUM refused)");
		errno = EOPNOTSUPP;
		return -1;
	}
	if (a->bytes == 0 || a->bytes > a->region_size) {
		snprintf(a->err, HAVEN_ERR_LEN,
			 "cell 'rtos': %llu bytes is more than its first loadable region (2097152 bytes at IPA 0x40000000)",
			 (unsigned long long)a->bytes);
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < a->bytes; i++)
		sum = (sum ^ (i % 251)) * 0x100000001b3ULL;
	a->sum = sum;
	return 0;
}

/* What the emulated UART took, appended to FAKE_HAVEN_UART. */
static void uart_keep(const char *buf, hv_u32 len)
{
	const char *path = getenv("FAKE_HAVEN_UART");
	FILE *f;

	if (!path || !len)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fwrite(buf, 1, len, f);
	fclose(f);
}

static int fake_console_write(struct haven_console_write_args *a)
{
	static unsigned int calls;

	if (is("disabled"))
		return refuse(a->err, ENODEV);
	if (is("refuse") || is("silent"))
		return refuse(a->err, EPERM);
	if (a->id > 1) {
		snprintf(a->err, HAVEN_ERR_LEN, "no cell with id %u", a->id);
		errno = ENOENT;
		return -1;
	}
	a->written = 0;
	if (!is("fifo-full") && calls++ % 2)
		a->written = a->len < 16 ? a->len : 16;
	note("console-write id=%u len=%u written=%u", a->id, a->len,
	     a->written);
	uart_keep((const char *)(uintptr_t)a->buf_ptr, a->written);
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	int (*next)(int, unsigned long, void *);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (_IOC_TYPE(request) != HAVEN_IOCTL_MAGIC) {
		next = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT,
								  "ioctl");
		return next(fd, request, arg);
	}
	if (is("old")) {
		errno = ENOTTY;
		return -1;
	}
	switch (request) {
	case HAVEN_INFO:
		return fake_info(arg);
	case HAVEN_CELL_INFO:
		return fake_cell_info(arg);
	case HAVEN_CELL_CREATE:
		return fake_create(arg);
	case HAVEN_CELL_LOAD:
		return fake_load(arg);
	case HAVEN_CELL_START:
		return fake_op("start", arg);
	case HAVEN_CELL_SHUTDOWN:
		return fake_op("shutdown", arg);
	case HAVEN_CELL_DESTROY:
		return fake_op("destroy", arg);
	case HAVEN_CONSOLE_WRITE:
		return fake_console_write(arg);
	case HAVEN_CELL_CHECKSUM:
		return fake_checksum(arg);
	default:
		errno = ENOTTY;
		return -1;
	}
}
