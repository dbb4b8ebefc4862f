/*
 * The randomised test: a tree of processes that fork, write and check
 * their heap, sbrk up and down, exec and exit in a mix drawn from a
 * seeded generator, for a fixed number of steps.  Each process keeps a
 * model of its heap (one word per page, at a page-dependent offset) and
 * checks the real heap against it, so any sharing that leaks a write
 * between processes, or a page that comes back non-zero, is caught.  At
 * the end every process waits for its children; the runner then checks
 * the free-page count is back where it started.
 */
#include "vmtest.h"

enum {
	MAX_PAGES = 48,         /* heap pages a worker holds at most */
	MAX_DEPTH = 3,          /* fork generations below the first worker */
	MAX_KIDS = 3,           /* children alive per worker */
	ROOT_STEPS = 600,
};

#define SLOT(base, i) (((volatile uint64_t *)((base) + (long)(i) * PGSIZE))[((i) * 37 + 5) % 512])

static struct worker {
	uint64_t rng;
	char *base;             /* page-aligned start of our heap area */
	int npages;
	uint64_t model[MAX_PAGES];
	int kids;
	int depth;
	int steps;
	int bad;                /* why we will exit non-zero (0: fine) */
} w;

static uint64_t
next(void)
{
	/* xorshift64* */
	w.rng ^= w.rng >> 12;
	w.rng ^= w.rng << 25;
	w.rng ^= w.rng >> 27;
	return w.rng * 0x2545f4914f6cdd1dUL;
}

static void
start_heap(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	sbrk((PGSIZE - brk % PGSIZE) % PGSIZE);
	w.base = sbrk(0);
	w.npages = 0;
}

static void
check_page(int i)
{
	if (!w.bad && SLOT(w.base, i) != w.model[i]) {
		printf("  random: pid %d page %d holds %#lx, want %#lx\n", getpid(), i,
		       (unsigned long)SLOT(w.base, i), (unsigned long)w.model[i]);
		w.bad = 3;
	}
}

static void
grow(int k)
{
	if (w.npages + k > MAX_PAGES)
		k = MAX_PAGES - w.npages;
	if (k <= 0)
		return;
	if (sbrk(k * PGSIZE) == (void *)-1) {
		printf("  random: pid %d: sbrk(+%d pages) failed\n", getpid(), k);
		w.bad = 4;
		return;
	}
	for (int i = w.npages; i < w.npages + k; i++) {
		w.model[i] = 0;
		check_page(i);          /* new pages read as zero */
	}
	w.npages += k;
}

static void
shrink(int k)
{
	if (k > w.npages)
		k = w.npages;
	if (sbrk(-k * PGSIZE) == (void *)-1) {
		w.bad = 5;
		return;
	}
	w.npages -= k;
}

static void
reap_one(void)
{
	int st, pid = wait(&st);
	if (pid < 0) {
		printf("  random: pid %d: wait failed with %d children\n", getpid(), w.kids);
		w.bad = 9;
		w.kids = 0;
		return;
	}
	w.kids--;
	if (st != 0 && !w.bad) {
		printf("  random: pid %d: child %d exited with %d\n", getpid(), pid, st);
		w.bad = 6;
	}
}

static void
become_child(void)
{
	w.depth++;
	w.kids = 0;
	w.steps /= 2;
	w.rng ^= (uint64_t)getpid() * 0x9e3779b97f4a7c15UL;
}

static void
exec_self(void)
{
	char seed[24], steps[12], depth[12], kids[12];
	snprintf(seed, sizeof(seed), "%lu", (unsigned long)next());
	snprintf(steps, sizeof(steps), "%d", w.steps);
	snprintf(depth, sizeof(depth), "%d", w.depth);
	snprintf(kids, sizeof(kids), "%d", w.kids);
	char *argv[] = { "vmtest", "--rand-worker", seed, steps, depth, kids, NULL };
	exec("vmtest", argv);
	printf("  random: pid %d: exec failed\n", getpid());
	w.bad = 7;
}

/*
 * One worker: `steps` random operations, then wait for every child (kids
 * of them are alive already, when we were exec'd).  The first worker
 * (depth 0) returns its verdict; the others exit with it.
 */
int
random_worker(uint64_t seed, int steps, int depth, int kids)
{
	w.rng = seed ? seed : 1;
	w.steps = steps;
	w.depth = depth;
	w.kids = kids;
	w.bad = 0;
	start_heap();
	while (w.steps > 0 && !w.bad) {
		w.steps--;
		uint64_t r = next() % 100;
		int i = w.npages ? (int)(next() % w.npages) : 0;
		if (r < 30 && w.npages) {
			w.model[i] = next();
			SLOT(w.base, i) = w.model[i];
		} else if (r < 45 && w.npages) {
			check_page(i);
		} else if (r < 58) {
			grow(1 + (int)(next() % 12));
		} else if (r < 68) {
			shrink((int)(next() % (w.npages + 1)));
		} else if (r < 80) {
			if (w.depth >= MAX_DEPTH || w.kids >= MAX_KIDS)
				continue;
			int pid = fork();
			if (pid == 0)
				become_child();
			else if (pid > 0)
				w.kids++;
			/* a fork refused for lack of slots or memory is fine */
		} else if (r < 88) {
			if (w.kids)
				reap_one();
		} else if (r < 92) {
			if (w.depth > 0)
				exec_self();    /* children we had are still ours after exec */
		} else if (r < 95) {
			if (w.depth > 0)
				break;          /* exit early */
		} else {
			if ((char *)sbrk(0) != w.base + (long)w.npages * PGSIZE)
				w.bad = 8;
		}
	}
	for (int i = 0; i < w.npages; i++)
		check_page(i);
	while (w.kids > 0)
		reap_one();
	if (w.depth > 0)
		exit(w.bad);
	return w.bad;
}

static void
random_mix(void)
{
	struct sysinfo before = info();
	int st = random_worker(random_seed, ROOT_STEPS, 0, 0);
	struct sysinfo after = info();
	int probe = fork();
	if (probe == 0)
		exit(0);
	wait_for(probe);
	printf("  random_mix: seed %lu: %d processes, %lu faults, %lu copy-on-write copies\n",
	       (unsigned long)random_seed, probe - getpid() - 1,
	       (unsigned long)(after.page_faults - before.page_faults),
	       (unsigned long)(after.cow_copies - before.cow_copies));
	expect(st == 0, "seed %lu: a worker failed (code %d)", (unsigned long)random_seed, st);
	expect(after.nproc <= before.nproc, "processes left behind");
}

const struct test tests_random[] = {
	{ "random_mix", random_mix },
	{ NULL, NULL },
};
