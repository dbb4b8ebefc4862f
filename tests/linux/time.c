// time.c: clocks and sleeping under the Linux system-call ABI.
// Covers clock_gettime/clock_getres on the common clocks (ranges,
// monotonic never going back, EINVAL for a bad clock), agreement of
// CLOCK_REALTIME, gettimeofday and time, nanosleep/clock_nanosleep
// (relative and TIMER_ABSTIME, sleeping at least as long as asked,
// EINVAL arguments), usleep, times() and CPU-time clocks for the process
// and its waited-for children. Prints properties only, never times.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static long long ns_of(struct timespec t)
{
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long now_ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return ns_of(t);
}

// Spin on the CPU for about ms milliseconds of monotonic time.
static void spin_ms(int ms)
{
    long long end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    volatile unsigned long x = 0;
    while (now_ns(CLOCK_MONOTONIC) < end)
        for (int i = 0; i < 10000; i++)
            x += i;
}

static void test_clocks(void)
{
    static const struct { clockid_t id; const char *name; } clocks[] = {
        { CLOCK_REALTIME, "realtime" },
        { CLOCK_MONOTONIC, "monotonic" },
        { CLOCK_BOOTTIME, "boottime" },
        { CLOCK_MONOTONIC_RAW, "monotonic-raw" },
        { CLOCK_REALTIME_COARSE, "realtime-coarse" },
        { CLOCK_MONOTONIC_COARSE, "monotonic-coarse" },
        { CLOCK_PROCESS_CPUTIME_ID, "process-cputime" },
        { CLOCK_THREAD_CPUTIME_ID, "thread-cputime" },
    };
    char name[64];
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec t = { -1, -1 }, r = { -1, -1 };
        snprintf(name, sizeof name, "gettime-%s", clocks[i].name);
        check(name, clock_gettime(clocks[i].id, &t), 0);
        snprintf(name, sizeof name, "gettime-%s-range", clocks[i].name);
        check(name, t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000, 1);
        snprintf(name, sizeof name, "getres-%s", clocks[i].name);
        check(name, clock_getres(clocks[i].id, &r), 0);
        snprintf(name, sizeof name, "getres-%s-sane", clocks[i].name);
        check(name, r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 10000000, 1);
    }
    struct timespec t;
    check_err("gettime-bad-clock", clock_gettime(12345, &t), EINVAL);
    check_err("getres-bad-clock", clock_getres(12345, &t), EINVAL);
    check_err("gettime-negative-clock", clock_gettime(-100, &t), EINVAL);
    check("getres-null-ok", clock_getres(CLOCK_MONOTONIC, NULL), 0);

    long long prev = now_ns(CLOCK_MONOTONIC), back = 0;
    for (int i = 0; i < 2000; i++) {
        long long n = now_ns(CLOCK_MONOTONIC);
        if (n < prev)
            back++;
        prev = n;
    }
    check("monotonic-never-back", back, 0);
    long long m0 = now_ns(CLOCK_MONOTONIC), b0 = now_ns(CLOCK_BOOTTIME);
    check("boottime-ge-monotonic", b0 >= m0, 1);
    check("monotonic-positive", m0 > 0, 1);

    // Wall-clock sources agree with each other.
    struct timeval tv;
    struct timespec rt;
    check("gettimeofday", gettimeofday(&tv, NULL), 0);
    clock_gettime(CLOCK_REALTIME, &rt);
    time_t tt = time(NULL);
    check("gettimeofday-usec-range", tv.tv_usec >= 0 && tv.tv_usec < 1000000, 1);
    check("gettimeofday-vs-realtime", rt.tv_sec - tv.tv_sec >= 0 &&
          rt.tv_sec - tv.tv_sec <= 1, 1);
    check("time-vs-realtime", tt - rt.tv_sec >= 0 && tt - rt.tv_sec <= 1, 1);
    check("realtime-after-2020", rt.tv_sec > 1577836800, 1);
    struct timezone tz;
    check("gettimeofday-tz", gettimeofday(&tv, &tz), 0);
}

