/*
 * Sleep locks.  Invariant: locked is true iff some process holds the lock,
 * and pid is then that process's; waiters sleep on the lock itself and
 * are all woken on release (one of them wins, the others sleep again).
 * waiters counts them, so that a release nobody waits for skips wakeup()'s
 * scan of every process (most releases: a buffer, an inode).
 * Taking one may sleep, so the taker holds no spinlock and has
 * interrupts on (a DEBUG kernel checks this even when the lock is free).
 */
#include "sync/sleeplock.h"
#include "sched/proc.h"
#include "debug/kprintf.h"

void
sleep_init(struct sleeplock *l, const char *name)
{
	spin_init(&l->lk, "sleep lock");
	l->name = name;
	l->locked = false;
	l->waiters = 0;
	l->pid = 0;
}

/* Take l, sleeping while another process holds it.  Process context only. */
void
sleep_lock(struct sleeplock *l)
{
	struct proc *p = myproc();

	if (!p)
		panic("sleep_lock: %s: no process", l->name);
	lock_check_may_sleep("sleep_lock", NULL);      /* even when it is free */
	spin_lock(&l->lk);
	while (l->locked) {
		if (l->pid == p->pid)
			panic("sleep_lock: %s: already held by pid %d", l->name, p->pid);
		l->waiters++;
		sleep(l, &l->lk);
		l->waiters--;
	}
	l->locked = true;
	l->pid = p->pid;
	spin_unlock(&l->lk);
}

/* Release l, which the caller holds, and wake its waiters. */
void
sleep_unlock(struct sleeplock *l)
{
	spin_lock(&l->lk);
	if (!l->locked || l->pid != myproc()->pid)
		panic("sleep_unlock: %s: not held by the caller", l->name);
	l->locked = false;
	l->pid = 0;
	if (l->waiters)
		wakeup(l);
	spin_unlock(&l->lk);
}

/* True if the calling process holds l. */
bool
sleep_holding(struct sleeplock *l)
{
	spin_lock(&l->lk);
	bool held = l->locked && l->pid == myproc()->pid;
	spin_unlock(&l->lk);
	return held;
}
