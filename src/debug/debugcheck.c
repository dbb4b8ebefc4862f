/*
 * Deliberate misuse, to show that a DEBUG kernel's checks catch it (the
 * selftest system call's SELFTEST_DEBUG_CHECK; tests/suite_faults.py).
 * Each case breaks one rule -- the lock rules of sync/spinlock.c, the
 * user-access rule that a system call ends with SUM off (vm/uaccess.h), or
 * the C rules the undefined-behaviour sanitizer checks (debug/ubsan.c) -- and
 * must end in a panic naming it.  Only a DEBUG kernel booted with
 * allow_panic_test gets here; other kernels have no such code.
 */
#include "debug/debugcheck.h"
#include "debug/kprintf.h"
#include "lib/riscv.h"
#include "sched/cpu.h"
#include "sched/proc.h"
#include "sync/sleeplock.h"
#include "sync/spinlock.h"
#include <canopy/sysinfo.h>

#ifdef DEBUG

static struct spinlock test_lock;
static struct sleeplock test_sleeplock;
static char wait_chan;

/* A value the compiler cannot see through. */
static long
opaque(long v)
{
	volatile long x = v;
	return x;
}

static void
sleep_holding_two(void)
{
	struct spinlock other;

	spin_init(&other, "debugcheck-other");
	spin_lock(&test_lock);
	spin_lock(&other);
	sleep(&wait_chan, &other);      /* test_lock is still held */
}

static void
release_not_held(void)
{
	static struct cpu elsewhere = { .hartid = 99 };

	/* as if hart 99 had taken it */
	push_off();
	test_lock.locked = 1;
	test_lock.owner = &elsewhere;
	spin_unlock(&test_lock);
}

/* Break rule `which` (DEBUG_CHECK_*): does not return if the check works.  -1 for an unknown rule. */
long
debug_check(long which)
{
	int small[8];

	spin_init(&test_lock, "debugcheck");
	sleep_init(&test_sleeplock, "debugcheck");
	switch (which) {
	case DEBUG_CHECK_SLEEP_SPINLOCK:
		sleep_holding_two();
		break;
	case DEBUG_CHECK_SLEEPLOCK_SPINLOCK:
		spin_lock(&test_lock);
		sleep_lock(&test_sleeplock);
		break;
	case DEBUG_CHECK_SLEEPLOCK_INTR_OFF:
		intr_off();
		sleep_lock(&test_sleeplock);
		break;
	case DEBUG_CHECK_RELEASE_NOT_HELD:
		release_not_held();
		break;
	case DEBUG_CHECK_DOUBLE_ACQUIRE:
		spin_lock(&test_lock);
		spin_lock(&test_lock);
		break;
	case DEBUG_CHECK_UB_OVERFLOW:
		return (int)opaque(0x7fffffff) + (int)opaque(1);
	case DEBUG_CHECK_UB_BOUNDS:
		small[opaque(2)] = 1;
		return small[opaque(8)];
	case DEBUG_CHECK_UB_SHIFT:
		return 1 << opaque(32);
	case DEBUG_CHECK_SUM_LEFT_ON:
		csr_set(sstatus, SSTATUS_SUM);  /* as a user-access batch never ended would */
		return 0;
	default:
		return -1;
	}
	panic("debug_check: rule %ld was broken and no check caught it", which);
}

#endif /* DEBUG */
