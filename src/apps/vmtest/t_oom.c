/*
 * Running out of memory (the policy in src/vm/oom.c) and getting memory
 * back: the largest process dies, not whoever faulted; a fault inside a
 * system call waits for the victim's pages; a process's memory comes back
 * when it exits, not when it is reaped; the allocator never fails while
 * pages are free, however they are spread over the harts' free lists.
 *
 * With strict accounting (no lazy heap) nothing is ever killed: the same
 * situations end in sbrk() returning -1, and the tests check that.
 */
#include <signal.h>
#include "vmtest.h"

#define HOG_KEEP 256    /* the hog stops when fewer pages than this are free */

/*
 * Take memory until fewer than HOG_KEEP pages are free (lazily: touching
 * heap pages; eagerly: sbrk in chunks until refused), say so on fd ready,
 * then sleep until killed (or orphaned: the test died).
 */
static void
hog(int ready)
{
	if (lazy()) {
		char *p = sbrk((long)info().total_pages * PGSIZE);
		expect(p != (char *)-1, "hog: lazy sbrk failed");
		for (long i = 0;; i++) {
			if (i % 64 == 0 && free_pages() < HOG_KEEP)
				break;
			p[i * PGSIZE] = 1;
		}
	} else {
		while (sbrk(64 * PGSIZE) != (void *)-1)
			;
	}
	expect(write(ready, "h", 1) == 1, "hog: ready");
	while (ugetppid() != 1) /* a failed test must not leave us holding memory */
		sleep_ticks(1);
	exit(0);
}

/* Start a hog; returns its pid once it holds the memory. */
static int
start_hog(void)
{
	int fds[2];
	char c;

	expect(pipe(fds) == 0, "pipe");
	int pid = fork();
	if (pid == 0) {
		close(fds[0]);
		hog(fds[1]);
	}
	expect(pid > 0, "fork of the hog failed");
	close(fds[1]);
	expect(read(fds[0], &c, 1) == 1, "the hog died before it held the memory (status %d)",
	       wait_for(pid));
	close(fds[0]);
	return pid;
}

/*
 * A small process touches more pages than are free while a hog holds the
 * rest: the hog, the largest process, is killed and the toucher goes on.
 */
static void
oom_kills_largest_not_faulter(void)
{
	int hog_pid = start_hog();
	long n = 2 * HOG_KEEP;
	char *p = sbrk(n * PGSIZE);

	if (!lazy()) {
		expect(p == (char *)-1, "eager sbrk of %ld pages beyond free memory succeeded", n);
		kill(hog_pid, SIGKILL);
		expect(wait_for(hog_pid) == -1, "the hog was not killed by kill()");
		return;
	}
	expect(p != (char *)-1, "lazy sbrk failed");
	for (long i = 0; i < n; i++)
		p[i * PGSIZE] = (char)i;
	for (long i = 0; i < n; i++)
		expect(p[i * PGSIZE] == (char)i, "page %ld lost its byte", i);
	expect(wait_for(hog_pid) == -1, "the hog survived the out-of-memory kill");
}

/*
 * The same with the faults inside system calls (sysinfo's copyout into
 * untouched heap pages): each call waits for the hog's pages and succeeds.
 */
static void
oom_copy_waits_for_memory(void)
{
	if (!lazy()) {
		oom_kills_largest_not_faulter();
		return;
	}
	int hog_pid = start_hog();
	long n = 2 * HOG_KEEP;
	char *p = sbrk_pages(n);

	for (long i = 0; i < n; i++)
		expect(sysinfo((struct sysinfo *)(p + i * PGSIZE)) == 0,
		       "sysinfo into untouched page %ld failed", i);
	expect(wait_for(hog_pid) == -1, "the hog survived the out-of-memory kill");
}

/* A child's pages are free once it has exited, before anyone reaps it. */
static void
exit_frees_memory_before_reap(void)
{
	int fds[2];
	char c;
	long n = (long)free_pages() / 2;

	expect(pipe(fds) == 0, "pipe");
	uint64_t before = free_pages();
	int pid = fork();
	if (pid == 0) {
		char *p = sbrk_pages(n);
		for (long i = 0; i < n; i++)
			p[i * PGSIZE] = 1;
		expect(write(fds[1], "t", 1) == 1, "write");
		exit(0);
	}
	close(fds[1]);
	expect(read(fds[0], &c, 1) == 1, "the child died before touching its pages");
	expect(read(fds[0], &c, 1) == 0, "pipe not closed by the child's exit");
	/* the child has exited (its end of the pipe is closed); it is not reaped */
	uint64_t now = free_pages();
	for (int i = 0; i < 100 && now + 16 < before; i++) {
		sleep_ticks(1);
		now = free_pages();
	}
	expect(now + 16 >= before, "a zombie holds %lu of the %ld pages it touched",
	       (unsigned long)(before - now), n);
	expect(wait_for(pid) == 0, "child failed");
}

