/*
 * The memory model: what every word of a stress page must hold, and the
 * checks that compare it with what the page does hold.
 *
 * A word holds  MARK:12 | stamp:32 | page:11 | word:9  (high to low bits),
 * where the stamp is the writer's tag (its pid, 20 bits) and generation
 * (12 bits).  Each process tags its own writes, and after a fork parent
 * and child write with different tags, so a translation left pointing at
 * a page the process no longer owns reads a word that says whose it is.
 *
 * Also here, for every part of the program: the seeded generator and the
 * spin that waits without a system call.
 */
#include "stress.h"

#define MARK        0xc5aUL

static uint32_t my_tag;
static uint32_t my_gen;

void
rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15UL;
}

uint64_t
rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dUL;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

void
spin_until(uint64_t ns)
{
	while (uptime_ns() < ns)
		;
}

void
spin_us(uint64_t us)
{
	spin_until(uptime_ns() + us * 1000);
}

/*
 * Call first in every process (after fork or exec): our writes are tagged
 * with our pid from now on, and our errors and counts start again.
 */
void
model_start_process(void)
{
	my_tag = (uint32_t)getpid() & 0xfffff;
	if (my_tag == 0)
		my_tag = 0xfffff;
	my_gen = 0;
	channel_start_process();
}

/*
 * Store to every page of [p, p + n): after a fork, this breaks the
 * copy-on-write sharing of the pages that hold a model here and now, so
 * that no hart can later read the model through a translation older than
 * the model's last write.  (A model read through the same stale
 * translation as the data would agree with the stale data.)
 */
void
own_pages(void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;
	uintptr_t end = a + n;

	for (; a < end; a = (a | (PGSIZE - 1)) + 1) {
		volatile char *c = (volatile char *)a;
		*c = *c;
	}
}

uint32_t
model_next_stamp(void)
{
	my_gen = (my_gen + 1) & 0xfff;
	return my_tag << 12 | my_gen;
}

static uint64_t
word_value(uint32_t stamp, int page, int word)
{
	if (stamp == 0)
		return 0;
	return MARK << 52 | (uint64_t)stamp << 20 | (uint64_t)(page & 0x7ff) << 9 | (uint64_t)word;
}

/* What a word found says about itself, for the error line. */
static void
describe(uint64_t v, char *buf, size_t size)
{
	if (v == 0)
		snprintf(buf, size, "zero");
	else if (v >> 52 != MARK)
		snprintf(buf, size, "not a stress word");
	else
		snprintf(buf, size, "written by pid %u, gen %u, as page %u word %u",
			 (unsigned)(v >> 32 & 0xfffff), (unsigned)(v >> 20 & 0xfff),
			 (unsigned)(v >> 9 & 0x7ff), (unsigned)(v & 0x1ff));
}

void
region_start(struct region *r)
{
	uintptr_t brk = (uintptr_t)sbrk(0);

	if (sbrk((PGSIZE - brk % PGSIZE) % PGSIZE) == (void *)-1)
		report("sbrk to align the break at %#lx failed", (unsigned long)brk);
	r->base = sbrk(0);
	r->npages = 0;
}

bool
region_grow(struct region *r, int n)
{
	if (r->npages + n > REGION_MAX_PAGES)
		n = REGION_MAX_PAGES - r->npages;
	if (n <= 0)
		return true;
	char *old = sbrk((long)n * PGSIZE);
	if (old == (char *)-1)
		return false;           /* out of memory is not an error of the kernel */
	counts.sbrk_moves++;
	if (old != r->base + (long)r->npages * PGSIZE)
		return report("sbrk(+%d pages) returned %p, the break was %p", n, old,
			      r->base + (long)r->npages * PGSIZE);
	for (int i = r->npages; i < r->npages + n; i++)
		r->stamp[i] = 0;
	r->npages += n;
	return true;
}

bool
region_shrink(struct region *r, int n)
{
	if (n > r->npages)
		n = r->npages;
	if (n <= 0)
		return true;
	char *old = sbrk(-(long)n * PGSIZE);
	counts.sbrk_moves++;
	if (old != r->base + (long)r->npages * PGSIZE)
		return report("sbrk(-%d pages) returned %p, the break was %p", n, old,
			      r->base + (long)r->npages * PGSIZE);
	r->npages -= n;
	return true;
}

void
region_write(struct region *r, int page)
{
	volatile uint64_t *w = (volatile uint64_t *)(r->base + (long)page * PGSIZE);
	uint32_t stamp = model_next_stamp();

	for (int i = 0; i < WORDS_PER_PAGE; i++)
		w[i] = word_value(stamp, page, i);
	r->stamp[page] = stamp;
	counts.pages_written++;
}

void
region_write_all(struct region *r)
{
	for (int i = 0; i < r->npages; i++)
		region_write(r, i);
}

/* Where a page first differs from the model. */
struct page_diff {
	int bad;                /* words wrong */
	int first;              /* the first of them */
	uint64_t found;         /* what it held */
};

/* Compare every word of a page with the model; no system call. */
static bool
page_compare(struct region *r, int page, struct page_diff *d)
{
	volatile uint64_t *w = (volatile uint64_t *)(r->base + (long)page * PGSIZE);
	uint32_t stamp = r->stamp[page];

	d->bad = 0;
	counts.words_checked += WORDS_PER_PAGE;
	counts.zero_checks += stamp == 0;
	for (int i = 0; i < WORDS_PER_PAGE; i++) {
		uint64_t v = w[i];
		if (v != word_value(stamp, page, i) && d->bad++ == 0) {
			d->first = i;
			d->found = v;
		}
	}
	return d->bad == 0;
}

static bool
report_diff(struct region *r, int page, const struct page_diff *d, int bad_pages)
{
	char what[80], more[40] = "";
	uint64_t va = (uint64_t)(r->base + (long)page * PGSIZE + d->first * 8);

	describe(d->found, what, sizeof(what));
	if (bad_pages > 1)
		snprintf(more, sizeof(more), "; %d of %d pages wrong", bad_pages, r->npages);
	return report("va %#lx (page %d word %d): expected %#lx, found %#lx (%s); "
		      "%d of %d words wrong%s", (unsigned long)va, page, d->first,
		      (unsigned long)word_value(r->stamp[page], page, d->first),
		      (unsigned long)d->found, what, d->bad, WORDS_PER_PAGE, more);
}

bool
region_check(struct region *r, int page)
{
	struct page_diff d;

	return page_compare(r, page, &d) || report_diff(r, page, &d, 1);
}

/*
 * Every page first, then one report for the first page wrong: the report
 * is a system call, and on this QEMU its copy flushes the TLB, which
 * would hide what the pages after it hold.
 */
bool
region_check_all(struct region *r)
{
	struct page_diff d, first_diff;
	int bad_pages = 0, first = -1;

	for (int i = 0; i < r->npages; i++) {
		if (!page_compare(r, i, &d) && bad_pages++ == 0) {
			first = i;
			first_diff = d;
		}
	}
	return bad_pages == 0 || report_diff(r, first, &first_diff, bad_pages);
}
