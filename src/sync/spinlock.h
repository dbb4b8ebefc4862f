/*
 * Spinlocks.  Holding one keeps interrupts off on this hart (push_off), so
 * an interrupt handler can never spin on a lock its own hart holds.
 */
#ifndef SYNC_SPINLOCK_H
#define SYNC_SPINLOCK_H

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

/*
 * Preconditions, checked in DEBUG builds (free otherwise), as Linux's
 * lockdep annotations are: lock_check_may_sleep() panics unless the caller
 * may sleep holding at most `allowed`; might_sleep() is that with no lock
 * allowed, for a function that may sleep; assert_held() panics unless
 * this hart holds lk.
 */
#ifdef DEBUG
void lock_check_may_sleep(const char *who, const struct spinlock *allowed);
void lock_assert_held(const struct spinlock *lk, const char *who);
#define might_sleep()           lock_check_may_sleep(__func__, NULL)
#define assert_held(lk)         lock_assert_held((lk), __func__)
#else
static inline void
lock_check_may_sleep(const char *who, const struct spinlock *allowed)
{
	(void)who;
	(void)allowed;
}
#define might_sleep()           do { } while (0)
#define assert_held(lk)         do { (void)(lk); } while (0)
#endif

#endif
