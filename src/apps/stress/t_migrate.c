/*
 * cow_migrate: copy-on-write breaks while a process moves between harts.
 *
 * A stale translation needs a process that reads a shared page on one
 * hart (which caches the read-only translation), writes it on another
 * (its entry now points at a copy), and reads it again on the first,
 * which has run nothing else meanwhile, so nothing flushed it.  Each round
 * stages that with two processes and nothing else running:
 *
 *   right after the fork, the parent spins a little on its hart A (so the
 *   child starts on another hart B, not on A), reads every page (A caches
 *   them) and blocks on a pipe; A goes idle, keeping the parent's table;
 *   the child, spinning on B, writes the pipe, then blocks on a second one
 *   (B, looking for work, takes the parent) or spins on (the wakeup kicks
 *   the lowest idle hart, A or the third one);
 *   the parent writes every page: each write a copy-on-write copy, since
 *   the child still shares them all;
 *   it sleeps to the next tick 2 to 4 times, reading every page each time
 *   it wakes: on the tick hart or the one it kicks, often A, whose
 *   translations of the shared originals nobody flushed;
 *   it wakes the child, which checks its own pages (the originals),
 *   writes and reads them, and exits.
 *
 * The parent's sleeps and returns make no user copy: a system call that
 * copies (on this QEMU, any change of sstatus.SUM) flushes the TLB of the
 * hart it runs on, as loading another process's table does.  A word read
 * through a stale translation is the parent's previous generation (the
 * shared original) or, once the original is freed and reused, anything;
 * the model says which.  The model itself (reg) is made the parent's own
 * right after the fork (own_pages), or it would go stale with the data and
 * agree with it.  Rounds run in short families, each a new process, so
 * that placements on harts vary.  About one round in ten reads stale words
 * on the kernel without the fix (three harts, 2-core host).
 */
#include <fcntl.h>
#include "stress.h"

enum {
	MIGRATE_PAGES = 32,
	FAMILY_FAILED = 255,
};

static struct region reg;
static int to_parent[2], to_child[2];

/* Sleep to the next tick, sometimes after a short spin. */
static void
next_tick(struct rng *r)
{
	if (rng_below(r, 3) == 0)
		spin_us(rng_below(r, 2000));
	sleep_ticks(1);
}

/* The parent's side of a round; false if a word read was wrong. */
static bool
mover(struct rng *r)
{
	char c;

	spin_us(1000 + rng_below(r, 1500));
	bool ok = region_check_all(&reg);

	if (read(to_parent[0], &c, 1) != 1)
		return report("read of the child's signal failed");
	region_write_all(&reg);
	for (int k = 2 + (int)rng_below(r, 3); k > 0; k--) {
		next_tick(r);
		ok &= region_check_all(&reg);
	}
	if (write(to_child[1], &c, 1) != 1)
		return report("write of the parent's signal failed");
	return ok;
}

/* The child's side: hold the pages until the parent is done. */
static bool
holder(struct rng *r)
{
	char c = 'g';

	spin_us(3000 + rng_below(r, 2000));
	if (write(to_parent[1], &c, 1) != 1)
		return report("signal through the pipes failed");
	if (rng_below(r, 2))
		spin_us(500 + rng_below(r, 2500));
	if (read(to_child[0], &c, 1) != 1)
		return report("signal through the pipes failed");
	bool ok = region_check_all(&reg);
	region_write_all(&reg);
	return region_check_all(&reg) && ok;
}

static void
close_pipes(void)
{
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
}

/* A round's pipes and its new child: fork's result (the family leaves on failure). */
static int
round_start(int round)
{
	if (pipe(to_parent) < 0 || pipe(to_child) < 0) {
		report("round %d: pipe failed", round);
		leave(FAMILY_FAILED);
	}
	int pid = fork();
	if (pid < 0) {
		report("round %d: fork failed", round);
		leave(FAMILY_FAILED);
	}
	return pid;
}

/* Wait for the round's child: did it find nothing wrong? */
static bool
round_end(int round, int pid)
{
	int status;

	if (wait(&status) != pid) {
		report("round %d: wait did not return child %d", round, pid);
		leave(FAMILY_FAILED);
	}
	if (status != 0 && status != EXIT_FOUND_ERROR)
		report("round %d: child %d exited with %d", round, pid, status);
	return status == 0;
}