static void test_sleep(void)
{
    long long t0 = now_ns(CLOCK_MONOTONIC);
    struct timespec req = { 0, 50000000 }, rem = { 7, 7 };
    check("nanosleep", nanosleep(&req, &rem), 0);
    long long el = now_ns(CLOCK_MONOTONIC) - t0;
    check("nanosleep-long-enough", el >= 50000000, 1);
    check("nanosleep-not-forever", el < 10000000000LL, 1);

    t0 = now_ns(CLOCK_REALTIME);
    req = (struct timespec){ 0, 30000000 };
    nanosleep(&req, NULL);
    check("nanosleep-realtime-advances", now_ns(CLOCK_REALTIME) - t0 >= 25000000, 1);

    req = (struct timespec){ 0, 0 };
    check("nanosleep-zero", nanosleep(&req, NULL), 0);
    req = (struct timespec){ 0, 1000000000 };
    check_err("nanosleep-nsec-too-big", nanosleep(&req, NULL), EINVAL);
    req = (struct timespec){ 0, -1 };
    check_err("nanosleep-nsec-negative", nanosleep(&req, NULL), EINVAL);
    req = (struct timespec){ -1, 0 };
    check_err("nanosleep-sec-negative", nanosleep(&req, NULL), EINVAL);

    // clock_nanosleep returns the error number instead of setting errno.
    struct timespec target;
    clock_gettime(CLOCK_MONOTONIC, &target);
    target.tv_nsec += 40000000;
    if (target.tv_nsec >= 1000000000) {
        target.tv_nsec -= 1000000000;
        target.tv_sec++;
    }
    check("clock-nanosleep-abs",
          clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL), 0);
    check("clock-nanosleep-abs-reached", now_ns(CLOCK_MONOTONIC) >= ns_of(target), 1);
    t0 = now_ns(CLOCK_MONOTONIC);
    check("clock-nanosleep-abs-past",
          clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL), 0);
    check("clock-nanosleep-abs-past-quick",
          now_ns(CLOCK_MONOTONIC) - t0 < 1000000000, 1);
    req = (struct timespec){ 0, 20000000 };
    t0 = now_ns(CLOCK_MONOTONIC);
    check("clock-nanosleep-rel", clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
    check("clock-nanosleep-rel-long-enough", now_ns(CLOCK_MONOTONIC) - t0 >= 20000000, 1);
    check("clock-nanosleep-bad-clock", clock_nanosleep(12345, 0, &req, NULL), EINVAL);
    req = (struct timespec){ 0, 2000000000 };
    check("clock-nanosleep-bad-nsec",
          clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);

    t0 = now_ns(CLOCK_MONOTONIC);
    check("usleep", usleep(20000), 0);
    check("usleep-long-enough", now_ns(CLOCK_MONOTONIC) - t0 >= 20000000, 1);
}

static void test_cpu_time(void)
{
    check("clk-tck", sysconf(_SC_CLK_TCK), 100);
    struct tms a, b;
    clock_t r0 = times(&a);
    check("times-ok", r0 != (clock_t)-1, 1);
    long long c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    long long w0 = now_ns(CLOCK_MONOTONIC);
    spin_ms(300);
    long long c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    long long w1 = now_ns(CLOCK_MONOTONIC);
    clock_t r1 = times(&b);
    check("times-elapsed-advances", r1 - r0 >= 20, 1);
    check("times-cpu-advances", (b.tms_utime + b.tms_stime) -
          (a.tms_utime + a.tms_stime) >= 5, 1);
    check("times-children-zero", a.tms_cutime + a.tms_cstime, 0);
    check("cputime-advances", c1 - c0 >= 50000000, 1);
    check("cputime-le-wall", c1 - c0 <= (w1 - w0) + 50000000, 1);

    // CPU time of waited-for children is added to tms_cutime/cstime.
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (now_ns(CLOCK_PROCESS_CPUTIME_ID) > 100000000)
            _exit(2);   // a fresh child starts with little CPU time
        spin_ms(300);
        _exit(0);
    }
    struct tms c;
    times(&c);
    check("times-children-before-wait", c.tms_cutime + c.tms_cstime, 0);
    int st;
    waitpid(pid, &st, 0);
    check("child-status", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
    times(&c);
    check("times-children-after-wait", c.tms_cutime + c.tms_cstime >= 5, 1);
    check("times-null-ok", times(NULL) != (clock_t)-1, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_clocks();
    test_sleep();
    test_cpu_time();
    printf("time: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}
