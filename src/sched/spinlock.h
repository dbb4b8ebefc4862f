/*
 * Spinlocks.  Holding one keeps interrupts off on this hart (push_off), so
 * an interrupt handler can never spin on a lock its own hart holds.
 */
#ifndef SCHED_SPINLOCK_H
#define SCHED_SPINLOCK_H

#include "lib/types.h"

struct cpu;

struct spinlock {
	uint32 locked;
	const char *name;
	struct cpu *owner;
};

void spin_init(struct spinlock *lk, const char *name);
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
bool spin_holding(struct spinlock *lk);
void push_off(void);
void pop_off(void);

#endif
