/*
 * Scheduling: each hart runs scheduler() on its own stack, picking
 * RUNNABLE processes round-robin.  A hart with nothing to run waits in wfi
 * (each QEMU hart is a host thread: spinning would steal host CPU); waking
 * a process kicks an idle hart with an IPI.
 *
 * satp is written only here (as_activate, as_park): exec keeps the loaded
 * root page (mm_take_root), and a hart keeps the last table loaded, so a
 * process that runs again on the same hart, or a trap, costs no switch.
 * Two exceptions let a dead process's table be freed as soon as it is
 * reaped: a hart leaves the table of a process that just exited, and a
 * hart idle for a tick loads the kernel's own table.
 * With KPTI these calls do nothing: the kernel stays on its own table and
 * the trampoline switches on every trap (vm/kpti.c).
 */
#include "sched/proc.h"
#include "sched/fpu.h"
#include "sched/trap.h"
#include "vm/aspace.h"
#include "vm/mm.h"
#include "vm/tlb.h"
#include "boot/sbi.h"
#include "debug/kprintf.h"

void swtch(struct context *old, struct context *new);

struct cpu cpus[NCPU];
int ncpu;

/* Wake one idle hart (not this one), if any, to look for work. */
void
sched_kick(void)
{
	push_off();
	struct cpu *me = mycpu();
	for (int i = 0; i < ncpu; i++) {
		struct cpu *c = &cpus[i];
		if (c != me && c->idle) {
			c->idle = false;
			sbi_send_ipi(1UL << (c->hartid % 64), c->hartid - c->hartid % 64);
			break;
		}
	}
	pop_off();
}

void
scheduler(void)
{
	struct cpu *c = mycpu();
	uint64 idle_since = 0;

	c->proc = NULL;
	for (;;) {
		/* let devices interrupt, and avoid deadlock if all are waiting */
		intr_on();
		c->idle = true;
		bool ran = false;
		for (struct proc *p = procs; p < &procs[NPROC]; p++) {
			/*
			 * A hint without the lock (a lock costs CSR accesses, each a
			 * QEMU block exit): a process made runnable just after is
			 * found on the next pass, or its waker kicks us out of wfi.
			 */
			if (__atomic_load_n(&p->state, __ATOMIC_RELAXED) != RUNNABLE)
				continue;
			spin_lock(&p->lock);
			if (p->state == RUNNABLE) {
				c->idle = false;
				p->state = RUNNING;
				c->proc = p;
				/* an exiting process has given its table back already */
				as_activate(p->mm ? p->mm->pagetable : kernel_root);
				tlb_sync_hart();
				swtch(&c->context, p->context);
				if (p->state == ZOMBIE)
					as_park();
				c->proc = NULL;
				ran = true;
			}
			spin_unlock(&p->lock);
		}
		if (ran) {
			idle_since = 0;
		} else if (c->idle) {
			/*
			 * A short wait (a disk request) keeps the table: the
			 * process it belongs to usually comes back here.  After a
			 * tick of idleness, let go of it, so that a process that
			 * ran here last can be freed completely when it dies.
			 */
			uint64 now = r_time();
			if (!idle_since)
				idle_since = now;
			else if (now - idle_since >= timer_interval())
				as_park();
			wfi();
		}
		c->idle = false;
	}
}

/*
 * Switch to this hart's scheduler.  Caller holds p->lock only and has
 * changed p->state.  intena belongs to this kernel thread, not the hart.
 */
void
sched(void)
{
	struct proc *p = myproc();
	struct cpu *c = mycpu();

	if (!spin_holding(&p->lock))
		panic("sched: p->lock not held");
	lock_check_may_sleep("sched", &p->lock);        /* DEBUG: names any other lock */
	if (c->noff != 1)
		panic("sched: %d locks held", c->noff);
	if (p->state == RUNNING)
		panic("sched: process running");
	if (intr_get())
		panic("sched: interrupts on");
	bool intena = c->intena;
	fpu_switch_out(p);
	swtch(p->context, &c->context);
	mycpu()->intena = intena;
}

void
yield(void)
{
	struct proc *p = myproc();

	spin_lock(&p->lock);
	p->state = RUNNABLE;
	sched();
	spin_unlock(&p->lock);
}

/*
 * Atomically release lk and sleep on chan; reacquire lk when woken.
 * Holding p->lock from before lk is dropped until we are off the CPU
 * means no wakeup(chan) can slip in between.  chan and SLEEPING are set
 * before lk is dropped, so a waker, which holds lk, sees them without
 * p->lock.  lk must be the only spinlock the caller holds (a DEBUG kernel
 * checks, naming any other).  lk may be p->lock itself, for a sleep that
 * only a change to p ends (a signal: sched/signal.c); it is held throughout.
 *
 * A sleep a signal should end looks at proc_interrupted() under lk, which
 * a sender does not hold: a signal sent between that look and this sleep
 * would find p not yet SLEEPING and wake nobody.  So the sender leaves
 * p->wake_pending instead (proc_wake_locked), and the next sleep returns
 * at once, for the caller's loop to look again.
 */
void
sleep(void *chan, struct spinlock *lk)
{
	struct proc *p = myproc();

	lock_check_may_sleep("sleep", lk);
	if (lk != &p->lock)
		spin_lock(&p->lock);
	if (p->wake_pending) {
		p->wake_pending = false;
		if (lk != &p->lock)
			spin_unlock(&p->lock);
		return;
	}
	__atomic_store_n(&p->chan, chan, __ATOMIC_RELAXED);
	__atomic_store_n(&p->state, SLEEPING, __ATOMIC_RELAXED);
	if (lk != &p->lock)
		spin_unlock(lk);
	sched();
	p->chan = NULL;
	if (lk != &p->lock) {
		spin_unlock(&p->lock);
		spin_lock(lk);
	}
}

/*
 * Wake every process sleeping on chan.  Call with the lock the sleepers
 * passed to sleep() held (the condition's lock), and no p->lock.
 */
void
wakeup(void *chan)
{
	struct proc *me = myproc();
	bool woke = false;

	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		/*
		 * Read without p->lock first: a sleeper on chan set chan and
		 * SLEEPING before it dropped the condition's lock, which the
		 * caller holds now, so it cannot be missed here.  Only a match
		 * takes the lock (each is several CSR accesses) and is checked
		 * again under it.
		 */
		if (p == me || __atomic_load_n(&p->state, __ATOMIC_RELAXED) != SLEEPING ||
		    __atomic_load_n(&p->chan, __ATOMIC_RELAXED) != chan)
			continue;
		spin_lock(&p->lock);
		if (p->state == SLEEPING && p->chan == chan) {
			p->state = RUNNABLE;
			woke = true;
		}
		spin_unlock(&p->lock);
	}
	if (woke)
		sched_kick();
}
