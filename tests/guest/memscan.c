// SPDX-License-Identifier: GPL-2.0-only
/*
 * memscan PHYS SIZE: map physical memory through /dev/mem and print how
 * many of its bytes are not zero. For memory outside Linux's RAM, which
 * read() on /dev/mem refuses; a page the root's stage-2 does not map ends
 * the program with SIGBUS. Exit status 0 only if every byte was read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long phys, size, i, nonzero = 0;
	const volatile unsigned char *p;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: memscan PHYS SIZE (page-aligned)\n");
		return 2;
	}
	phys = strtoul(argv[1], NULL, 0);
	size = strtoul(argv[2], NULL, 0);
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0) {
		perror("memscan: /dev/mem");
		return 1;
	}
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, (off_t)phys);
	if (p == MAP_FAILED) {
		perror("memscan: mmap");
		return 1;
	}
	for (i = 0; i < size; i++)
		nonzero += p[i] != 0;
	printf("%lu\n", nonzero);
	return 0;
}
