/*
 * xv6 compatibility: kernel/spinlock.h.  Lab test programs include it
 * (symlinktest, for one) without using it.  Canopy's spin locks are the
 * kernel's own (src/sync/spinlock.h) and nothing of them is visible to
 * user programs, so this header declares only the name.
 */
#ifndef XV6_SPINLOCK_H
#define XV6_SPINLOCK_H

struct spinlock;

#endif
