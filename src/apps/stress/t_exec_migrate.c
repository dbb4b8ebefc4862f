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
#include "stress.h"

enum { EXEC_PAGES = 16 };

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

void
exec_migrate(void)
{
	staged_test("exec_migrate", 2, exec_family);
}
