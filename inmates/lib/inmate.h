/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The bare-metal runtime for EL1 inmates (Haven cells or bare metal).
 *
 * An inmate provides inmate_main(); the runtime's start-up code calls it on
 * one CPU at EL1h, with the MMU and caches on (identity map), IRQs masked,
 * the communication page (if any) validated, and a PLAT_STACK_SIZE stack.
 * Returning from inmate_main() calls inmate_exit().
 *
 * Variant-specific parts are chosen when linking, one object of each pair:
 *   console_pl011.o / console_haven.o   console back end
 *   exit_bare.o / exit_haven.o          PSCI SYSTEM_OFF through HVC / SMC
 *   gicd_bare.o / gicd_haven.o          distributor set-up / none (Haven's)
 */
#ifndef INMATE_H
#define INMATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <haven/comm.h>
#include <haven/types.h>

#include "platform.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __noreturn __attribute__((noreturn))
#define __aligned(x) __attribute__((aligned(x)))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#define read_sysreg(r)                                                         \
	({                                                                     \
		hv_u64 __v;                                                    \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                   \
		__v;                                                           \
	})
#define write_sysreg(r, v)                                                     \
	__asm__ volatile("msr " #r ", %0" ::"r"((hv_u64)(v)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Waits for an interrupt; with IRQs masked it still wakes on a pending one. */
static inline void wfi(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
}

static inline hv_u32 mmio_read32(hv_u64 addr)
{
	return *(volatile hv_u32 *)addr;
}

static inline void mmio_write32(hv_u64 addr, hv_u32 val)
{
	*(volatile hv_u32 *)addr = val;
}

/* provided by the inmate */
int inmate_main(void);

/* called from assembly (start.S, vectors.S) */
struct exception_frame {
	hv_u64 x[31];
	hv_u64 elr;
	hv_u64 spsr;
	hv_u64 sp;
};
void __noreturn inmate_start(hv_u64 comm_ipa, hv_u64 el);
void __noreturn exception_fatal(hv_u64 vector, const struct exception_frame *f);
void irq_entry(void);

/* setup.c */
void __noreturn inmate_exit(void); /* flush the console, power off / stop */
void __noreturn inmate_fail(void); /* ack FAILED in the comm page, exit */

/* console.c and a back end */
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
void console_puts(const char *s);
void console_flush(void);
/* back-end interface (console_pl011.c or console_haven.c) */
void console_backend_putc(char c);
void console_backend_flush(void);

/* mmu.c: identity map, Normal for PLAT_NORMAL_* and the comm page's 2 MiB */
#define INMATE_VA_BITS 39 /* addresses the identity map covers */
void mmu_init(hv_u64 comm_ipa);

/* comm.c: the communication page; every call is a no-op without one */
void comm_init(hv_u64 ipa);
bool comm_present(void);
hv_u32 comm_cell_state(void); /* HAVEN_COMM_RUNNING without a page */
hv_u64 comm_counter_freq(void); /* 0 without a page */
void comm_heartbeat(void);
void comm_ack(hv_u32 state);
void comm_set_rtos_stats(const struct haven_comm_rtos_stats *s);

/* gic.c (GICv3, system-register CPU interface, EOImode 0) */
int gic_init(void);
void gic_enable_ppi(hv_u32 intid, hv_u8 prio);
hv_u32 gic_ack(void);
void gic_eoi(hv_u32 intid);
void gic_dist_init(void); /* gicd_bare.c / gicd_haven.c */

/*
 * irq.c: one IRQ entry. For each interrupt: acknowledge, handler(intid),
 * EOI, then tail() if set. The handler runs with IRQs masked and must remove
 * the interrupt's cause (a level interrupt still asserted is taken again).
 * tail() runs after the EOI, so it may unmask IRQs to let interrupts nest;
 * it must return with them masked. The asm entry saves ELR/SPSR on the
 * stack, so nesting is safe on the one stack.
 */
void irq_init(void (*handler)(hv_u32 intid), void (*tail)(void));
/*
 * Counter ticks spent in interrupt handlers (including whatever they ran
 * nested) that interrupted the current nesting level: a busy loop that
 * subtracts it measures the time it really ran.
 */
hv_u64 irq_stolen_ticks(void);

/* timer.c: EL1 virtual timer */
hv_u64 timer_freq(void); /* CNTFRQ_EL0 */
hv_u64 timer_now(void); /* CNTVCT_EL0 */
void timer_set(hv_u64 cval); /* fire when the counter reaches cval */
void timer_stop(void);

/* psci (exit_bare.c / exit_haven.c) */
void psci_system_off(void);

/* string.c (the compiler may emit calls to these) */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
