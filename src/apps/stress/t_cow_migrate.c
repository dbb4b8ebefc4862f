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
#include "stress.h"

enum { MIGRATE_PAGES = 32 };

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

/* iters rounds in all. */
void
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