/*
 * wait() stores the status into a page shared copy-on-write with another
 * child, so it needs a free page, right after a child that ran memory out
 * (and was killed for it) has exited.  Its memory is back already: wait
 * succeeds.
 */
static void
wait_needs_a_page_after_a_big_child(void)
{
	int *status = (int *)sbrk_pages(1);
	int fds[2];
	char c;

	*status = 5;
	expect(pipe(fds) == 0, "pipe");
	int sharer = fork();
	if (sharer == 0) {
		close(fds[1]);
		read(fds[0], &c, 1);    /* holds our pages until we close the pipe */
		exit(0);
	}
	int big = fork();
	if (big == 0) {
		char *p = sbrk((long)info().total_pages * PGSIZE);
		if (p == (char *)-1) {
			while (sbrk(PGSIZE) != (void *)-1)      /* eager: to the last page */
				;
			exit(7);
		}
		for (long i = 0;; i++)
			p[i * PGSIZE] = 1;                      /* until killed */
	}
	expect(big > 0 && sharer > 0, "fork failed");
	expect(wait(status) == big, "wait did not return the big child");
	expect(*status == (lazy() ? -1 : 7), "status %d", *status);
	close(fds[1]);
	expect(wait_for(sharer) == 0, "sharer failed");
}

/*
 * Nine processes at once, on every hart, each holding its share of all
 * but a few free pages and churning part of it (sbrk up, touch, sbrk
 * down), so that pages keep moving between the harts' free lists and the
 * buddy lists while almost none are left: every one must still be found,
 * so nobody dies.
 */
static void
churn_worker(int plan)
{
	long share;

	if (read(plan, &share, sizeof(share)) != sizeof(share))
		exit(4);
	long churn = share / 4, hold = share - churn;
	char *p = sbrk(hold * PGSIZE);
	if (p == (char *)-1)
		exit(2);
	for (long i = 0; i < hold; i++)
		p[i * PGSIZE] = 1;
	for (int r = 0; r < 40; r++) {
		char *q = sbrk(churn * PGSIZE);
		if (q == (char *)-1)
			exit(3);
		for (long i = 0; i < churn; i++)
			q[i * PGSIZE] = 1;
		sbrk(-churn * PGSIZE);
	}
	exit(0);
}

static void
no_allocation_failure_while_pages_are_free(void)
{
	enum { WORKERS = 9 };
	int pids[WORKERS], plan[2];

	expect(pipe(plan) == 0, "pipe");
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			churn_worker(plan[0]);
		expect(pids[w] > 0, "fork %d failed", w);
	}
	/* the workers exist (whatever their forks cost): share what is left */
	sleep_ticks(2);
	uint64_t free_now = free_pages();
	long share = ((long)free_now - 48) / WORKERS;
	share -= share / 512 + 8;       /* its tables, and the stack pages it writes */
	for (int w = 0; w < WORKERS; w++)
		expect(write(plan[1], &share, sizeof(share)) == sizeof(share), "write");
	int bad = 0;
	for (int w = 0; w < WORKERS; w++) {
		int st = wait_for(pids[w]);
		if (st != 0) {
			printf("  worker %d: status %d\n", w, st);
			bad++;
		}
	}
	expect(bad == 0, "%d of %d workers failed with %lu pages free for %ld each", bad, WORKERS,
	       (unsigned long)free_now, share);
	close(plan[0]);
	close(plan[1]);
}

/* Asked to keep more pages free than there are, the balloon takes none (the sum wrapped). */
static void
set_aside_more_than_memory_takes_nothing(void)
{
	uint64_t before = free_pages();
	int n1 = selftest(SELFTEST_SET_ASIDE, UINT64_MAX);
	int n2 = selftest(SELFTEST_SET_ASIDE, before + 1);
	int n3 = selftest(SELFTEST_SET_ASIDE, 1UL << 63);

	expect(n1 == 0 && n2 == 0 && n3 == 0, "set aside %d, %d, %d pages, want none", n1, n2, n3);
	expect(free_pages() + 8 >= before, "free pages went from %lu to %lu",
	       (unsigned long)before, (unsigned long)free_pages());
}

#define STORM_PAGES     4096    /* 16 MiB of heap: eight superpages */
#define STORM_CHILDREN  40

/*
 * A storm child: write every stride-th page (from page `first`), count
 * itself in *written, hold the copies until the parent lets go (so that
 * every child's copies exist at once), then check every page.
 */
