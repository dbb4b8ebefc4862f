/*
 * bits_migrate: the dirty and accessed bits, cleared by msync and by
 * pgaccess while the process's translations may sit on another hart.  A
 * hart's cached translation carries the bits it was filled with: one that
 * says dirty lets a store through without setting D in the entry again,
 * one that says accessed lets any access through without setting A.  So
 * a hart left unmarked loses a write (msync and munmap write back only
 * dirty pages) or an access (pgaccess reports the page untouched).  Each
 * round stages it as unmap_migrate does: the child writes BITS_PAGES pages
 * (a shared mapping of a file, or its heap) on hart A and blocks; woken,
 * often elsewhere, it clears the bits there (msync, or pgaccess), sleeps
 * to the next tick (often waking on A) and writes every page again, 2
 * to 4 times: each time every page's entry must be dirty (pgpte), or
 * pgaccess must report every page, and the bits are cleared again.  The
 * file is empty: msync cleans the pages past its end and writes nothing,
 * so it is over long before A gives up the table (a disk write would take
 * longer).  The msync rounds need a file system (/tmp).
 */
#include <fcntl.h>
#include "stress.h"

enum { BITS_PAGES = 16 };
enum bits_way { BY_MSYNC, BY_PGACCESS, BITS_WAYS };

static char bits_file[32];

/* The word page i holds after write number gen of a round. */
static uint64_t
bits_word(int gen, int i)
{
	return 0xb175000000000000UL | (uint64_t)gen << 16 | (uint64_t)i;
}

static void
bits_write_all(volatile uint64_t *p, int gen)
{
	for (int i = 0; i < BITS_PAGES; i++)
		p[i * WORDS_PER_PAGE] = bits_word(gen, i);
}

/* The pages the round touches: a shared mapping of bits_file, or the heap. */
static volatile uint64_t *
bits_setup(enum bits_way way)
{
	if (way == BY_PGACCESS) {
		region_start(&reg);
		return region_grow(&reg, BITS_PAGES) ? (volatile uint64_t *)reg.base : NULL;
	}
	int fd = open(bits_file, O_RDWR);
	void *p = fd < 0 ? MAP_FAILED : mmap(NULL, BITS_PAGES * PGSIZE, PROT_READ | PROT_WRITE,
					     MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* Pages of p whose entry is not dirty (pgpte: no copy, so no flush). */
static int
bits_not_dirty(volatile uint64_t *p)
{
	int clean = 0;

	for (int i = 0; i < BITS_PAGES; i++)
		clean += !(pgpte((const void *)&p[i * WORDS_PER_PAGE]) & 0x80 /* D */);
	return clean;
}

/*
 * Pages written since the bits were last cleared whose bit is not set, and
 * clear them again (msync cleans the pages, pgaccess reports and clears);
 * -1 if the call failed.
 */
static int
bits_missing_then_clear(enum bits_way way, volatile uint64_t *p)
{
	uint64_t mask = 0;

	if (way == BY_MSYNC) {
		int clean = bits_not_dirty(p);
		return msync((void *)p, BITS_PAGES * PGSIZE, MS_SYNC) == 0 ? clean : -1;
	}
	if (pgaccess((void *)p, BITS_PAGES, &mask) < 0)
		return -1;
	return BITS_PAGES - __builtin_popcountl(mask);
}

/* The child's side of a round: it never returns. */
static void __attribute__((noreturn))
bits_toucher(struct rng *r, enum bits_way way)
{
	char c;
	int missing = 0, ticks = 2 + (int)rng_below(r, 3);

	own_pages(__tls_base, (size_t)(__bss_end - __tls_base));
	own_stack();
	volatile uint64_t *p = bits_setup(way);
	if (!p)
		leave(FAMILY_FAILED);
	bits_write_all(p, 1);
	if (bits_missing_then_clear(way, p) < 0)
		leave(FAMILY_FAILED);
	spin_us(1000 + rng_below(r, 1500));
	bits_write_all(p, 2);           /* hart A caches dirty, accessed translations */
	if (read(to_parent[0], &c, 1) != 1)
		report("read of the family's signal failed");
	if (bits_missing_then_clear(way, p) < 0)
		leave(FAMILY_FAILED);
	/* each time: a new chance to run on A, whose translations say the bit is set */
	for (int k = 3; k < 3 + ticks && missing == 0; k++) {
		next_tick(r);
		bits_write_all(p, k);
		if ((missing = bits_missing_then_clear(way, p)) < 0)
			leave(FAMILY_FAILED);
	}
	counts.pages_written += (uint64_t)(2 + ticks) * BITS_PAGES;
	if (missing && way == BY_MSYNC)
		report("msync: %d of %d pages written since msync are not dirty, so msync "
		       "would not write them: a hart kept a translation that was dirty before",
		       missing, BITS_PAGES);
	else if (missing)
		report("pgaccess: %d of %d pages written since the last report read as "
		       "untouched: a hart kept a translation that was accessed before", missing,
		       BITS_PAGES);
	leave(missing ? EXIT_FOUND_ERROR : 0);
}

static bool bits_have_file;

static void
bits_child(struct rng *r, int round)
{
	bits_toucher(r, bits_have_file ? (enum bits_way)(round % BITS_WAYS) : BY_PGACCESS);
}

static void __attribute__((noreturn))
bits_family(uint64_t seed, int rounds)
{
	snprintf(bits_file, sizeof(bits_file), "/tmp/stress-bits%d", getpid());
	int fd = open(bits_file, O_CREAT | O_TRUNC | O_RDWR);
	bits_have_file = fd >= 0;
	close(fd);
	int bad_rounds = staged_rounds(seed, rounds, bits_child);
	unlink(bits_file);
	leave(bad_rounds);
}

/* msync and pgaccess in turn (pgaccess only, without /tmp). */
void
bits_migrate(void)
{
	staged_test("bits_migrate", 4, bits_family);
}
