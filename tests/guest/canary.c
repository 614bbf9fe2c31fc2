// SPDX-License-Identifier: GPL-2.0-only
/*
 * canary write|check PHYS SIZE: fill physical memory outside Linux's RAM
 * with a known pattern through /dev/mem, or check that it still holds it.
 * 64-bit word i is CANARY_PATTERN ^ i, the pattern inmates/tests/hostile.c
 * expects to find if it ever reads the root's canary. check prints
 * "intact", or how many words differ and the first of them, and exits 1
 * if any does. PHYS and SIZE: page-aligned, decimal or 0x hex.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CANARY_PATTERN UINT64_C(0x5952414e41434e48) /* "HNCANARY" */
#define PAGE 4096UL

static int usage(void)
{
	fprintf(stderr, "usage: canary write|check PHYS SIZE (page-aligned)\n");
	return 2;
}

static int number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || !*s || *end || *v % PAGE ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long phys, size, i, words, bad = 0, first = 0;
	volatile uint64_t *p;
	int write, fd;

	if (argc != 4 || number(argv[2], &phys) || number(argv[3], &size) || !size)
		return usage();
	write = !strcmp(argv[1], "write");
	if (!write && strcmp(argv[1], "check"))
		return usage();
	fd = open("/dev/mem", (write ? O_RDWR : O_RDONLY) | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "canary: /dev/mem: %s\n", strerror(errno));
		return 1;
	}
	p = mmap(NULL, size, write ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd,
		 (off_t)phys);
	if (p == MAP_FAILED) {
		fprintf(stderr, "canary: mmap of 0x%lx: %s\n", phys, strerror(errno));
		return 1;
	}
	words = size / 8;
	for (i = 0; i < words; i++) {
		if (write) {
			p[i] = CANARY_PATTERN ^ i;
		} else if (p[i] != (CANARY_PATTERN ^ i)) {
			if (!bad++)
				first = i;
		}
	}
	if (write) {
		printf("written\n");
		return 0;
	}
	if (!bad) {
		printf("intact\n");
		return 0;
	}
	printf("%lu of %lu words differ, the first at 0x%lx: 0x%016" PRIx64 " instead of 0x%016" PRIx64 "\n",
	       bad, words, phys + first * 8, p[first], CANARY_PATTERN ^ first);
	return 1;
}
