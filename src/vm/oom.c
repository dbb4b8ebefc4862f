/*
 * Out of memory: who dies when a page fault finds no free page.
 *
 * Memory is overcommitted (lazy heap, copy-on-write fork), so a fault that
 * is allowed may still find the allocator empty.  The policy, Linux's
 * in miniature:
 *
 *  - The victim is the process that maps the most user pages (its rss;
 *    a page shared copy-on-write counts for each sharer), never init
 *    (pid 1), never one already dying.
 *  - While an earlier victim is still on its way out (killed, its pages
 *    not yet back: a process gives them back in exit, not when reaped,
 *    and proc_rss() counts them until the last is freed), nobody else is
 *    chosen: the faulter waits for those pages.
 *  - If the victim is the faulter, it dies: "killed: out of memory".
 *    Otherwise the victim is killed, with a line naming it and the
 *    faulter, and the faulter waits for memory and tries again: a user
 *    instruction is retried; a copy inside a system call is retried too
 *    if the call may sleep there, else (a spinlock held: a pipe's, the
 *    console's) the copy fails and the call returns -1, the process alive.
 *  - Init never dies for memory: with nobody else to choose it waits.
 *  - One choice at a time (oom_lock), and the victim is marked killed
 *    before the lock goes, the faulter too when it is the victim: harts
 *    that run short at the same moment must see the first one's victim
 *    dying and wait for its pages.  Without that, 40 processes of the same
 *    size faulting on 32 harts each chose itself, and all 40 died where a
 *    few deaths gave the rest enough.
 *
 * Only faults come here, and only once a fault tried again and still
 * found no page while none was free (vm/fault.c, fault_confirmed).
 * Kernel allocations outside a fault (fork's tables, exec, a pipe) fail
 * their system call with -1 instead.
 */
#include "vm/oom.h"
#include "sched/proc.h"
#include "sched/trap.h"
#include "sync/spinlock.h"
#include "debug/kprintf.h"

static struct spinlock oom_lock = { .name = "oom" };

/* Is p a candidate, or already dying with pages to give back? */
static bool
alive(struct proc *p)
{
	enum procstate s = __atomic_load_n(&p->state, __ATOMIC_RELAXED);

	return s == RUNNABLE || s == RUNNING || s == SLEEPING;
}

/*
 * The faulter found no free page.  OOM_DIE: it is the victim.  OOM_WAIT:
 * someone else was killed or is dying (or nobody may be), so memory should
 * come back; wait and retry.
 */
/*
 * The largest live process but init, the faulter winning a tie; NULL if
 * a killed one still has pages to give back, or nobody may be chosen.
 */
static struct proc *
largest(struct proc *faulter, uint64 *most)
{
	struct proc *victim = NULL;

	*most = 0;
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		if (!alive(p) || proc_is_init(p))
			continue;
		uint64 rss = proc_rss(p);
		if (proc_killed(p) && p != faulter) {
			if (rss > 0)
				return NULL;    /* its pages are on their way back */
			continue;
		}
		if (rss > *most || (rss == *most && p == faulter)) {
			*most = rss;
			victim = p;
		}
	}
	return victim;
}

enum oom_verdict
oom_choose(struct proc *faulter)
{
	uint64 most;

	spin_lock(&oom_lock);
	struct proc *victim = largest(faulter, &most);
	if (victim == faulter)
		__atomic_store_n(&faulter->killed, 1, __ATOMIC_RELEASE);      /* dying: others wait */
	else if (victim)
		proc_kill_proc(victim);
	spin_unlock(&oom_lock);
	if (!victim)
		return OOM_WAIT;
	if (victim == faulter)
		return OOM_DIE;
	kprintf("pid %d (%s): killed: out of memory: the largest process (%lu pages), "
		"for pid %d (%s)\n", victim->pid, victim->name, most, faulter->pid, faulter->name);
	return OOM_WAIT;
}

/* Wait a tick for memory to come back; false if killed meanwhile. */
bool
oom_wait(void)
{
	return timer_sleep(1) == 0;
}
