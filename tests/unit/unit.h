/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal host unit-test harness, in the protocol tests/run parses: one line
 * per test case, "PASS: <name>" or "FAIL: <name>: <reason>", and a non-zero
 * exit status if any case failed.
 *
 *   static void test_foo(void) { CHECK(x == 1); CHECK_EQ(y, 2); }
 *   int main(void) { RUN(test_foo); return UNIT_EXIT(); }
 *
 * A failed CHECK records "file:line: expression" and returns from the test
 * function, so the checks of one case must be in a void function (helpers
 * that check things return int and are called as CHECK(helper(...) == 0)).
 *
 * Include as "unit.h": hypervisor/include has a unit.h of its own.
 */
#ifndef HAVEN_TEST_UNIT_H
#define HAVEN_TEST_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int unit_failures; /* failed test cases */
static int unit_cases;
static int unit_current_failed;
static char unit_reason[512];

__attribute__((format(printf, 3, 4), unused)) static void
unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (unit_current_failed)
		return; /* keep the first reason */
	unit_current_failed = 1;
	n = snprintf(unit_reason, sizeof(unit_reason), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(unit_reason))
		return;
	va_start(ap, fmt);
	vsnprintf(unit_reason + n, sizeof(unit_reason) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Fail the current test with a formatted reason and return from it. */
#define FAILF(...)                                                             \
	do {                                                                   \
		unit_fail(__FILE__, __LINE__, __VA_ARGS__);                    \
		return;                                                        \
	} while (0)

#define CHECK(expr)                                                            \
	do {                                                                   \
		if (!(expr))                                                   \
			FAILF("CHECK(%s) failed", #expr);                      \
	} while (0)

/* Unsigned comparison that shows both values. */
#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		unsigned long long a_ = (unsigned long long)(a);               \
		unsigned long long b_ = (unsigned long long)(b);               \
		if (a_ != b_)                                                  \
			FAILF("CHECK_EQ(%s, %s) failed: 0x%llx != 0x%llx", #a, \
			      #b, a_, b_);                                     \
	} while (0)

/* Signed comparison that shows both values. */
#define CHECK_EQI(a, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			FAILF("CHECK_EQI(%s, %s) failed: %lld != %lld", #a, #b, \
			      a_, b_);                                         \
	} while (0)

static void unit_report(const char *name)
{
	/* "test_foo" is reported as "foo" */
	if (strncmp(name, "test_", 5) == 0)
		name += 5;
	unit_cases++;
	if (unit_current_failed) {
		unit_failures++;
		printf("FAIL: %s: %s\n", name, unit_reason);
	} else {
		printf("PASS: %s\n", name);
	}
	fflush(stdout);
}

#define RUN(test)                                                              \
	do {                                                                   \
		unit_current_failed = 0;                                       \
		unit_reason[0] = '\0';                                         \
		test();                                                        \
		unit_report(#test);                                            \
	} while (0)

#define UNIT_EXIT() (unit_failures ? 1 : 0)

#endif
