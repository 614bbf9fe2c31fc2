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
	char what[160];

	__atomic_fetch_add(&c->denied, 1, __ATOMIC_RELAXED);
	if (kind && (__atomic_fetch_or(&c->denial_kinds_logged, kind, __ATOMIC_RELAXED) & kind))
		return; /* this kind was logged since the start: counted only */
	if (logged > DENY_LOG_BUDGET)
		return;
	if (logged == DENY_LOG_BUDGET) {
		printk("%s: further refusals are counted, not logged\n", c->name);
		return;
	}
	vsnprintk(what, sizeof(what), fmt, ap);
	printk("%s: CPU %u: denied: %s", c->name, this_cpu()->index, what);
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
