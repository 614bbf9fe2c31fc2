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
 *             both running; final layout: cells 1 and 2; layout open
 *   sealed    the same, layout sealed
 *   nofinal   the same, no final layout
 *   disabled  HAVEN_INFO says not enabled, everything else fails ENODEV
 *   refuse    cell requests other than INFO fail with EBUSY and a reason
 *   silent    cell requests other than INFO fail with EPERM, no reason
 *   noack     shutdown is forced after the full timeout
 *   old       every request fails with ENOTTY (a driver without them)
 * FAKE_HAVEN_LOG names a file that gets one line per request, with what
 * havenctl passed (for images: size, address and the bytes' sum).
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

static int fake_cell_info(struct haven_cell_info_args *a)
{
	hv_u32 id = a->id, k;

	if (is("disabled")) {
		errno = ENODEV;
		return -1;
	}
	if (id > 1) {
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

static int fake_create(struct haven_cell_create_args *a)
{
	note("create size=%u", a->config_size);
	if (is("disabled"))
		return refuse(a->err, ENODEV);
	if (is("refuse") || is("silent"))
		return refuse(a->err, EPERM);
	a->id = 1;
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
	note("%s id=%u timeout=%u entry=0x%llx", what, a->id, a->timeout_ms,
	     (unsigned long long)a->entry);
	if (is("refuse") || is("silent"))
		return refuse(a->err, EPERM);
	if (!strcmp(what, "shutdown")) {
		a->forced = is("noack") || a->timeout_ms == 0;
		a->waited_ms = a->forced ? a->timeout_ms + 1 : 12;
	}
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
	default:
		errno = ENOTTY;
		return -1;
	}
}
