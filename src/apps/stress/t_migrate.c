/*
 * What the *_migrate tests (t_cow_migrate.c, t_exec_migrate.c,
 * t_unmap_migrate.c, t_bits_migrate.c) share: a round forks a child and
 * stages, through two pipes, one process's translations cached on one
 * hart while it moves to another; rounds run in short families, each a
 * new process, so that placements on harts vary; a test runs families
 * until it has its rounds and counts those that read a wrong word.
 * cow_migrate plays its rounds its own way; the others are staged rounds
 * (staged_round), which differ only in their child.
 */
#include "stress.h"

struct region reg;
int to_parent[2], to_child[2];

/* Sleep to the next tick, sometimes after a short spin. */
void
next_tick(struct rng *r)
{
	if (rng_below(r, 3) == 0)
		spin_us(rng_below(r, 2000));
	sleep_ticks(1);
}

/* A round's pipes and its new child: fork's result (the family leaves on failure). */
int
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
bool
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

/*
 * Families of 4 to 12 rounds, one after another, until `want` rounds: each
 * a process running family(seed, rounds), which exits with the number of
 * rounds that read a wrong word.  The report channel is open meanwhile.
 */
struct tally
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

void
expect_clean(const struct tally *t)
{
	expect(t->errors == 0 && t->bad_families == 0,
	       "seed %lu: %d of %d rounds read a word a page must not hold (%d errors reported)",
	       (unsigned long)opt.seed, t->bad_rounds, t->rounds, t->errors);
}

/* Store to the stack pages a round's exec will use, below this frame. */
void __attribute__((noinline))
own_stack(void)
{
	volatile char pad[8192];

	for (unsigned i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

/*
 * Words of [p, p + n) that are not zero; the first such value in *first.
 * No model in memory: the new image's data, bss and stack lie where the
 * old image's did, and a model read through the same stale translations
 * as the pages would agree with them.
 */
long
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
int
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
void
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

const struct test tests_migrate[] = {
	{ "cow_migrate", cow_migrate },
	{ "exec_migrate", exec_migrate },
	{ "unmap_migrate", unmap_migrate },
	{ "bits_migrate", bits_migrate },
	{ NULL, NULL },
};
