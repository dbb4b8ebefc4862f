/*
 * lbench: the three-way comparison's benchmark, one static Linux program
 * (glibc, riscv64) that runs unchanged on Linux, on Canopy and on the
 * classic build (both through Canopy's Linux ABI).
 *
 * Every row times one operation with clock_gettime(CLOCK_MONOTONIC) and
 * prints one line tools/bench.py parses, through the same code as Canopy's
 * bench (src/apps/bench/report.c).  A row that cannot run (a call fails)
 * is reported n/a with the call and its errno, never as a number.  The first line is BENCH-START (the host
 * times the boot up to it), the last BENCH-END.
 */
#ifndef LBENCH_H
#define LBENCH_H

#include <stdbool.h>
#include <stdint.h>
#include "../apps/bench/report.h"

struct row {
	const char *name;
	void (*run)(const struct row *r);
	const char *what;       /* for `lbench list` */
};

/* What every row may need: set by main from the command line. */
struct config {
	bool quick;
	int samples;
	int file_samples;       /* the 8 MiB file rows: a few seconds each on Canopy */
	const char *dir;        /* where the file rows write */
	const char *exec_path;  /* the helper lbtrue */
};
extern struct config cfg;

extern const struct row rows_sys[], rows_proc[], rows_mem[], rows_file[];

uint64_t now_ns(void);

/* lbench ops WHAT N (ops.c): the process's exit status. */
int ops(const char *what, long n);

/* Time fn(n) `samples` times after one warm-up; report the time per op. */
void measure(const char *name, enum unit unit, long n, void (*fn)(long n));


/* Run fn in a child and wait: false (and a reason in why) if it failed. */
bool in_child(void (*fn)(void *), void *arg, char *why, int len);

#endif
