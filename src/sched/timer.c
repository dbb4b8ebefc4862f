/*
 * The clock.  Each hart takes TICK_HZ timer interrupts a second (Sstc's
 * stimecmp when every hart has it, the SBI TIME call otherwise), which
 * drive preemption.  The first hart also publishes the tick count in the
 * vDSO page, computed from the `time` CSR rather than counted, so that it
 * agrees with the vDSO clock however late an interrupt arrives, and wakes
 * sleepers.
 */
#include "sched/trap.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sched/pollwait.h"
#include <asm/siginfo.h>
#include "boot/fdt.h"
#include "boot/sbi.h"
#include "vm/vdso.h"
#include "lib/riscv.h"

#define TICK_HZ 100

uint64 tick_hz = TICK_HZ;
static uint64 tick_interval;    /* in `time` units */
static struct spinlock tick_lock;
static int itimers_armed;
static void itimer_expire(uint64 now);

#define CSR_STIMECMP 0x14d

static void
timer_arm(uint64 when)
{
	if (platform.has_sstc)
		asm volatile("csrw %0, %1" :: "i"(CSR_STIMECMP), "r"(when));
	else
		sbi_set_timer(when);
}

void
timer_init(void)
{
	tick_interval = platform.timebase_hz / TICK_HZ;
	spin_init(&tick_lock, "ticks");
}

void
timer_init_hart(void)
{
	/* user mode may read the time CSR directly (the vDSO clock) */
	csr_set(scounteren, SCOUNTEREN_TM);
	timer_arm(r_time() + tick_interval);
}

uint64
timer_ticks(void)
{
	return vdso_data->ticks;
}

void
timer_interrupt(void)
{
	uint64 now = r_time();

	timer_arm(now + tick_interval);
	/*
	 * Whichever hart's tick comes first moves the count, so it never lags
	 * the clock because one hart was held up (a host thread descheduled).
	 */
	uint64 t = (now - vdso_data->time_at_boot) / tick_interval;
	if (t > __atomic_load_n(&vdso_data->ticks, __ATOMIC_RELAXED)) {
		bool moved = false;
		spin_lock(&tick_lock);
		if (t > vdso_data->ticks) {
			__atomic_store_n(&vdso_data->ticks, t, __ATOMIC_RELAXED);
			wakeup((void *)&vdso_data->ticks);
			moved = true;
		}
		spin_unlock(&tick_lock);
		if (moved && __atomic_load_n(&itimers_armed, __ATOMIC_RELAXED))
			itimer_expire(t);
		if (moved)
			poll_tick();
	}
}

/*
 * Interval timers (ITIMER_REAL: setitimer, alarm): SIGALRM to p at tick
 * p->itimer_at, then every p->itimer_every ticks.  The hart that moves
 * the tick count checks the armed ones; none armed, it costs one load.
 */

/* Arm p's timer (its own thread) for tick at (0: disarm), repeating every `every` ticks. */
void
itimer_set(struct proc *p, uint64 at, uint64 every)
{
	bool was = p->itimer_at != 0;

	spin_lock(&p->lock);
	p->itimer_at = at;
	p->itimer_every = at ? every : 0;
	spin_unlock(&p->lock);
	if (was != (at != 0))
		__atomic_add_fetch(&itimers_armed, at ? 1 : -1, __ATOMIC_RELAXED);
}

static void
itimer_expire(uint64 now)
{
	struct sig_detail d = { SI_TIMER, 0, 0, 0, 0 };

	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		if (!__atomic_load_n(&p->itimer_at, __ATOMIC_RELAXED))
			continue;
		spin_lock(&p->lock);
		bool due = p->itimer_at && p->itimer_at <= now && p->state != ZOMBIE &&
			   p->state != UNUSED;
		if (due) {
			p->itimer_at = p->itimer_every ? now + p->itimer_every : 0;
			if (!p->itimer_at)
				__atomic_add_fetch(&itimers_armed, -1, __ATOMIC_RELAXED);
		}
		spin_unlock(&p->lock);
		if (due)
			signal_send(p, SIGALRM, &d);
	}
}

/* Sleep for n ticks; -1 if killed meanwhile. */
int
timer_sleep(uint64 n)
{
	struct proc *p = myproc();

	spin_lock(&tick_lock);
	uint64 start = vdso_data->ticks;
	while (vdso_data->ticks - start < n) {
		if (proc_interrupted(p)) {
			spin_unlock(&tick_lock);
			return -1;
		}
		sleep((void *)&vdso_data->ticks, &tick_lock);
	}
	spin_unlock(&tick_lock);
	return 0;
}

/* One tick, in `time` units. */
uint64
timer_interval(void)
{
	return tick_interval;
}
