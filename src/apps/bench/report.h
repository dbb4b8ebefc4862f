/*
 * The lines both benchmarks print, bench inside Canopy and lbench
 * (src/linuxbench) on all three kernels, for tools/bench.py:
 *
 *   BENCH <row> <unit> <best> <median> <samples>
 *   BENCH <row> n/a <reason>
 *
 * best is the minimum for times and the maximum for throughputs; a count
 * is printed as both.  Figures have one decimal, made with integers
 * (picolibc's printf may be built without floating point).
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdint.h>

#define MAX_SAMPLES 16

enum unit { NS, US, MS };

/* Per-op times in tenths of a nanosecond, or in nanoseconds (neither array is changed). */
void report_tenths(const char *name, enum unit unit, const uint64_t *tenths, int samples);
void report_times(const char *name, enum unit unit, const uint64_t *ns_per_op, int samples);
/* bytes moved in each sample's ns, as MiB/s */
void report_throughput(const char *name, uint64_t bytes, const uint64_t *ns, int samples);
void report_count(const char *name, const char *unit, long n);
void report_na(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
