// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: messages, files, /dev/haven, numbers, formatting and JSON.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <haven/firmware.h>
#include "havenctl.h"

#define READ_CHUNK (64 * 1024)

/* ---- messages ------------------------------------------------------------ */

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_ERROR;
}

int usage_fail(const char *command, const char *fmt, ...)
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

int ioctl_fail(const char *what, char *err, int saved_errno)
{
	size_t i;

	if (!err || !err[0]) {
		if (saved_errno == ENODEV)
			return fail("%s: Haven is not enabled", what);
		if (saved_errno == ENOTTY)
			return fail("%s: haven.ko does not know this request: load the haven.ko built with this havenctl (ABI %d)",
				    what, HAVEN_ABI_VERSION);
		return fail("%s: %s", what, strerror(saved_errno));
	}
	err[HAVEN_ERR_LEN - 1] = '\0';
	for (i = 0; err[i]; i++)
		if (err[i] == '\n' || err[i] == '\r')
			err[i] = ' ';
	while (i > 0 && err[i - 1] == ' ')
		err[--i] = '\0';
	return fail("%s: %s", what, err);
}

const char *plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

/* ---- files --------------------------------------------------------------- */

/* What to allocate first: a regular file's size and one byte to see EOF. */
static size_t first_capacity(int fd, size_t max)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (unsigned long long)st.st_size < max)
		return (size_t)st.st_size + 1;
	return max + 1 > READ_CHUNK ? READ_CHUNK : max + 1;
}

/*
 * Read fd to its end, but at most max + 1 bytes: b->size > max means the
 * file is too large. Returns -1 with errno set on failure.
 */
static int read_all(int fd, size_t max, struct blob *b)
{
	size_t cap = first_capacity(fd, max), grown;
	ssize_t n;
	void *p;

	b->size = 0;
	b->data = malloc(cap);
	if (!b->data)
		return -1;
	for (;;) {
		if (b->size == cap) {
			if (cap > max)
				return 0;
			grown = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			p = realloc(b->data, grown);
			if (!p)
				return -1;
			b->data = p;
			cap = grown;
		}
		n = read(fd, (char *)b->data + b->size, cap - b->size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		b->size += (size_t)n;
	}
}

/* Free what the file does not use; also lets memory checkers see its end. */
static void shrink_to_fit(struct blob *b)
{
	void *p = realloc(b->data, b->size);

	if (p)
		b->data = p;
}

/* Read a whole file of 1..max bytes; prints the reason on failure. */
static int read_file(const char *path, size_t max, const char *too_large,
		     struct blob *b)
{
	int fd, ret = 0;

	b->path = path;
	b->data = NULL;
	b->size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("%s: cannot open: %s", path, strerror(errno));
	if (read_all(fd, max, b))
		ret = errno == ENOMEM ? fail("%s: out of memory", path) :
					fail("%s: cannot read: %s", path,
					     strerror(errno));
	close(fd);
	if (!ret && b->size == 0)
		ret = fail("%s: file is empty", path);
	if (!ret && b->size > max)
		ret = fail("%s: %s", path, too_large);
	if (ret) {
		free_blob(b);
		return ret;
	}
	shrink_to_fit(b);
	return 0;
}

int read_config(const char *path, struct blob *b)
{
	return read_file(path, MAX_CONFIG_SIZE,
			 "file is larger than 1 MiB, too large for a Haven configuration",
			 b);
}

int read_image(const char *path, struct blob *b)
{
	return read_file(path, MAX_IMAGE_SIZE,
			 "file is larger than 1 GiB, too large for a cell image",
			 b);
}

void free_blob(struct blob *b)
{
	free(b->data);
	b->data = NULL;
}

/* ---- /dev/haven ---------------------------------------------------------- */

int open_device(int *fd)
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

int query_info(int fd, struct haven_info_args *info)
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

/* ---- numbers and formatting ---------------------------------------------- */

int parse_u64(const char *s, hv_u64 *v)
{
	unsigned long long x;
	const char *d = s;
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d = s + 2;
		/* strtoull would take a second "0x" */
		if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
			return -1;
	}
	if (base == 16 ? !isxdigit((unsigned char)d[0]) :
			 !isdigit((unsigned char)d[0]))
		return -1;
	errno = 0;
	x = strtoull(d, &end, base);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

void printable(const void *src, size_t n, char *out)
{
	const unsigned char *s = src;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	out[i] = '\0';
}

void name_copy(const char *name, char out[HAVEN_NAME_LEN])
{
	const char *end = memchr(name, '\0', HAVEN_NAME_LEN);

	printable(name, end ? (size_t)(end - name) : HAVEN_NAME_LEN - 1, out);
}

void format_cpus(hv_u64 map, char *out, size_t len)
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

void format_size(hv_u64 bytes, char *out, size_t len)
{
	if (bytes && bytes % (1024 * 1024 * 1024) == 0)
		snprintf(out, len, "%" PRIu64 " GiB", bytes >> 30);
	else if (bytes && bytes % (1024 * 1024) == 0)
		snprintf(out, len, "%" PRIu64 " MiB", bytes >> 20);
	else if (bytes && bytes % 1024 == 0)
		snprintf(out, len, "%" PRIu64 " KiB", bytes >> 10);
	else
		snprintf(out, len, "%" PRIu64 " byte%s", bytes, plural(bytes));
}

double ns_to_ms(hv_u64 ns)
{
	return (double)ns / 1e6;
}

int digits(hv_u64 v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* ---- JSON ---------------------------------------------------------------- */

void json_string(const char *s)
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

void json_u64_or_null(hv_u64 v, int present)
{
	if (present)
		printf("%" PRIu64, v);
	else
		printf("null");
}

void json_cpu_list(hv_u64 map)
{
	int cpu, first = 1;

	putchar('[');
	for (cpu = 0; cpu < 64; cpu++) {
		if (!(map >> cpu & 1))
			continue;
		printf("%s%d", first ? "" : ", ", cpu);
		first = 0;
	}
	putchar(']');
}
