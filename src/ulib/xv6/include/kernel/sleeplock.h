/*
 * xv6 compatibility: kernel/sleeplock.h.  Lab test programs include it
 * without using it.  Canopy's sleep locks are the kernel's own
 * (src/sync/sleeplock.h), invisible to user programs: the name only.
 */
#ifndef XV6_SLEEPLOCK_H
#define XV6_SLEEPLOCK_H

struct sleeplock;

#endif
