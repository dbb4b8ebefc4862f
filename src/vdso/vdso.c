/*
 * The vDSO of Linux processes: a small shared object the kernel maps
 * into every Linux program (at LINUX_VDSO, named by AT_SYSINFO_EHDR), so
 * that glibc's clock_gettime, gettimeofday and clock_getres read the
 * clock without a trap.  It reads the `time` CSR and the shared page at
 * VDSO_DATA (canopy/layout.h), computing exactly what the kernel's
 * clock_gettime does (linux/time.c); a clock it does not know goes to the
 * kernel.  Built position-independent, without libc (SConstruct).
 */
#include <canopy/layout.h>
#include <asm/unistd.h>
#include <linux/time.h>
#include <linux/time_types.h>

#define NSEC_PER_SEC 1000000000UL

struct vdso_timeval {
	long tv_sec, tv_usec;
};

int __vdso_clock_gettime(int clock, struct __kernel_timespec *ts);
int __vdso_gettimeofday(struct vdso_timeval *tv, void *tz);
int __vdso_clock_getres(int clock, struct __kernel_timespec *res);
int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused);

static long
syscall3(long n, long a, long b, long c)
{
	register long a0 asm("a0") = a;
	register long a1 asm("a1") = b;
	register long a2 asm("a2") = c;
	register long a7 asm("a7") = n;

	asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

static const volatile struct vdso_data *
data(void)
{
	return (const volatile struct vdso_data *)VDSO_DATA;
}

/* The clocks that count from the `time` CSR (all the kernel's but the CPU-time ones). */
static int
counts_time(int clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME ||
	       clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_REALTIME_COARSE ||
	       clock == CLOCK_MONOTONIC_COARSE;
}

/* Nanoseconds since boot, as the kernel computes them. */
static unsigned long
now_ns(void)
{
	unsigned long t, hz = data()->timebase_hz;

	asm volatile("rdtime %0" : "=r"(t));
	t -= data()->time_at_boot;
	return t / hz * NSEC_PER_SEC + t % hz * NSEC_PER_SEC / hz;
}

int
__vdso_clock_gettime(int clock, struct __kernel_timespec *ts)
{
	if (!counts_time(clock))
		return (int)syscall3(__NR_clock_gettime, clock, (long)ts, 0);
	unsigned long ns = now_ns();
	ts->tv_sec = (long long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long long)(ns % NSEC_PER_SEC);
	return 0;
}

int
__vdso_gettimeofday(struct vdso_timeval *tv, void *tz)
{
	if (tz)
		return (int)syscall3(__NR_gettimeofday, (long)tv, (long)tz, 0);
	if (tv) {
		unsigned long ns = now_ns();
		tv->tv_sec = (long)(ns / NSEC_PER_SEC);
		tv->tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
	}
	return 0;
}

int
__vdso_clock_getres(int clock, struct __kernel_timespec *res)
{
	if (!counts_time(clock))
		return (int)syscall3(__NR_clock_getres, clock, (long)res, 0);
	if (res) {
		unsigned long hz = data()->timebase_hz;
		res->tv_sec = 0;
		res->tv_nsec = (long long)((NSEC_PER_SEC + hz - 1) / hz);
	}
	return 0;
}

int
__vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	return (int)syscall3(__NR_getcpu, (long)cpu, (long)node, (long)unused);
}
