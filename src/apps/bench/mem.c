/*
 * The heap: sbrk of 64 MiB, touch one page, shrink back; sbrk of 64 MiB
 * and touch every page.  Each also reports the pages it allocated.
 */
#include "bench.h"

#define BIG (64L << 20)

/* Grow by 64 MiB, touch `touch` pages spread over it; pages allocated, or -1. */
static long
grow_and_touch(long touch)
{
	uint64_t before = free_pages();
	char *p = sbrk(BIG);

	if (p == (char *)-1)
		return -1;
	long step = BIG / touch;
	for (long off = 0; off < BIG; off += step)
		p[off] = 1;
	return (long)before - (long)free_pages();
}

/* Is this an eager heap in a kernel built lazy (LAZY=1 before lazy sbrk exists)? */
static bool
lazy_missing(const char *name, long pages, long touched)
{
	if ((design() & DESIGN_LAZY) && pages >= BIG / 4096 && touched < BIG / 4096) {
		report_na(name, "LAZY=1 but sbrk allocated all %ld pages: lazy sbrk is not in this "
			  "kernel yet", pages);
		return true;
	}
	return false;
}

static void
row_sbrk_touch1(const struct row *r)
{
	int samples = quick ? 3 : 7;
	uint64_t ns[MAX_SAMPLES];

	long pages = grow_and_touch(1);
	if (pages < 0) {
		report_na(r->name, "sbrk of 64 MiB failed");
		return;
	}
	sbrk(-BIG);
	if (lazy_missing(r->name, pages, 1)) {
		report_na("sbrk64m_touch1_pages", "lazy sbrk is not in this kernel yet");
		return;
	}
	for (int s = 0; s < samples; s++) {
		uint64_t t0 = now_ns();
		char *p = sbrk(BIG);
		p[BIG / 2] = 1;
		sbrk(-BIG);
		ns[s] = now_ns() - t0;
	}
	report_times(r->name, US, ns, samples);
	report_pages("sbrk64m_touch1_pages", pages);
}

static void
row_sbrk_touch_all(const struct row *r)
{
	int samples = quick ? 3 : 5;
	uint64_t ns[MAX_SAMPLES];

	long probe = grow_and_touch(1);
	if (probe >= 0)
		sbrk(-BIG);
	if (probe >= 0 && lazy_missing(r->name, probe, 1)) {
		report_na("sbrk64m_touchall_pages", "lazy sbrk is not in this kernel yet");
		return;
	}
	long pages = grow_and_touch(BIG / 4096);
	if (pages < 0) {
		report_na(r->name, "sbrk of 64 MiB failed");
		return;
	}
	sbrk(-BIG);
	for (int s = 0; s < samples; s++) {
		uint64_t t0 = now_ns();
		char *p = sbrk(BIG);
		for (long off = 0; off < BIG; off += 4096)
			p[off] = 1;
		ns[s] = now_ns() - t0;
		sbrk(-BIG);
	}
	report_times(r->name, US, ns, samples);
	report_pages("sbrk64m_touchall_pages", pages);
}

const struct row rows_mem[] = {
	{ "sbrk64m_touch1", row_sbrk_touch1, "sbrk(64 MiB), touch one page, sbrk(-64 MiB)" },
	{ "sbrk64m_touchall", row_sbrk_touch_all, "sbrk(64 MiB) and touch every page" },
	{ NULL, NULL, NULL },
};
