/*
 * Sleep locks: locks that may be held across a sleep (disk I/O).  A
 * waiter sleeps instead of spinning, and interrupts stay on while one is
 * held.  Only process context may take one.
 */
#ifndef SYNC_SLEEPLOCK_H
#define SYNC_SLEEPLOCK_H

#include "lib/types.h"
#include "sync/spinlock.h"

struct sleeplock {
	struct spinlock lk;     /* guards the fields below */
	bool locked;
	uint16 waiters;         /* processes asleep on it: release wakes only if any */
	int pid;                /* holder, for sleep_holding() and debugging */
	const char *name;
};

void sleep_init(struct sleeplock *l, const char *name);
void sleep_lock(struct sleeplock *l);
void sleep_unlock(struct sleeplock *l);
bool sleep_holding(struct sleeplock *l);

#endif
