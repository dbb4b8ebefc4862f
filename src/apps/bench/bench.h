/*
 * bench: the design comparison's measurements, run inside Canopy.
 *
 * Each row measures one operation with the monotonic clock (the vDSO's
 * clock_gettime) and prints one machine-readable line (report.h).
 * tools/bench.py boots each design, collects these lines and compares
 * them.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"
#include "report.h"

/* How hard to work: QUICK shrinks sizes and repeats. */
extern bool quick;

struct row {
	const char *name;
	void (*run)(const struct row *r);
	const char *what;       /* for `bench list` */
};

extern const struct row rows_syscall[], rows_proc[], rows_mem[], rows_file[];

/* Nanoseconds on the monotonic clock. */
uint64_t now_ns(void);

/* Time fn(n) over `samples` runs, after a warm-up; report ns (or scaled) per op. */
void measure(const char *name, enum unit unit, int samples, long n, void (*fn)(long n));

/* A page count, once (report.h has the other BENCH lines). */
void report_pages(const char *name, long pages);

uint64_t free_pages(void);
uint64_t design(void);

#endif
