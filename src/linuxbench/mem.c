/*
 * Memory: the first touch of anonymous memory (a page fault per page, or
 * fewer where the kernel maps more than a page at a fault), mmap+munmap
 * of an untouched MiB, and 64 MiB mapped, touched at one page or at
 * every page, and unmapped.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "lbench.h"

#define PAGE 4096

static const char *failed;      /* the call that failed, or NULL */

static char *
map(long bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		failed = "mmap";
		return NULL;
	}
	return p;
}

#define FAULT_BYTES (4L << 20)

/* Per page: map 4 MiB, write one byte in each page, unmap; the map and
   unmap are timed too (a small share of 1024 faults). */
static void
first_touch(long n)
{
	for (long i = 0; i < n && !failed; i++) {
		char *p = map(FAULT_BYTES);
		if (!p)
			return;
		for (long off = 0; off < FAULT_BYTES; off += PAGE)
			p[off] = 1;
		munmap(p, FAULT_BYTES);
	}
}

static void
row_pagefault(const struct row *r)
{
	uint64_t per[MAX_SAMPLES];
	long n = cfg.quick ? 2 : 5;

	failed = NULL;
	first_touch(1);
	for (int s = 0; s < cfg.samples && !failed; s++) {
		uint64_t t0 = now_ns();
		first_touch(n);
		per[s] = (now_ns() - t0) / (n * (FAULT_BYTES / PAGE));
	}
	if (failed)
		report_na(r->name, "%s: %s", failed, strerror(errno));
	else
		report_times(r->name, NS, per, cfg.samples);
}

static void
map_unmap(long n)
{
	for (long i = 0; i < n && !failed; i++) {
		char *p = map(1L << 20);
		if (p)
			munmap(p, 1L << 20);
	}
}

static void
row_mmap(const struct row *r)
{
	failed = NULL;
	map_unmap(1);
	if (failed) {
		report_na(r->name, "%s: %s", failed, strerror(errno));
		return;
	}
	measure(r->name, US, cfg.quick ? 200 : 1000, map_unmap);
}

#define BIG (64L << 20)
static long stride;             /* PAGE: every page; BIG: one page */

static void
touch_big(long n)
{
	for (long i = 0; i < n && !failed; i++) {
		char *p = map(BIG);
		if (!p)
			return;
		for (long off = 0; off < BIG; off += stride)
			p[off] = 1;
		munmap(p, BIG);
	}
}

static void
touch_row(const struct row *r, long step, enum unit unit, long n)
{
	failed = NULL;
	stride = step;
	touch_big(1);
	if (failed) {
		report_na(r->name, "%s of 64 MiB: %s", failed, strerror(errno));
		return;
	}
	measure(r->name, unit, n, touch_big);
}

static void
row_touch_one(const struct row *r)
{
	touch_row(r, BIG, US, cfg.quick ? 20 : 100);
}

static void
row_touch_all(const struct row *r)
{
	touch_row(r, PAGE, MS, cfg.quick ? 1 : 2);
}

const struct row rows_mem[] = {
	{ "lat_pagefault", row_pagefault, "first write to a fresh anonymous page, per page "
	  "(4 MiB mapped, every page written, unmapped)" },
	{ "lat_mmap", row_mmap, "mmap + munmap of 1 MiB anonymous, untouched" },
	{ "touch64m_one", row_touch_one, "mmap 64 MiB, write one byte, munmap" },
	{ "touch64m_all", row_touch_all, "mmap 64 MiB, write every page, munmap" },
	{ 0 }
};
