/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HAVEN_TRAPS_H
#define HAVEN_TRAPS_H

#include <percpu.h>

void handle_trap(struct trap_frame *f);
/* Make the guest take a synchronous external abort (or undef) at the faulting instruction. */
void inject_external_abort(struct trap_frame *f, u64 esr, u64 far);
void inject_undef(struct trap_frame *f);
void skip_instruction(struct trap_frame *f);
/* An access outside what the cell owns: it fails, or takes an external abort. */
void stage2_violation(struct trap_frame *f, u64 esr, u64 ipa);

/* psci.c / hypercall.c: return values go into the frame */
void handle_smc(struct trap_frame *f);
void handle_hvc(struct trap_frame *f);
/* Set up the frame to enter the cell where a PSCI CPU_ON asked. */
void psci_enter_cell(struct trap_frame *f, u32 cpu);
/* Power this CPU off through the firmware (parked CPUs, failed cold starts). */
void __noreturn psci_power_off(struct per_cpu *cpu, const char *why);
/* Disable: power off the CPUs parked in Haven and wait for them. */
void psci_release_parked(void);

#endif
