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
#include "boot/fdt.h"
#include "boot/sbi.h"
#include "vm/vdso.h"
#include "lib/riscv.h"

#define TICK_HZ 100

uint64 tick_hz = TICK_HZ;
static uint64 tick_interval;    /* in `time` units */
static struct spinlock tick_lock;

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
		spin_lock(&tick_lock);
		if (t > vdso_data->ticks) {
			__atomic_store_n(&vdso_data->ticks, t, __ATOMIC_RELAXED);
			wakeup((void *)&vdso_data->ticks);
		}
		spin_unlock(&tick_lock);
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
		if (proc_killed(p)) {
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
