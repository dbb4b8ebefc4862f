/*
 * bench: the design comparison's measurements, run inside Canopy.
 *
 * Each row measures one operation with the monotonic clock (the vDSO's
 * clock_gettime) and prints one machine-readable line:
 *
 *   BENCH <row> <unit> <best> <median> <samples>
 *   BENCH <row> n/a <reason>
 *
 * best is the minimum for times and the maximum for throughputs; rows
 * counting pages print the count as both.  tools/bench.py boots each
 * design, collects these lines and compares them.
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

#define MAX_SAMPLES 16

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
enum unit { NS, US, MS };
void measure(const char *name, enum unit unit, int samples, long n, void (*fn)(long n));

/* Report per-op times (ns) already measured, or a throughput in MiB/s. */
void report_times(const char *name, enum unit unit, uint64_t *ns_per_op, int samples);
void report_throughput(const char *name, uint64_t bytes, uint64_t *ns, int samples);
void report_pages(const char *name, long pages);
void report_count(const char *name, const char *unit, long n);   /* a count, once */
void report_na(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

uint64_t free_pages(void);
uint64_t design(void);

#endif
