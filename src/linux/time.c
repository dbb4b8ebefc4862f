/*
 * Linux time calls.  Every clock counts from the `time` CSR: MONOTONIC
 * and BOOTTIME from boot, REALTIME too (Canopy reads no real-time clock
 * yet, so wall time starts at the epoch at boot).  The process CPU clocks
 * answer the time since boot as well: no CPU time is accounted.
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "sched/trap.h"
#include "vm/uaccess.h"
#include "vm/vdso.h"
#include "lib/riscv.h"

#define NSEC_PER_SEC 1000000000UL

/* Nanoseconds since boot. */
uint64
lx_now_ns(void)
{
	uint64 t = r_time() - vdso_data->time_at_boot, hz = vdso_data->timebase_hz;

	return t / hz * NSEC_PER_SEC + t % hz * NSEC_PER_SEC / hz;
}

static bool
clock_known(int clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME ||
	       clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_REALTIME_COARSE ||
	       clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_PROCESS_CPUTIME_ID ||
	       clock == CLOCK_THREAD_CPUTIME_ID;
}

long
lx_clock_gettime(void)
{
	uint64 ns = lx_now_ns();
	struct __kernel_timespec ts = { (long long)(ns / NSEC_PER_SEC), (long long)(ns % NSEC_PER_SEC) };

	if (!clock_known((int)arg_int(0)))
		return -EINVAL;
	return copyout(arg_addr(1), &ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

long
lx_clock_getres(void)
{
	uint64 hz = vdso_data->timebase_hz;
	struct __kernel_timespec ts = { 0, (long long)((NSEC_PER_SEC + hz - 1) / hz) };

	if (!clock_known((int)arg_int(0)))
		return -EINVAL;
	if (arg_addr(1) && copyout(arg_addr(1), &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

long
lx_gettimeofday(void)
{
	uint64 ns = lx_now_ns();
	struct { long tv_sec, tv_usec; } tv = { (long)(ns / NSEC_PER_SEC),
						(long)(ns % NSEC_PER_SEC / 1000) };
	struct { int minuteswest, dsttime; } tz = { 0, 0 };

	if (arg_addr(0) && copyout(arg_addr(0), &tv, sizeof(tv)) < 0)
		return -EFAULT;
	if (arg_addr(1) && copyout(arg_addr(1), &tz, sizeof(tz)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * Sleep until lx_now_ns() reaches deadline, in ticks (a sleep is rounded up
 * to the next tick, never down).  0, or -EINTR if killed meanwhile (the
 * time left goes to urem if it is not 0).
 */
static long
sleep_until(uint64 deadline, uint64 urem)
{
	uint64 tick_ns = NSEC_PER_SEC / tick_hz;

	while (lx_now_ns() < deadline) {
		uint64 left = deadline - lx_now_ns();
		if (timer_sleep((left + tick_ns - 1) / tick_ns) < 0) {
			uint64 rest = deadline > lx_now_ns() ? deadline - lx_now_ns() : 0;
			struct __kernel_timespec ts = { (long long)(rest / NSEC_PER_SEC),
							(long long)(rest % NSEC_PER_SEC) };
			if (urem)
				copyout(urem, &ts, sizeof(ts));
			return -EINTR;
		}
	}
	return 0;
}

/* A user timespec as nanoseconds: 0, or -EFAULT, -EINVAL. */
long
lx_timespec_ns(uint64 uts, uint64 *ns)
{
	struct __kernel_timespec ts;

	if (copyin(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64)ts.tv_sec > (~0UL - NSEC_PER_SEC) / NSEC_PER_SEC / 2)
		ts.tv_sec = (long long)((~0UL - NSEC_PER_SEC) / NSEC_PER_SEC / 2);
	*ns = (uint64)ts.tv_sec * NSEC_PER_SEC + (uint64)ts.tv_nsec;
	return 0;
}

long
lx_nanosleep(void)
{
	uint64 ns;
	long r = lx_timespec_ns(arg_addr(0), &ns);

	return r < 0 ? r : sleep_until(lx_now_ns() + ns, arg_addr(1));
}

long
lx_clock_nanosleep(void)
{
	int clock = (int)arg_int(0), flags = (int)arg_int(1);
	uint64 ns;

	if (!clock_known(clock) || clock == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	long r = lx_timespec_ns(arg_addr(2), &ns);
	if (r < 0)
		return r;
	if (flags & TIMER_ABSTIME)
		return sleep_until(ns, 0);
	return sleep_until(lx_now_ns() + ns, arg_addr(3));
}

/* times(buf): no CPU time is accounted, so the four counts are 0; the clock in ticks. */
long
lx_times(void)
{
	struct tms t = { 0, 0, 0, 0 };
	uint64 ticks = lx_now_ns() / (NSEC_PER_SEC / LINUX_CLK_TCK);

	if (arg_addr(0) && copyout(arg_addr(0), &t, sizeof(t)) < 0)
		return -EFAULT;
	return (long)ticks;
}
