/*
 * unmap_migrate: pages taken away by sbrk(-n), by munmap, or by a
 * MAP_FIXED mapping over them, while the process's translations may sit
 * on another hart, which must be marked and flush before it runs the
 * process again, or the process reads the freed pages through it.  Each
 * round stages it as exec_migrate does:
 *
 *   the unmapper, a new child, writes UNMAP_PAGES pages (heap or an
 *   anonymous mapping) and reads them on its hart A (which caches them),
 *   then blocks on a pipe: A goes idle with the table still loaded;
 *   the family process, spinning on another hart, writes the pipe, then
 *   spins on or blocks, so the unmapper often wakes on a hart other than
 *   A and takes the pages away there, and has fresh memory at the same
 *   addresses at once (sbrk back up, or a new mapping);
 *   it reads them (they must read zero) after each of 2 to 4 sleeps to
 *   the next tick, often on A; a word it wrote before is an error.
 */
#include "stress.h"

enum { UNMAP_PAGES = 16, UNMAP_PATTERN = 0x5a };
enum unmap_way { BY_SBRK, BY_MUNMAP, BY_MAP_FIXED, UNMAP_WAYS };

/* UNMAP_PAGES written pages (the first of them in *base); false if none. */
static bool
unmap_setup(enum unmap_way way, char **base)
{
	if (way == BY_SBRK) {
		region_start(&reg);
		if (!region_grow(&reg, UNMAP_PAGES))
			return false;
		*base = reg.base;
	} else {
		*base = mmap(NULL, UNMAP_PAGES * PGSIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (*base == MAP_FAILED)
			return false;
	}
	memset(*base, UNMAP_PATTERN, UNMAP_PAGES * PGSIZE);
	return true;
}

/* Take the pages at base away and put fresh (zero) memory there; false if refused. */
static bool
unmap_and_replace(enum unmap_way way, char *base)
{
	long n = UNMAP_PAGES * PGSIZE;
	int anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

	if (way == BY_SBRK)
		return sbrk(-n) != (void *)-1 && sbrk(n) == base;
	if (way == BY_MUNMAP && munmap(base, n) < 0)
		return false;
	return mmap(base, n, PROT_READ | PROT_WRITE, anon, -1, 0) == base;       /* a new mapping there */
}

/* The unmapper's side of a round: it never returns. */
static void __attribute__((noreturn))
unmapper(struct rng *r, enum unmap_way way)
{
	static const char *const way_name[] = { "sbrk(-n)", "munmap", "MAP_FIXED" };
	char c, *base;

	/* nothing after the wait may break a copy-on-write sharing (execer, t_exec_migrate.c) */
	own_pages(__tls_base, (size_t)(__bss_end - __tls_base));
	own_stack();
	if (!unmap_setup(way, &base))
		leave(FAMILY_FAILED);
	spin_us(1000 + rng_below(r, 1500));
	uint64_t first = 0;
	long words = UNMAP_PAGES * WORDS_PER_PAGE;
	for (long i = 0; i < words; i += WORDS_PER_PAGE / 4)
		first |= ((volatile uint64_t *)base)[i] ^ 0x5a5a5a5a5a5a5a5aUL;
	if (read(to_parent[0], &c, 1) != 1)
		report("read of the family's signal failed");
	if (first || !unmap_and_replace(way, base))
		leave(FAMILY_FAILED);
	int ticks = 2 + (int)rng_below(r, 3);
	long bad = 0;
	/* no touch before the first sleep: as in exec_fresh_resume (t_exec_migrate.c) */
	for (int k = ticks; k > 0; k--) {
		next_tick(r);
		bad += nonzero_words((const volatile uint64_t *)base, words, &first);
	}
	counts.words_checked += (uint64_t)words * (uint64_t)ticks;
	if (bad)
		report("%s: %ld words of fresh pages at %p were not zero, the first %#lx: "
		       "the old pages', through a stale translation", way_name[way], bad,
		       (void *)base, (unsigned long)first);
	leave(bad ? EXIT_FOUND_ERROR : 0);
}

static void
unmap_child(struct rng *r, int round)
{
	unmapper(r, (enum unmap_way)(round % UNMAP_WAYS));
}

static void __attribute__((noreturn))
unmap_family(uint64_t seed, int rounds)
{
	leave(staged_rounds(seed, rounds, unmap_child));
}

/* The three ways in turn. */
void
unmap_migrate(void)
{
	staged_test("unmap_migrate", 3, unmap_family);
}
