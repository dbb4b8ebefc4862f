/* Waiting for any of several descriptors: the rule is in sched/pollwait.h. */
#include "sched/pollwait.h"
#include "sched/proc.h"
#include "sync/spinlock.h"

static struct spinlock poll_lock;
static uint64 poll_seq;         /* events since boot; written under poll_lock */
static int pollers;             /* counted in now */
static int timed_pollers;       /* ... of them with a deadline */

void
poll_wait_init(void)
{
	spin_init(&poll_lock, "poll");
}

void
poll_wait_begin(struct poll_waiter *w, bool timed)
{
	w->timed = timed;
	__atomic_fetch_add(&pollers, 1, __ATOMIC_SEQ_CST);
	if (timed)
		__atomic_fetch_add(&timed_pollers, 1, __ATOMIC_SEQ_CST);
}

/* Note the event count; call before checking the descriptors. */
void
poll_wait_mark(struct poll_waiter *w)
{
	w->seq = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
}

/* Sleep unless an event came since the mark (a signal wakes us too). */
void
poll_wait_sleep(struct poll_waiter *w)
{
	spin_lock(&poll_lock);
	if (poll_seq == w->seq)
		sleep(&poll_seq, &poll_lock);
	spin_unlock(&poll_lock);
}

void
poll_wait_end(struct poll_waiter *w)
{
	if (w->timed)
		__atomic_fetch_sub(&timed_pollers, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_sub(&pollers, 1, __ATOMIC_SEQ_CST);
}

static void
wake_pollers(void)
{
	spin_lock(&poll_lock);
	__atomic_store_n(&poll_seq, poll_seq + 1, __ATOMIC_SEQ_CST);
	wakeup(&poll_seq);
	spin_unlock(&poll_lock);
}

void
poll_notify(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the new state before the count's load */
	if (__atomic_load_n(&pollers, __ATOMIC_SEQ_CST))
		wake_pollers();
}

void
poll_tick(void)
{
	if (__atomic_load_n(&timed_pollers, __ATOMIC_RELAXED))
		wake_pollers();
}
