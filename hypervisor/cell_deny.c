// SPDX-License-Identifier: GPL-2.0-only
/*
 * Refused accesses: a write to an interrupt or PCI function the cell does
 * not own, an SGI or CPU_ON for a foreign CPU, a refused SMC or hypercall.
 * Haven carries on (the access is dropped or answered with an error), counts
 * the refusal for `havenctl cell stats` and reports it. A Linux cell writes
 * every distributor register once at boot, so refusals of one kind (a
 * distributor register) are logged once per start, and only the first
 * DENY_LOG_BUDGET refusals after each start are logged at all; all are counted.
 */
#include <cell.h>
#include <setup.h>
#include <stdarg.h>

#define DENY_LOG_BUDGET 64

static void deny(struct cell *c, u32 kind, const char *fmt, va_list ap)
{
	u32 logged = __atomic_fetch_add(&c->denials_logged, 1, __ATOMIC_RELAXED);
	char prefix[HAVEN_NAME_LEN + 24];
	u32 n = 0, cpu = this_cpu()->index;
	const char *s;

	__atomic_fetch_add(&c->denied, 1, __ATOMIC_RELAXED);
	if (kind && (__atomic_fetch_or(&c->denial_kinds_logged, kind, __ATOMIC_RELAXED) & kind))
		return; /* this kind was logged since the start: counted only */
	if (logged > DENY_LOG_BUDGET)
		return;
	if (logged == DENY_LOG_BUDGET) {
		printk("%s: further refusals are counted, not logged\n", c->name);
		return;
	}
	/* "<cell>: CPU <n>: denied: " */
	for (s = c->name; *s && n < HAVEN_NAME_LEN; s++)
		prefix[n++] = *s;
	for (s = ": CPU "; *s; s++)
		prefix[n++] = *s;
	if (cpu >= 10)
		prefix[n++] = (char)('0' + cpu / 10);
	prefix[n++] = (char)('0' + cpu % 10);
	for (s = ": denied: "; *s; s++)
		prefix[n++] = *s;
	prefix[n] = 0;
	vprintk_prefixed(prefix, fmt, ap);
}

void cell_deny(struct cell *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	deny(c, 0, fmt, ap);
	va_end(ap);
}

void cell_deny_kind(struct cell *c, u32 kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	deny(c, kind, fmt, ap);
	va_end(ap);
}
