/*
 * BENCH lines (report.h).  Shared by bench and lbench, so that the
 * three-way table compares figures printed the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "report.h"

static const char *const unit_names[] = { [NS] = "ns", [US] = "us", [MS] = "ms" };
static const uint64_t unit_ns[] = { [NS] = 1, [US] = 1000, [MS] = 1000000 };

static int
compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sort a copy of v[0..samples) (at most MAX_SAMPLES) into out. */
static int
sorted(const uint64_t *v, int samples, uint64_t *out)
{
	if (samples > MAX_SAMPLES)
		samples = MAX_SAMPLES;
	for (int i = 0; i < samples; i++)
		out[i] = v[i];
	qsort(out, samples, sizeof(out[0]), compare);
	return samples;
}

/* Print tenths as " 123.4". */
static void
print_tenths(uint64_t tenths)
{
	printf(" %llu.%llu", (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

static void
print_line(const char *name, const char *unit, uint64_t best, uint64_t median, int samples)
{
	printf("BENCH %s %s", name, unit);
	print_tenths(best);
	print_tenths(median);
	printf(" %d\n", samples);
	fflush(stdout);
}

void
report_tenths(const char *name, enum unit unit, const uint64_t *tenths, int samples)
{
	uint64_t v[MAX_SAMPLES];

	samples = sorted(tenths, samples, v);
	print_line(name, unit_names[unit], v[0] / unit_ns[unit], v[samples / 2] / unit_ns[unit],
		   samples);
}

void
report_times(const char *name, enum unit unit, const uint64_t *ns_per_op, int samples)
{
	uint64_t v[MAX_SAMPLES];

	for (int i = 0; i < samples && i < MAX_SAMPLES; i++)
		v[i] = ns_per_op[i] * 10;
	report_tenths(name, unit, v, samples);
}

void
report_throughput(const char *name, uint64_t bytes, const uint64_t *ns, int samples)
{
	uint64_t v[MAX_SAMPLES];

	/* MiB/s in tenths: bytes / 2^20 / (ns / 1e9) * 10, in 128 bits so no digit is lost */
	for (int i = 0; i < samples && i < MAX_SAMPLES; i++)
		v[i] = ns[i] ? (uint64_t)((unsigned __int128)bytes * 10000000000ULL / ns[i] / 1048576) : 0;
	samples = sorted(v, samples, v);
	print_line(name, "MiB/s", v[samples - 1], v[samples / 2], samples);
}

void
report_count(const char *name, const char *unit, long n)
{
	printf("BENCH %s %s %ld.0 %ld.0 1\n", name, unit, n, n);
	fflush(stdout);
}

void
report_na(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("BENCH %s n/a ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
