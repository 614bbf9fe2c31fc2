/* SPDX-License-Identifier: GPL-2.0-only */
/* A ticket lock; only used with the EL2 MMU on (exclusives need Normal memory). */
#ifndef HAVEN_SPINLOCK_H
#define HAVEN_SPINLOCK_H

#include <hv.h>

typedef struct {
	u16 owner;
	u16 next;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		asm volatile("yield");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
