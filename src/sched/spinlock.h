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

/* DEBUG builds: panic unless the caller may sleep holding at most `allowed`. */
#ifdef DEBUG
void lock_check_may_sleep(const char *who, const struct spinlock *allowed);
#else
static inline void
lock_check_may_sleep(const char *who, const struct spinlock *allowed)
{
	(void)who;
	(void)allowed;
}
#endif

#endif
