/*
 * oom_storm: copy-on-write of superpages runs the machine out of memory,
 * on every hart at once.
 *
 * STORM_ROOTS roots run side by side.  Each maps a 16 MiB heap of
 * superpages (eager sbrk), stamps every page, forks STORM_CHILDREN
 * children and lets them go together.  Each child writes a seeded random
 * third of the pages in a random order (every write a copy-on-write break:
 * the superpage is split, 4 KiB copied), holds them 50 to 150 ms, and then
 * checks every page: its
 * own stamp where it wrote, the root's elsewhere.  A root kills one of its
 * children at a random moment of the storm, racing the breaks and the
 * out-of-memory kills.  The sum is several times the memory there is, so
 * the out-of-memory policy must kill, and the allocator must fail cleanly
 * (never spin) on every hart while pages move between the harts' lists.
 *
 * Passes if nobody saw a wrong word, memory did run out (some process was
 * killed beyond the roots' own kills), at least one child finished, and
 * (main.c) every page is back once the storm is over.
 */
#include <signal.h>
#include "stress.h"

enum {
	STORM_ROOTS = 3,
	STORM_CHILDREN = 14,
	STORM_PAGES = 4096,             /* 16 MiB: eight superpages */
};

#define SUPER   (2UL << 20)

/* The word a page holds: who wrote it (pid) and which page it is. */
static uint64_t
stamp(int pid, long page)
{
	return (uint64_t)pid << 32 | (uint64_t)page;
}

/* A child: write a random third of the pages, then check them all; never returns. */
static void
storm_child(uint64_t *heap, int root_pid, uint64_t seed, int go)
{
	static uint8_t mine[STORM_PAGES];       /* written by us (a private copy after fork) */
	struct rng r;
	char c;

	channel_start_process();
	rng_seed(&r, seed);
	if (read(go, &c, 1) != 0)
		leave(EXIT_FOUND_ERROR);
	int pid = getpid();
	long start = (long)rng_below(&r, STORM_PAGES);
	for (long k = 0; k < STORM_PAGES / 3; k++) {
		long page = (start + 3 * k) % STORM_PAGES;
		heap[page * (PGSIZE / 8)] = stamp(pid, page);
		mine[page] = 1;
		counts.pages_written++;
	}
	/* hold the copies while the others make theirs: long enough that they
	 * overlap even where the children start one after another */
	sleep_ticks(5 + rng_below(&r, 10));
	for (long page = 0; page < STORM_PAGES; page++) {
		uint64_t want = stamp(mine[page] ? pid : root_pid, page);
		uint64_t got = heap[page * (PGSIZE / 8)];
		if (got != want) {
			report("storm: page %ld of %p holds %lx, want %lx", page, (void *)heap,
			       (unsigned long)got, (unsigned long)want);
			break;
		}
		counts.words_checked++;
	}
	leave(errors_seen() ? EXIT_FOUND_ERROR : 0);
}

/* A root: heap, children, one kill; exits 0, or 1 if no child finished. */
static void
storm_root(uint64_t seed)
{
	struct rng r;
	int go[2], pids[STORM_CHILDREN], forked = 0;

	channel_start_process();
	rng_seed(&r, seed);
	char *brk = sbrk(0);
	uint64_t *heap = (uint64_t *)(((uintptr_t)brk + SUPER - 1) & ~(SUPER - 1));
	if (__sys_sbrk((long)((char *)heap - brk) + STORM_PAGES * PGSIZE, SBRK_EAGER) == -1)
		leave(0);               /* memory is short already: the other roots storm */
	int me = getpid();
	for (long page = 0; page < STORM_PAGES; page++)
		heap[page * (PGSIZE / 8)] = stamp(me, page);
	if (pipe(go) != 0)
		leave(EXIT_FOUND_ERROR);
	for (; forked < STORM_CHILDREN; forked++) {
		uint64_t child_seed = rng_next(&r);
		int pid = fork();
		if (pid == 0) {
			close(go[1]);
			storm_child(heap, me, child_seed, go[0]);
		}
		if (pid < 0)
			break;          /* fork itself found no memory: storm with what we have */
		pids[forked] = pid;
		counts.forks++;
	}
	close(go[0]);
	close(go[1]);           /* the children go */
	if (forked > 0) {
		spin_us(rng_below(&r, 20000));
		if (kill(pids[rng_below(&r, forked)], SIGKILL) == 0)
			counts.kills++;
	}
	int finished = 0;
	for (int i = 0; i < forked; i++) {
		int st;
		if (wait(&st) <= 0)
			break;
		finished += st == 0;
		counts.deaths += st == -1;
	}
	leave(finished > 0 || forked == 0 ? 0 : 1);
}

static void
oom_storm(void)
{
	int roots[STORM_ROOTS];

	channel_open();
	struct sysinfo before = info();
	for (int i = 0; i < STORM_ROOTS; i++) {
		roots[i] = fork();
		expect(roots[i] >= 0, "fork of storm root %d failed", i);
		if (roots[i] == 0) {
			channel_drop_reader();
			storm_root(opt.seed * 0x9e3779b97f4a7c15UL + 2000 + (uint64_t)i);
		}
	}
	int killed_roots = 0, starved_roots = 0;
	for (int i = 0; i < STORM_ROOTS; i++) {
		int st = wait_for(roots[i]);
		killed_roots += st == -1;
		starved_roots += st == 1;
	}
	struct counts c;
	int errors = channel_close(&c);
	struct sysinfo after = info();
	uint64_t cow = after.cow_copies - before.cow_copies;
	bool ran_out = c.deaths > c.kills || killed_roots > 0;    /* the kernel killed someone */
	printf("  oom_storm: seed %lu: %d roots, %lu children (%lu killed, %lu of them by their "
	       "root), %lu pages written, %lu words checked, %lu copy-on-write copies, %d roots "
	       "killed, %d roots with no child finished\n", (unsigned long)opt.seed, STORM_ROOTS,
	       (unsigned long)c.forks, (unsigned long)c.deaths, (unsigned long)c.kills,
	       (unsigned long)c.pages_written, (unsigned long)c.words_checked,
	       (unsigned long)cow, killed_roots, starved_roots);
	expect(errors == 0, "%d wrong words seen", errors);
	if (after.design & DESIGN_COW)
		expect(ran_out, "memory never ran out: no storm");
	else
		expect(c.deaths <= c.kills && killed_roots == 0,      /* ours may hit the exited */
		       "strict memory: the kernel killed a process");
}

const struct test tests_storm[] = {
	{ "oom_storm", oom_storm },
	{ NULL, NULL },
};
