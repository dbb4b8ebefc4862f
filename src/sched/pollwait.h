/*
 * Waiting for any of several descriptors (ppoll, pselect6): one wait
 * channel for every poller, woken by each event a poller may wait for.
 *
 * The rule: whatever can make a descriptor ready (bytes or room in a pipe,
 * a pipe end closed, a line typed on the console) calls poll_notify()
 * after changing the state poll reads.  A poller counts itself in
 * (poll_wait_begin), notes the event count (poll_wait_mark), checks its
 * descriptors, and sleeps only if no event came since the mark
 * (poll_wait_sleep).  Either the poller's check sees the new state or the
 * notifier sees the poller counted in and moves the count: both sides
 * order their store before their load (seq_cst), so no wake-up is lost.
 * With no poller counted in, poll_notify() is one load.
 *
 * Pollers with a deadline are also woken at each tick (poll_tick) to look
 * at the clock; a spurious wake-up only costs a second check.
 */
#ifndef SCHED_POLLWAIT_H
#define SCHED_POLLWAIT_H

#include "lib/types.h"

struct poll_waiter {
	uint64 seq;             /* the event count at the last mark */
	bool timed;             /* woken at each tick too */
};

void poll_wait_init(void);
void poll_wait_begin(struct poll_waiter *w, bool timed);
void poll_wait_mark(struct poll_waiter *w);
void poll_wait_sleep(struct poll_waiter *w);
void poll_wait_end(struct poll_waiter *w);
void poll_notify(void);
void poll_tick(void);

#endif