static void
storm_child(char *h, int stride, int first, int go, int hold, int *written)
{
	char c;

	if (read(go, &c, 1) != 0)
		exit(4);                /* the parent writes nothing: EOF is the start */
	for (long i = first; i < STORM_PAGES; i += stride)
		h[i * PGSIZE + 1] = 'w';
	__atomic_fetch_add(written, 1, __ATOMIC_RELEASE);
	if (read(hold, &c, 1) != 0)
		exit(4);
	for (long i = 0; i < STORM_PAGES; i++) {
		char want = (i % stride == first) ? 'w' : (char)(i >> 4);
		if (h[i * PGSIZE] != (char)i || h[i * PGSIZE + 1] != want)
			exit(2);
	}
	exit(0);
}

/*
 * Copy-on-write breaks of superpages shared by 40 children run memory
 * out: each child writes every third page of a 16 MiB heap of superpages
 * (each break splits its superpage and copies 4 KiB), about 1.6 times
 * what is free in all (with more memory free, every second or every page).  The out-of-memory policy kills some children, the
 * others finish with the right bytes, we (small by then: our heap is
 * given back once the children hold it) survive, and every page comes
 * back (the runner's count).  Without copy-on-write, forks fail instead.
 */
static void
cow_superpage_storm(void)
{
	int go[2], hold[2], forked = 0;
	int *written = mmap(NULL, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *brk = sbrk(0);
	char *h = (char *)(((uintptr_t)brk + (2UL << 20) - 1) & ~((2UL << 20) - 1));
	long grow = (long)(h - brk) + STORM_PAGES * PGSIZE;
	long free_before = (long)free_pages();
	long stride = (long)STORM_CHILDREN * STORM_PAGES * 10 / (16 * free_before);
	stride = stride < 1 ? 1 : stride > 3 ? 3 : stride;

	expect(__sys_sbrk(grow, SBRK_EAGER) != -1, "eager sbrk of 16 MiB failed");
	for (long i = 0; i < STORM_PAGES; i++) {
		h[i * PGSIZE] = (char)i;
		h[i * PGSIZE + 1] = (char)(i >> 4);
	}
	expect(written != MAP_FAILED && pipe(go) == 0 && pipe(hold) == 0, "mmap or pipe failed");
	*written = 0;
	for (; forked < STORM_CHILDREN; forked++) {
		int pid = fork();
		if (pid == 0) {
			close(go[1]);
			close(hold[1]);
			storm_child(h, (int)stride, forked % (int)stride, go[0], hold[0], written);
		}
		if (pid < 0)
			break;          /* copying fork: memory ran out here instead */
	}
	close(go[0]);
	close(hold[0]);
	expect(sbrk(-grow) != (void *)-1, "giving the heap back failed");
	close(go[1]);           /* the storm starts */
	/* until every child wrote, or the count stood still for 50 ticks (the rest were killed) */
	for (int last = -1, still = 0; still < 50 && last < forked; still++) {
		sleep_ticks(1);
		int now = __atomic_load_n(written, __ATOMIC_ACQUIRE);
		if (now != last)
			still = 0;
		last = now;
	}
	close(hold[1]);         /* the survivors check and exit */
	int killed = 0, done = 0;
	for (int i = 0; i < forked; i++) {
		int st, pid = wait(&st);
		expect(pid > 0, "wait failed with %d children left", forked - i);
		if (st == 0)
			done++;
		else if (st == -1)
			killed++;
		else
			printf("  pid %d: status %d\n", pid, st);
	}
	printf("  %d children: %d finished, %d killed for memory\n", forked, done, killed);
	munmap(written, PGSIZE);
	expect(done + killed == forked, "some children saw wrong bytes");
	expect(done > 0, "no child finished");
	if (cow()) {
		expect(forked == STORM_CHILDREN && killed > 0,
		       "forked %d, killed %d: memory never ran out", forked, killed);
		/* the policy kills what it must: at least half the children that fit finish */
		long fit = free_before / (STORM_PAGES / stride);
		expect(done >= fit / 2, "%d children finished where %ld fit: killed too many",
		       done, fit);
	}
	else
		expect(killed == 0, "strict memory killed %d children", killed);
}

const struct test tests_oom[] = {
	{ "oom_set_aside_more_than_memory_takes_nothing", set_aside_more_than_memory_takes_nothing },
	{ "oom_kills_largest_not_faulter", oom_kills_largest_not_faulter },
	{ "oom_copy_waits_for_memory", oom_copy_waits_for_memory },
	{ "oom_exit_frees_memory_before_reap", exit_frees_memory_before_reap },
	{ "oom_wait_needs_a_page_after_a_big_child", wait_needs_a_page_after_a_big_child },
	{ "oom_no_allocation_failure_while_pages_are_free",
	  no_allocation_failure_while_pages_are_free },
	{ "oom_cow_superpage_storm", cow_superpage_storm },
	{ NULL, NULL },
};
