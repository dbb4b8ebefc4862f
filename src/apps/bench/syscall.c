/*
 * The cost of entering the kernel: a bare ecall that the trap entry
 * answers before any C code (the floor), getpid() against the vDSO's
 * ugetpid(), uptime() against the vDSO clock.
 */
#include "bench.h"

static void
null_calls(long n)
{
	for (long i = 0; i < n; i++)
		__sys_null();
}

static void
getpid_calls(long n)
{
	for (long i = 0; i < n; i++)
		__sys_getpid();
}

static void
ugetpid_calls(long n)
{
	for (long i = 0; i < n; i++)
		(void)ugetpid();
}

static void
uptime_calls(long n)
{
	for (long i = 0; i < n; i++)
		__sys_uptime();
}

static void
clock_calls(long n)
{
	struct timespec ts;

	for (long i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
}

static void
row_null(const struct row *r)
{
	measure(r->name, NS, quick ? 5 : 9, quick ? 2000 : 10000, null_calls);
}

static void
row_getpid(const struct row *r)
{
	measure(r->name, NS, quick ? 5 : 9, quick ? 500 : 2000, getpid_calls);
}

static void
row_ugetpid(const struct row *r)
{
	measure(r->name, NS, quick ? 5 : 9, quick ? 20000 : 100000, ugetpid_calls);
}

static void
row_uptime(const struct row *r)
{
	measure(r->name, NS, quick ? 5 : 9, quick ? 500 : 2000, uptime_calls);
}

static void
row_clock(const struct row *r)
{
	measure(r->name, NS, quick ? 5 : 9, quick ? 5000 : 20000, clock_calls);
}

const struct row rows_syscall[] = {
	{ "null_ecall", row_null, "ecall with a7=0, answered by the trap entry (the floor)" },
	{ "getpid", row_getpid, "getpid() system call" },
	{ "ugetpid", row_ugetpid, "ugetpid(): the pid from the vDSO page, no trap" },
	{ "uptime", row_uptime, "uptime() system call" },
	{ "clock_vdso", row_clock, "clock_gettime(CLOCK_MONOTONIC) from the vDSO, no trap" },
	{ NULL, NULL, NULL },
};