/* One round with a new child; false if anything read was wrong. */
static bool
round_with_child(struct rng *r, int round)
{
	uint64_t child_seed = rng_next(r);
	int pid = round_start(round);

	own_pages(&reg, sizeof(reg));
	if (pid == 0) {
		model_start_process();
		rng_seed(r, child_seed);
		leave(holder(r) ? 0 : EXIT_FOUND_ERROR);
	}
	bool ok = mover(r);
	close_pipes();
	return round_end(round, pid) && ok;
}

/*
 * One family: a parent that holds the pages and plays `rounds` rounds,
 * each with a new child.  Exits with the number of rounds that read a
 * wrong word (FAMILY_FAILED if it could not go on).
 */
static void __attribute__((noreturn))
family(uint64_t seed, int rounds)
{
	struct rng r;
	int bad_rounds = 0;

	rng_seed(&r, seed);
	model_start_process();
	region_start(&reg);
	if (!region_grow(&reg, MIGRATE_PAGES)) {
		report("sbrk of %d pages failed", MIGRATE_PAGES);
		leave(FAMILY_FAILED);
	}
	region_write_all(&reg);
	for (int round = 0; round < rounds; round++)
		bad_rounds += !round_with_child(&r, round);
	leave(bad_rounds);
}

/* What a test's families did. */
struct tally {
	int rounds, bad_rounds, families, bad_families, errors;
	struct counts total;
};

/*
 * Families of 4 to 12 rounds, one after another, until `want` rounds: each
 * a process running family(seed, rounds), which exits with the number of
 * rounds that read a wrong word.  The report channel is open meanwhile.
 */
static struct tally
run_families(uint64_t seed, int want, void (*family)(uint64_t seed, int rounds))
{
	struct rng r;
	struct tally t = { 0 };

	channel_open();
	rng_seed(&r, seed);
	while (t.rounds < want) {
		int len = 4 + (int)rng_below(&r, 9);
		uint64_t family_seed = rng_next(&r);
		int pid = fork();
		expect(pid >= 0, "fork of a family failed");
		if (pid == 0) {
			channel_drop_reader();
			family(family_seed, len);
		}
		int status = wait_for(pid);
		if (status < 0 || status > len)
			report("family %d exited with %d", pid, status);
		else
			t.bad_rounds += status;
		t.bad_families += status != 0;
		t.families++;
		t.rounds += len;
	}
	t.errors = channel_close(&t.total);
	return t;
}

static void
expect_clean(const struct tally *t)
{
	expect(t->errors == 0 && t->bad_families == 0,
	       "seed %lu: %d of %d rounds read a word a page must not hold (%d errors reported)",
	       (unsigned long)opt.seed, t->bad_rounds, t->rounds, t->errors);
}

/* iters rounds in all. */
static void
cow_migrate(void)
{
	struct sysinfo before = info();
	uint64_t t0 = uptime_ns();
	struct tally t = run_families(opt.seed * 0x9e3779b97f4a7c15UL + 1, opt.iters, family);
	struct sysinfo after = info();

	printf("  cow_migrate: seed %lu: %d rounds in %d families, %d rounds (in %d families) "
	       "read wrong words; %lu words checked, %lu copy-on-write copies, %lu ms\n",
	       (unsigned long)opt.seed, t.rounds, t.families, t.bad_rounds, t.bad_families,
	       (unsigned long)t.total.words_checked,
	       (unsigned long)(after.cow_copies - before.cow_copies),
	       (unsigned long)((uptime_ns() - t0) / 1000000));
	expect_clean(&t);
}

/*
 * exec_migrate: exec while the process's old translations may sit on
 * another hart.  Exec moves the new image into the root page the process
 * already has (vm/mm.c, mm_take_root), so a hart that still holds that
 * table loaded must be marked and flush before it runs the new image, or
 * the new program reads the old one's pages through its translations.
 * Each round stages it as cow_migrate does:
 *
 *   the execer, a new child, writes EXEC_PAGES heap pages and reads them
 *   on its hart A (which caches them), then blocks on a pipe: A goes idle
 *   with the table still loaded;
 *   the family process, spinning on another hart, writes the pipe, then
 *   spins on or blocks, so the execer often wakes on a hart other than A
 *   and execs there (stress --exec-fresh);
 *   the new image grows its break over the same addresses and reads them
 *   (they must read zero) after each of 2 to 4 sleeps to the next tick,
 *   often on A; a word of the old image there is an error.
 */
