// vdso.c: the clock calls glibc answers from the vDSO (on Canopy without a
// trap: the linux suite traces this program and counts the calls that
// reach the kernel).  Checks only properties: the clocks move forward,
// agree with each other within a second, and give a sane resolution.
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include "check.h"

#define ROUNDS 2000

static long long ns_of(const struct timespec *ts)
{
    return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

int main(void)
{
    struct timespec a, b, res;
    struct timeval tv;
    int back = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < ROUNDS; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        back += ns_of(&b) < ns_of(&a);
        a = b;
    }
    check("monotonic-never-back", back, 0);
    clock_gettime(CLOCK_REALTIME, &a);
    gettimeofday(&tv, NULL);
    long long diff = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL - ns_of(&a);
    check("gettimeofday-agrees", diff >= 0 && diff < 1000000000LL, 1);
    for (int i = 0; i < ROUNDS; i++)
        gettimeofday(&tv, NULL);
    check("getres-monotonic", clock_getres(CLOCK_MONOTONIC, &res), 0);
    check("getres-sane", res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000, 1);
    clock_gettime(CLOCK_BOOTTIME, &b);
    clock_gettime(CLOCK_MONOTONIC, &a);
    check("boottime-not-after-monotonic", ns_of(&b) <= ns_of(&a), 1);
    check("getcpu", sched_getcpu() >= 0, 1);
    printf("vdso: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}
