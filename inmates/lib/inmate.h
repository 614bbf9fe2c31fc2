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

/*
 * One register's load or store without writeback, so that a trapped access
 * has a syndrome a hypervisor can emulate (ESR_EL2.ISV 1): a plain C access
 * in a loop may become a post-indexed load, which has none.
 */
static inline hv_u32 mmio_read32(hv_u64 addr)
{
	hv_u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(hv_u64 addr, hv_u32 val)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
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
bool exception_catch(hv_u64 vector, struct exception_frame *f);
void irq_entry(void);

/*
 * fault.c: surviving expected synchronous exceptions (e.g. the external
 * abort Haven injects for an access outside the cell, or an undefined
 * instruction). Between fault_catch_begin() and fault_catch_end(), a
 * synchronous exception taken at EL1h is not fatal: the first is recorded,
 * all are counted, and execution goes on after the faulting instruction
 * (whose destination register keeps its old value); an instruction abort
 * at the address just branched to (FAR == ELR) returns to the caller
 * instead (ELR = x30), so a bad function pointer can be called with blr.
 * More than FAULT_CATCH_MAX exceptions in one window are fatal. Not for
 * IRQ handlers: one window at a time, on the inmate's one CPU.
 *
 *   fault_catch_begin();
 *   v = *(volatile hv_u64 *)addr;
 *   if (fault_catch_end(&f)) ... f.esr, f.far, f.elr ...
 */
#define FAULT_CATCH_MAX 16
struct fault_record {
	bool taken;
	hv_u32 count; /* exceptions caught in the window */
	hv_u64 esr; /* ESR_EL1 of the first */
	hv_u64 far; /* its FAR_EL1 (meaningful for aborts) */
	hv_u64 elr; /* the instruction that took it */
};
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_EC_UNKNOWN 0x00 /* e.g. an undefined instruction */
#define ESR_EC_IABT_CUR 0x21 /* instruction abort, same EL */
#define ESR_EC_DABT_CUR 0x25 /* data abort, same EL */
#define ESR_FSC(esr) ((esr) & 0x3f)
#define ESR_FSC_SYNC_EXTERNAL 0x10
void fault_catch_begin(void);
/* Ends the window; true (and *f filled) if an exception was caught. */
bool fault_catch_end(struct fault_record *f);

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
/*
 * After mmu_init: the 2 MiB around addr Normal write-back too (e.g. to let
 * a misaligned access reach stage 2); -1 if another GiB is split already.
 */
int mmu_map_normal_2m(hv_u64 addr);

/* comm.c: the communication page; every call is a no-op without one */
void comm_init(hv_u64 ipa);
bool comm_present(void);
hv_u32 comm_cell_state(void); /* HAVEN_COMM_RUNNING without a page */
hv_u64 comm_counter_freq(void); /* 0 without a page */
void comm_heartbeat(void);
void comm_ack(hv_u32 state);
void comm_set_rtos_stats(const struct haven_comm_rtos_stats *s);
/* the cell's reservation, all zero without a page (or without one) */
void comm_sched(struct haven_comm_sched *s);
/* Haven's reservation and EL1 ledger in the comm page (comm.h), or NULL */
const volatile struct haven_comm_sched *comm_ledger(void);

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
/*
 * The same in received CPU time (meas.c): what the handlers that
 * interrupted the current level received, gaps excluded. Only counts once
 * meas_init() has run.
 */
hv_u64 irq_stolen_received(void);
/* The counter when the innermost interrupt being handled was taken. */
hv_u64 irq_entry_ticks(void);

/* timer.c: EL1 virtual timer */
hv_u64 timer_freq(void); /* CNTFRQ_EL0 */
hv_u64 timer_now(void); /* CNTVCT_EL0 */
void timer_set(hv_u64 cval); /* fire when the counter reaches cval */
void timer_stop(void);

/*
 * meas.c: the CPU time received, by gap detection (inmates/README.md,
 * "Measurement"), and statistics helpers.
 *
 * Busy code calls meas_observe() continuously; irq.c observes at every
 * IRQ entry and exit. A step between two observations of at most the
 * threshold (the larger of MEAS_GAP_STEPS calibrated meas_observe() calls
 * and MEAS_GAP_MIN_NS) is received; a longer one is a gap. meas_pause()
 * before anything that is not busy or not observed (WFI, console output):
 * the time until the next observation is neither, and the reservation
 * period it falls into is not counted. Without meas_init() all of it is a
 * no-op (meas_observe() still returns the counter).
 */
#define MEAS_GAP_STEPS 64
#define MEAS_GAP_MIN_NS 5000
#define MEAS_HIST_BUCKETS 124

struct meas_stat {
	hv_u64 n, min, max, sum;
};
void meas_stat_add(struct meas_stat *s, hv_u64 v);
void meas_stat_add_n(struct meas_stat *s, hv_u64 v, hv_u64 n);
hv_u64 meas_stat_avg(const struct meas_stat *s);

/*
 * Histogram: buckets 0..3 hold one value each; above, each power of two
 * [2^i, 2^(i+1)) is split into four equal buckets. The last bucket
 * (from 2^31 * 7/4) holds everything larger as well.
 */
struct meas_hist {
	struct meas_stat s;
	hv_u32 count[MEAS_HIST_BUCKETS];
};
void meas_hist_add(struct meas_hist *h, hv_u64 v);
void meas_hist_range(unsigned int bucket, hv_u64 *lo, hv_u64 *hi); /* inclusive */

#define MEAS_WORST 4
struct meas_period {
	hv_u64 start; /* counter */
	hv_u64 received, stall, gap; /* ticks */
};
struct meas_report {
	hv_u64 threshold; /* ticks; a longer step is a gap */
	hv_u64 step; /* ticks per meas_observe(), calibrated */
	hv_u64 received; /* ticks, in total */
	hv_u64 gaps, gap_ticks, longest_gap;
	/* the parts of gaps Haven's ledger says the inmate held: stalls */
	hv_u64 stalls, stall_ticks, longest_stall;
	hv_u64 longest_step; /* the longest step below the threshold */
	/* the reservation (comm page), and what each period received */
	hv_u64 epoch, period_ticks, budget_ticks;
	bool periods_on; /* a reservation to measure against */
	struct meas_stat periods; /* complete periods observed throughout */
	struct meas_stat periods_held; /* the same: received + stalls */
	hv_u64 periods_discarded; /* complete periods with a pause */
	/* the least-received complete periods, least first */
	unsigned int num_worst;
	struct meas_period worst[MEAS_WORST];
};
/*
 * With IRQs masked, before the first interrupt: calibrates the threshold
 * (freq: counter Hz), reads the reservation from the comm page and starts
 * observing.
 */
void meas_init(hv_u64 freq);
/* count only the periods inside [from, until) of the counter */
void meas_window(hv_u64 from, hv_u64 until);
hv_u64 meas_observe(void); /* returns the counter value it accounted */
void meas_pause(void);
hv_u64 meas_received(void);
void meas_report(struct meas_report *r);
/* for irq.c: an IRQ is busy code even if it interrupted a pause */
bool meas_irq_enter(hv_u64 *now);
hv_u64 meas_irq_exit(bool was_watching);

/* psci (exit_bare.c / exit_haven.c) */
void psci_system_off(void);

/*
 * pci.c: configuration space through ECAM (PLAT_PCI_ECAM_BASE), 32-bit
 * accesses only. A BDF is bus << 8 | device << 3 | function.
 */
#define PCI_BDF(bus, dev, fn) ((hv_u32)(bus) << 8 | (hv_u32)(dev) << 3 | (hv_u32)(fn))
#define PCI_VENDOR_DEVICE 0x00 /* vendor ID | device ID << 16 */
#define PCI_COMMAND 0x04 /* command | status << 16 */
#define PCI_COMMAND_MEMORY (1U << 1)
#define PCI_COMMAND_MASTER (1U << 2)
#define PCI_BAR0 0x10
#define PCI_BAR_MEM_MASK (~0xfU)
hv_u64 pci_cfg_addr(hv_u32 bdf, hv_u32 offset); /* 0 if outside the ECAM */
hv_u32 pci_cfg_read32(hv_u32 bdf, hv_u32 offset); /* all-ones outside */
void pci_cfg_write32(hv_u32 bdf, hv_u32 offset, hv_u32 value);
/* Memory decode and bus mastering on; the command register's new value. */
hv_u32 pci_enable_master(hv_u32 bdf);

/*
 * edu.c: QEMU's "edu" PCI device (hw/misc/edu.c), a DMA engine with a
 * 4 KiB buffer at EDU_DMA_BUF inside the device. A transfer moves count
 * bytes between an address the device sees (bus address: through the SMMU
 * a cell's IPA) and its buffer, and completes about 100 ms after it is
 * started, in QEMU's virtual time.
 */
#define EDU_PCI_ID 0x11e81234U /* device 0x11e8, vendor 0x1234 */
#define EDU_ID_VALUE 0x010000edU /* BAR 0 + 0x00 */
#define EDU_DMA_BUF HV_U64(0x40000)
#define EDU_DMA_BUF_SIZE 4096
enum edu_dir { EDU_TO_DEVICE, EDU_FROM_DEVICE }; /* RAM -> buffer, buffer -> RAM */
bool edu_present(hv_u64 bar); /* the ID register reads EDU_ID_VALUE */
bool edu_alive(hv_u64 bar, hv_u32 probe); /* the liveness register inverts */
/*
 * One transfer: ram is the bus address, buf_off the offset in the device's
 * buffer. Waits for the engine up to timeout_ms of counter time; false if it
 * is still busy then. The caller keeps count and buf_off within the buffer
 * (QEMU's device does not).
 */
bool edu_dma(hv_u64 bar, enum edu_dir dir, hv_u64 ram, hv_u32 buf_off, hv_u32 count,
	     hv_u32 timeout_ms);

/* string.c (the compiler may emit calls to these) */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