enum { EXEC_PAGES = 16 };

extern char __tls_base[], __bss_end[];  /* our data and bss (src/ulib/user.ld) */

/* Store to the stack pages a round's exec will use, below this frame. */
static void __attribute__((noinline))
own_stack(void)
{
	volatile char pad[8192];

	for (unsigned i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

/* The execer's side of a round: it never returns. */
static void __attribute__((noreturn))
execer(struct rng *r)
{
	char c, a_base[24], a_ticks[12], a_report[12], a_done[12], a_seed[24], a_pages[12];

	/*
	 * Our data, bss and stack are shared copy-on-write with the family:
	 * copy them now, so that nothing after the wait below breaks a
	 * sharing (which marks the other harts for its own reasons) and the
	 * exec is the only change to our table that they must see.
	 */
	own_pages(__tls_base, (size_t)(__bss_end - __tls_base));
	own_stack();
	model_start_process();
	region_start(&reg);
	if (!region_grow(&reg, EXEC_PAGES))
		leave(FAMILY_FAILED);
	region_write_all(&reg);
	spin_us(1000 + rng_below(r, 1500));
	bool ok = region_check_all(&reg);
	if (read(to_parent[0], &c, 1) != 1)
		report("read of the family's signal failed");
	snprintf(a_base, sizeof(a_base), "%lu", (unsigned long)(uintptr_t)reg.base);
	snprintf(a_pages, sizeof(a_pages), "%d", reg.npages);
	snprintf(a_ticks, sizeof(a_ticks), "%d", 2 + (int)rng_below(r, 3));
	snprintf(a_report, sizeof(a_report), "%d", opt.report_fd);
	snprintf(a_done, sizeof(a_done), "%d", to_child[1]);
	snprintf(a_seed, sizeof(a_seed), "%lu", (unsigned long)rng_next(r));
	char *argv[] = { "stress", "--exec-fresh", a_base, a_pages, a_ticks, a_report, a_done,
			 a_seed, NULL };
	if (!ok)
		leave(EXIT_FOUND_ERROR);
	counts_send();
	exec("stress", argv);
	report("exec of stress --exec-fresh failed");
	leave(FAMILY_FAILED);
}

/*
 * Words of [p, p + n) that are not zero; the first such value in *first.
 * No model in memory: the new image's data, bss and stack lie where the
 * old image's did, and a model read through the same stale translations
 * as the pages would agree with them.
 */
static long
nonzero_words(const volatile uint64_t *p, long n, uint64_t *first)
{
	long bad = 0;

	for (long i = 0; i < n; i++) {
		uint64_t v = p[i];
		if (v && bad++ == 0)
			*first = v;
	}
	return bad;
}

/*
 * stress --exec-fresh BASE PAGES TICKS REPORT_FD DONE_FD SEED: the new
 * image.  PAGES pages from BASE (above its own heap's start) must read
 * zero after each of TICKS sleeps; then a byte to DONE_FD.
 */
int
exec_fresh_resume(int argc, char *argv[])
{
	if (argc != 8)
		return 2;
	opt.report_fd = atoi(argv[5]);
	model_start_process();
	struct rng r;
	rng_seed(&r, strtoull(argv[7], NULL, 10));
	const volatile uint64_t *base = (const uint64_t *)(uintptr_t)strtoull(argv[2], NULL, 10);
	long words = atol(argv[3]) * WORDS_PER_PAGE, bad = 0;
	char *end = (char *)(base + words), *brk = sbrk(0);
	if (words < 1 || (char *)base < brk || sbrk(end - brk) != brk) {
		report("exec: the new break %p is past %p, or cannot reach %p", brk, (void *)base,
		       end);
		leave(EXIT_FOUND_ERROR);
	}
	/*
	 * No touch before the first sleep: the old image's pages were just
	 * freed to this hart's cache, and faults here would take them back
	 * (zeroed) before a stale translation elsewhere could show their words.
	 */
	uint64_t first = 0;
	for (int k = atoi(argv[4]); k > 0; k--) {
		next_tick(&r);
		bad += nonzero_words(base, words, &first);
	}
	counts.words_checked += (uint64_t)words * (uint64_t)atoi(argv[4]);
	if (bad)
		report("exec: %ld words of fresh pages at %p were not zero, the first %#lx: "
		       "the old image's, through a stale translation", bad, (void *)base,
		       (unsigned long)first);
	char c = 'd';
	if (write(atoi(argv[6]), &c, 1) != 1)
		report("write of the done signal failed");
	leave(bad ? EXIT_FOUND_ERROR : 0);
}

/*
 * A staged round's child: it runs on the hart it starts on, blocks reading
 * to_parent, and does its part once woken (often on another hart); it
 * never returns.
 */
typedef void (*staged_child)(struct rng *r, int round);

/*
 * One staged round with a new child; false if it found a wrong word.  The
 * family spins on its own hart while the child settles on another, writes
 * to_parent, then spins on or blocks until the child exits (its end of
 * to_child closes), so that the child often wakes on a hart other than its
 * first.
 */
static bool
staged_round(struct rng *r, int round, staged_child child)
{
	char c = 'g';
	uint64_t child_seed = rng_next(r);
	int pid = round_start(round);

	if (pid == 0) {
		rng_seed(r, child_seed);
		close(to_parent[1]);
		close(to_child[0]);
		child(r, round);
	}
	close(to_parent[0]);
	close(to_child[1]);
	spin_us(3000 + rng_below(r, 2000));
	if (write(to_parent[1], &c, 1) != 1)
		report("round %d: signal through the pipes failed", round);
	if (rng_below(r, 2))
		spin_us(500 + rng_below(r, 2500));
	(void)read(to_child[0], &c, 1);
	close(to_parent[1]);
	close(to_child[0]);
	return round_end(round, pid);
}

/* rounds staged rounds of child, one after another: how many found a wrong word. */
static int
staged_rounds(uint64_t seed, int rounds, staged_child child)
{
	struct rng r;
	int bad_rounds = 0;

	rng_seed(&r, seed);
	model_start_process();
	for (int round = 0; round < rounds; round++)
		bad_rounds += !staged_round(&r, round, child);
	return bad_rounds;
}

/* A staged test: iters/2 rounds in families, reported as name. */
static void
staged_test(const char *name, uint64_t salt, void (*family)(uint64_t seed, int rounds))
{
	uint64_t t0 = uptime_ns();
	struct tally t = run_families(opt.seed * 0x9e3779b97f4a7c15UL + salt, (opt.iters + 1) / 2,
				      family);

	printf("  %s: seed %lu: %d rounds in %d families, %d rounds (in %d families) found a "
	       "wrong word or bit; %lu words checked, %lu pages written, %lu ms\n", name,
	       (unsigned long)opt.seed, t.rounds, t.families, t.bad_rounds, t.bad_families,
	       (unsigned long)t.total.words_checked, (unsigned long)t.total.pages_written,
	       (unsigned long)((uptime_ns() - t0) / 1000000));
	expect_clean(&t);
}

static void
exec_child(struct rng *r, int round)
{
	(void)round;
	execer(r);
}

static void __attribute__((noreturn))
exec_family(uint64_t seed, int rounds)
{
	leave(staged_rounds(seed, rounds, exec_child));
}

static void
exec_migrate(void)
{
	staged_test("exec_migrate", 2, exec_family);
}

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

	/* nothing after the wait may break a copy-on-write sharing (see execer) */
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
	/* no touch before the first sleep: as in exec_fresh_resume */
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
static void
unmap_migrate(void)
{
	staged_test("unmap_migrate", 3, unmap_family);
}

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
static void
bits_migrate(void)
{
	staged_test("bits_migrate", 4, bits_family);
}

const struct test tests_migrate[] = {
	{ "cow_migrate", cow_migrate },
	{ "exec_migrate", exec_migrate },
	{ "unmap_migrate", unmap_migrate },
	{ "bits_migrate", bits_migrate },
	{ NULL, NULL },
};
