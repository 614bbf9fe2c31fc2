// SPDX-License-Identifier: GPL-2.0-only
/*
 * subpage [--nc] ACCESS PHYS [VALUE]: one access to a physical address from
 * the root Linux, for tests/qemu/root-subpage.sh. The page is mapped from
 * /dev/mem (Device memory), or with --nc from /dev/ncmap (ncmap.ko, Normal
 * non-cacheable, which lets a misaligned access through to stage 2).
 * ACCESS is r8, r16, r32 or r64 (a load of that many bits), w32 (a store of
 * VALUE), ldp (a pair of 32-bit loads) or ldxr (a 32-bit exclusive load).
 * Prints one line:
 *
 *   value 0x...             the load's result (zero-extended)
 *   written 0x...           the store went through
 *   sigbus code N (NAME)    the access raised SIGBUS: BUS_OBJERR for the
 *                           external abort Haven injects, BUS_ADRALN for
 *                           the CPU's own alignment fault
 *
 * and exits 0 if the access went through, 3 on SIGBUS, 1 on another error,
 * 2 on bad usage. The shell that runs it survives whatever happens here.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static const char *bus_code(int code)
{
	switch (code) {
	case BUS_ADRALN: return "BUS_ADRALN";
	case BUS_ADRERR: return "BUS_ADRERR";
	case BUS_OBJERR: return "BUS_OBJERR";
	default: return "other";
	}
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	char line[64];
	int n;

	(void)sig;
	(void)ctx;
	n = snprintf(line, sizeof(line), "sigbus code %d (%s)\n", si->si_code,
		     bus_code(si->si_code));
	if (n > 0 && write(1, line, (size_t)n) < 0)
		_exit(1);
	_exit(3);
}

static int usage(void)
{
	fprintf(stderr, "usage: subpage [--nc] r8|r16|r32|r64|w32|ldp|ldxr PHYS [VALUE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned long phys, value = 0;
	const char *op, *dev = "/dev/mem";
	volatile uint8_t *page;
	uintptr_t p;
	uint64_t v = 0;
	int fd, nc = argc > 1 && !strcmp(argv[1], "--nc");

	argv += nc;
	argc -= nc;
	if (argc < 3 || argc > 4)
		return usage();
	op = argv[1];
	phys = strtoul(argv[2], NULL, 0);
	if (argc == 4)
		value = strtoul(argv[3], NULL, 0);
	if (!strcmp(op, "w32") != (argc == 4))
		return usage();
	if (nc)
		dev = "/dev/ncmap";
	fd = open(dev, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(dev);
		return 1;
	}
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    nc ? 0 : (off_t)(phys & ~(PAGE - 1)));
	if (page == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGBUS, &sa, NULL)) {
		perror("sigaction");
		return 1;
	}
	p = (uintptr_t)page + (phys & (PAGE - 1));
	if (!strcmp(op, "r8")) {
		v = *(volatile uint8_t *)p;
	} else if (!strcmp(op, "r16")) {
		v = *(volatile uint16_t *)p;
	} else if (!strcmp(op, "r32")) {
		v = *(volatile uint32_t *)p;
	} else if (!strcmp(op, "r64")) {
		v = *(volatile uint64_t *)p;
	} else if (!strcmp(op, "w32")) {
		*(volatile uint32_t *)p = (uint32_t)value;
		printf("written 0x%lx\n", value);
		return 0;
	} else if (!strcmp(op, "ldp")) {
		uint32_t lo, hi;

		__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(lo), "=r"(hi) : "r"(p) : "memory");
		v = (uint64_t)hi << 32 | lo;
	} else if (!strcmp(op, "ldxr")) {
		uint32_t w;

		__asm__ volatile("ldxr %w0, [%1]\n\tclrex" : "=r"(w) : "r"(p) : "memory");
		v = w;
	} else {
		return usage();
	}
	printf("value 0x%llx\n", (unsigned long long)v);
	return 0;
}
