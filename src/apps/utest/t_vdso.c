/* The vDSO pages: pid without a trap, the clock, and that none of it traps. */
#include "utest.h"

static void
ugetpid_in_64_children(void)
{
	int me = getpid();

	for (int batch = 0; batch < 4; batch++) {
		int pids[16];
		for (int i = 0; i < 16; i++) {
			pids[i] = xfork();
			if (pids[i] == 0)
				exit(ugetpid() == getpid() && ugetppid() == me ? 0 : 1);
		}
		for (int i = 0; i < 16; i++) {
			int st, pid = wait(&st);
			expect(pid > 0, "wait failed");
			expect(st == 0, "child %d: ugetpid %s getpid", pid, "disagrees with");
		}
	}
	expect(ugetpid() == me, "ugetpid() %d, getpid() %d", ugetpid(), me);
}

static void
clock_never_goes_back(void)
{
	struct timespec prev = { 0, 0 }, now;
	uint64_t last_ns = 0;

	for (int i = 0; i < 50000; i++) {
		expect(clock_gettime(CLOCK_MONOTONIC, &now) == 0, "clock_gettime failed");
		expect(now.tv_nsec >= 0 && now.tv_nsec < 1000000000, "tv_nsec %ld out of range", now.tv_nsec);
		expect(now.tv_sec > prev.tv_sec ||
		       (now.tv_sec == prev.tv_sec && now.tv_nsec >= prev.tv_nsec),
		       "clock went back: %ld.%09ld then %ld.%09ld", (long)prev.tv_sec, prev.tv_nsec,
		       (long)now.tv_sec, now.tv_nsec);
		prev = now;
		uint64_t ns = uptime_ns();
		expect(ns >= last_ns, "uptime_ns went back");
		last_ns = ns;
		if (i % 5000 == 0)
			sleep_ticks(1);     /* let it run across ticks and harts */
	}
	expect(clock_gettime(0, &now) == -1, "clock_gettime accepted an unsupported clock");
}

static void
clock_agrees_with_uptime(void)
{
	uint64_t tick_ns = 1000000000ULL / vdso()->tick_hz;

	for (int i = 0; i < 30; i++) {
		uint64_t before = uptime_ns();
		long sys = uptime();
		uint64_t fast = uuptime();
		uint64_t after = uptime_ns();
		long lo = (long)(before / tick_ns) - 1, hi = (long)(after / tick_ns) + 1;
		expect(sys >= lo && sys <= hi, "uptime() %ld, vDSO clock says %ld..%ld ticks", sys, lo, hi);
		expect((long)fast >= sys - 1 && (long)fast <= sys + 1, "uuptime() %lu, uptime() %ld",
		       (unsigned long)fast, sys);
		if (i % 3 == 0)
			sleep_ticks(1);
	}
}

static void
vdso_calls_do_not_trap(void)
{
	struct timespec ts;
	volatile uint64_t sink = 0;
	long before = selftest(SELFTEST_MY_SYSCALLS, 0);

	for (int i = 0; i < 1000; i++) {
		sink += ugetpid();
		sink += uuptime();
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sink += uptime_ns();
	}
	long after = selftest(SELFTEST_MY_SYSCALLS, 0);
	expect(after - before == 1, "%ld system calls during 4000 vDSO reads (want only the counting call)",
	       after - before - 1);
	expect(vdso()->timebase_hz > 0 && vdso()->tick_hz > 0, "vDSO data not filled in");
}

const struct test tests_vdso[] = {
	{ "vdso_ugetpid_64_children", ugetpid_in_64_children },
	{ "vdso_clock_monotonic", clock_never_goes_back },
	{ "vdso_clock_agrees_with_uptime", clock_agrees_with_uptime },
	{ "vdso_no_trap", vdso_calls_do_not_trap },
	{ NULL, NULL },
};
