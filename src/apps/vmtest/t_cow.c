/*
 * Copy-on-write fork: pages shared until written, copies private to the
 * writer, the last holder writes in place, read-only pages never copied,
 * references dropped by exit and exec, and running out of memory while
 * breaking a share kills only the breaker.  With a copying fork the same
 * isolation must hold and the sharing checks turn into copy checks.
 */
#include "vmtest.h"

#define WORD(p, i) (((volatile uint64_t *)((p) + (long)(i) * PGSIZE))[(i) % 512])

static void
fill(char *p, long npages, uint64_t tag)
{
	for (long i = 0; i < npages; i++)
		WORD(p, i) = tag + i;
}

static long
first_mismatch(char *p, long npages, uint64_t tag)
{
	for (long i = 0; i < npages; i++)
		if (WORD(p, i) != tag + i)
			return i;
	return -1;
}

/* Physical addresses and flags of npages leaves from va, from one vmprint. */
static void
leaves(int pid, char *va, long npages, uint64_t *pa, char (*flags)[10])
{
	const char *text = vmprint_text(pid);
	for (long i = 0; i < npages; i++)
		expect(vm_leaf(text, (uintptr_t)va + i * PGSIZE, flags[i], &pa[i]),
		       "vmprint(%d) shows no page at %p", pid, va + i * PGSIZE);
}

enum { SHARE_PAGES = 64, WRITTEN = 16 };
static uint64_t before_pa[SHARE_PAGES], after_pa[SHARE_PAGES];
static char before_fl[SHARE_PAGES][10], after_fl[SHARE_PAGES][10];

/*
 * fork shares the pages (same physical page, C set, W clear); a child's
 * write copies just that page; when the child is gone, the parent's write
 * needs no copy and keeps its page.
 */
static void
fork_shares_until_written(void)
{
	char *h = sbrk_pages(SHARE_PAGES);
	fill(h, SHARE_PAGES, 100);
	leaves(0, h, SHARE_PAGES, before_pa, before_fl);
	uint64_t free_before = free_pages();

	int pid = fork();
	if (pid == 0) {
		uint64_t fork_cost = free_before - free_pages();
		leaves(0, h, SHARE_PAGES, after_pa, after_fl);
		for (int i = 0; i < SHARE_PAGES; i++) {
			bool same = after_pa[i] == before_pa[i];
			if (cow())
				expect(same && after_fl[i][2] == '-' && after_fl[i][8] == 'C',
				       "page %d after fork: pa %#lx flags %s, want parent's %#lx, C, no W",
				       i, (unsigned long)after_pa[i], after_fl[i],
				       (unsigned long)before_pa[i]);
			else
				expect(!same && after_fl[i][2] == 'W' && after_fl[i][8] == '-',
				       "copying fork: page %d pa %#lx flags %s", i,
				       (unsigned long)after_pa[i], after_fl[i]);
		}
		if (cow())
			expect(fork_cost < SHARE_PAGES / 2, "COW fork of %d pages cost %lu pages",
			       SHARE_PAGES, (unsigned long)fork_cost);
		else
			expect(fork_cost >= SHARE_PAGES, "copying fork of %d pages cost %lu pages",
			       SHARE_PAGES, (unsigned long)fork_cost);
		expect(first_mismatch(h, SHARE_PAGES, 100) < 0, "child sees other data");

		uint64_t copies = info().cow_copies;
		for (int i = 0; i < WRITTEN; i++)
			WORD(h, i) = 7;
		uint64_t made = info().cow_copies - copies;
		leaves(0, h, SHARE_PAGES, after_pa, after_fl);
		for (int i = 0; i < SHARE_PAGES; i++) {
			bool written = i < WRITTEN;
			if (cow())
				expect((after_pa[i] != before_pa[i]) == written &&
				       (after_fl[i][2] == 'W') == written &&
				       (after_fl[i][8] == 'C') == !written,
				       "page %d (%s) after the child's writes: pa %#lx (was %#lx) flags %s",
				       i, written ? "written" : "not written",
				       (unsigned long)after_pa[i], (unsigned long)before_pa[i],
				       after_fl[i]);
		}
		if (cow())
			expect(made >= WRITTEN, "%lu copy-on-write copies for %d pages written",
			       (unsigned long)made, WRITTEN);
		else
			expect(made == 0, "copying fork: %lu copy-on-write copies", (unsigned long)made);
		exit(0);
	}
	expect(wait_for(pid) == 0, "child failed");
	expect(first_mismatch(h, SHARE_PAGES, 100) < 0, "the child's writes showed in the parent");

	/* the child is gone: every page has one reference again */
	uint64_t copies = info().cow_copies;
	fill(h, SHARE_PAGES, 300);
	expect(info().cow_copies == copies, "%lu copies after the sharer exited, want 0",
	       (unsigned long)(info().cow_copies - copies));
	leaves(0, h, SHARE_PAGES, after_pa, after_fl);
	for (int i = 0; i < SHARE_PAGES; i++)
		expect(after_pa[i] == before_pa[i] && !strcmp(after_fl[i], "VRW-U-AD-"),
		       "page %d written as last holder: pa %#lx (was %#lx) flags %s", i,
		       (unsigned long)after_pa[i], (unsigned long)before_pa[i], after_fl[i]);
}

/* Text is shared by a COW fork and never copied; it stays read-only. */
static void
text_shared_not_copied(void)
{
	uint64_t text = USER_TEXT_BASE, mine, theirs;
	char fl_mine[10], fl_theirs[10];
	int go[2];

	expect(pipe(go) == 0, "pipe");
	int pid = fork();
	if (pid == 0) {
		char c;
		read(go[0], &c, 1);
		exit(0);
	}
	expect(vm_leaf(vmprint_text(0), text, fl_mine, &mine), "no text page in our table");
	expect(vm_leaf(vmprint_text(pid), text, fl_theirs, &theirs), "no text page in the child's");
	write(go[1], "g", 1);
	expect(wait_for(pid) == 0, "child failed");
	expect(strncmp(fl_mine, "VR-XU", 5) == 0 && fl_mine[8] == '-',
	       "our text flags %s, want VR-XU and no C", fl_mine);
	expect(strncmp(fl_theirs, "VR-XU", 5) == 0 && fl_theirs[8] == '-',
	       "child's text flags %s, want VR-XU and no C", fl_theirs);
	if (cow())
		expect(mine == theirs, "text copied: %#lx vs %#lx", (unsigned long)mine,
		       (unsigned long)theirs);
	else
		expect(mine != theirs, "copying fork shares text page %#lx", (unsigned long)mine);
}

enum { ISO_PAGES = 48 };

/*
 * A parent and three children write to the pages they share, in an
 * order forced by pipes; nobody sees anybody else's writes.
 */
static void
writes_stay_private(void)
{
	char *h = sbrk_pages(ISO_PAGES);
	int ready[2], go[2], pids[3];
	fill(h, ISO_PAGES, 1000);
	expect(pipe(ready) == 0 && pipe(go) == 0, "pipe");

	for (int k = 0; k < 3; k++) {
		pids[k] = fork();
		if (pids[k] == 0) {
			char c;
			expect(first_mismatch(h, ISO_PAGES, 1000) < 0, "child %d: wrong data after fork", k);
			for (int i = 0; i < ISO_PAGES; i++)
				if (i == 0 || i % 3 == k)
					WORD(h, i) = 50000 + k * 100 + i;
			expect(write(ready[1], "r", 1) == 1, "ready");
			expect(read(go[0], &c, 1) == 1, "go");
			for (int i = 0; i < ISO_PAGES; i++) {
				uint64_t want = (i == 0 || i % 3 == k) ? 50000 + k * 100 + i : 1000 + i;
				expect(WORD(h, i) == want, "child %d page %d: %lu, want %lu", k, i,
				       (unsigned long)WORD(h, i), (unsigned long)want);
			}
			exit(0);
		}
		expect(pids[k] > 0, "fork %d failed", k);
	}
	char c;
	for (int k = 0; k < 3; k++)
		expect(read(ready[0], &c, 1) == 1, "ready %d", k);
	expect(first_mismatch(h, ISO_PAGES, 1000) < 0, "children's writes showed in the parent");
	for (int i = 0; i < ISO_PAGES; i += 2)
		WORD(h, i) = 9;                 /* must not show in the children */
	for (int k = 0; k < 3; k++)
		expect(write(go[1], "g", 1) == 1, "go");
	for (int k = 0; k < 3; k++)
		expect(wait_for(pids[k]) == 0, "child %d saw foreign writes", k);
}

/* read() into a buffer shared with a child copies it first, both ways. */
static void
read_into_shared_buffer(void)
{
	char *h = sbrk_pages(4);
	int data[2], sync[2];
	char c;
	memset(h, 'P', 4 * PGSIZE);
	expect(pipe(data) == 0 && pipe(sync) == 0, "pipe");

	int pid = fork();
	if (pid == 0) {
		/* the parent reads into pages 0-1 first; ours must not change */
		expect(read(sync[0], &c, 1) == 1, "sync");
		for (int i = 0; i < 2 * PGSIZE; i++)
			expect(h[i] == 'P', "child: byte %d is %c after the parent's read()", i, h[i]);
		/* now we read into pages 2-3, across the boundary */
		char msg[600];
		memset(msg, 'C', sizeof(msg));
		expect(write(data[1], msg, sizeof(msg)) == sizeof(msg), "write");
		expect(read(data[0], h + 3 * PGSIZE - 300, sizeof(msg)) == sizeof(msg), "child read");
		expect(h[3 * PGSIZE - 301] == 'P' && h[3 * PGSIZE - 300] == 'C' &&
		       h[3 * PGSIZE + 299] == 'C' && h[3 * PGSIZE + 300] == 'P', "child's read data");
		expect(write(sync[1], "c", 1) == 1, "sync");
		exit(0);
	}
	uint64_t copies = info().cow_copies;
	char msg[5000];
	memset(msg, 'Q', sizeof(msg));
	expect(write(data[1], msg, 4000) == 4000, "write");
	expect(read(data[0], h + 100, 4000) == 4000, "parent read into a shared buffer");
	uint64_t made = info().cow_copies - copies;
	expect(write(sync[1], "p", 1) == 1, "sync");
	expect(wait_for(pid) == 0, "the child saw the parent's read() data");
	expect(h[99] == 'P' && h[100] == 'Q' && h[4099] == 'Q' && h[4100] == 'P', "parent's data");
	for (int i = 2 * PGSIZE; i < 4 * PGSIZE; i++)
		expect(h[i] == 'P', "parent: byte %d is %c after the child's read()", i, h[i]);
	if (cow())
		expect(made >= 2, "read() into 2 shared pages made %lu copies", (unsigned long)made);
}

/*
 * exec drops the child's references: afterwards the parent writes its
 * pages without a single copy.  (Without the exec, each write would copy.)
 */
static void
exec_drops_references(void)
{
	enum { N = 256 };
	char *h = sbrk_pages(N);
	int up[2], down[2];
	char c, a[8], b[8];
	fill(h, N, 5);
	expect(pipe(up) == 0 && pipe(down) == 0, "pipe");

	int pid = fork();
	if (pid == 0) {
		snprintf(a, sizeof(a), "%d", up[1]);
		snprintf(b, sizeof(b), "%d", down[0]);
		char *argv[] = { "vmtest", "--signal-and-wait", a, b, NULL };
		exec("vmtest", argv);
		exit(99);
	}
	close(up[1]);   /* a child whose exec failed ends the read below */
	close(down[0]);
	expect(read(up[0], &c, 1) == 1 && c == 'e', "the child did not exec (status %d)",
	       wait_for(pid));
	info();
	uint64_t copies = info().cow_copies;
	fill(h, N, 6);
	uint64_t made = info().cow_copies - copies;
	expect(write(down[1], "x", 1) == 1, "release");
	expect(wait_for(pid) == 0, "exec'd child failed");
	expect(made == 0, "%lu copies writing %d pages after the child's exec, want 0",
	       (unsigned long)made, N);
}

/*
 * Parent and two children write the same shared pages at once (on
 * several harts): each ends with its own values everywhere.
 */
static void
concurrent_breaks(void)
{
	enum { N = 128, ROUNDS = 4 };
	char *h = sbrk_pages(N);

	for (int round = 0; round < ROUNDS; round++) {
		int go[2], pids[2];
		fill(h, N, 77);
		expect(pipe(go) == 0, "pipe");
		for (int k = 0; k < 2; k++) {
			pids[k] = fork();
			if (pids[k] == 0) {
				char c;
				expect(read(go[0], &c, 1) == 1, "go");
				fill(h, N, 1000 * (k + 1));
				expect(first_mismatch(h, N, 1000 * (k + 1)) < 0, "child %d lost a write", k);
				exit(0);
			}
			expect(pids[k] > 0, "fork failed");
		}
		expect(write(go[1], "gg", 2) == 2, "go");
		fill(h, N, 999999);
		long bad = first_mismatch(h, N, 999999);
		for (int k = 0; k < 2; k++)
			expect(wait_for(pids[k]) == 0, "round %d: child %d failed", round, k);
		expect(bad < 0, "round %d: parent page %ld changed under it", round, bad);
		expect(first_mismatch(h, N, 999999) < 0, "round %d: children's writes showed", round);
		close(go[0]);
		close(go[1]);
	}
}

static long big_pages;
static char *big;

static void
big_child(void)
{
	uint64_t sum = 0;
	for (long i = 0; i < big_pages; i++)
		sum += WORD(big, i) - i;
	expect(sum == (uint64_t)big_pages * 11, "child read wrong data");
	for (long i = 0; i < 16; i++)
		WORD(big, i * 97 % big_pages) = 3;
	for (long i = 0; i < 16; i++)
		expect(WORD(big, i * 97 % big_pages) == 3, "child write lost");
	exit(0);
}

/*
 * A process holding two thirds of free memory forks three children that
 * read everything and write a little: all fit with COW.  A copying fork
 * cannot fit even one child and must fail cleanly with -1.
 */
static void
fork_with_most_memory_used(void)
{
	big_pages = (long)free_pages() * 2 / 3;
	big = sbrk_pages(big_pages);
	fill(big, big_pages, 11);
	int pids[3];
	for (int k = 0; k < 3; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			big_child();
		if (!cow()) {
			expect(pids[k] == -1, "copying fork of %ld pages with too little memory "
			       "returned %d, want -1", big_pages, pids[k]);
			expect(first_mismatch(big, big_pages, 11) < 0, "parent data damaged");
			return;
		}
		expect(pids[k] > 0, "COW fork %d of a 2/3-memory process failed", k);
	}
	for (long i = 0; i < 16; i++)
		WORD(big, i * 89 % big_pages) = 4;
	for (int k = 0; k < 3; k++)
		expect(wait_for(pids[k]) == 0, "child %d failed", k);
	for (long i = 0; i < big_pages; i++) {
		uint64_t want = 11 + i;
		for (long j = 0; j < 16; j++)
			if (i == j * 89 % big_pages)
				want = 4;
		expect(WORD(big, i) == want, "parent page %ld: %lu, want %lu", i,
		       (unsigned long)WORD(big, i), (unsigned long)want);
	}
}

static void
write_everything(void)
{
	fill(big, big_pages, 99);
	exit(0);
}

/*
 * The child of a process holding two thirds of memory writes all of it:
 * memory runs out half-way, the child alone is killed, and the parent's
 * data is intact and writable without copies.
 */
static void
cow_out_of_memory_kills_child(void)
{
	big_pages = (long)free_pages() * 2 / 3;
	big = sbrk_pages(big_pages);
	fill(big, big_pages, 21);
	int pid = fork();
	if (pid == 0)
		write_everything();
	if (!cow()) {
		expect(pid == -1, "copying fork with too little memory returned %d", pid);
		return;
	}
	int st = wait_for(pid);
	expect(st == -1, "child writing more than free memory: exited %d, want killed", st);
	expect(first_mismatch(big, big_pages, 21) < 0, "parent's data damaged");
	info();
	uint64_t copies = info().cow_copies;
	fill(big, big_pages, 22);
	expect(info().cow_copies == copies, "parent copied %lu pages after its child died",
	       (unsigned long)(info().cow_copies - copies));
}

const struct test tests_cow[] = {
	{ "cow_fork_shares_until_written", fork_shares_until_written },
	{ "cow_text_shared_not_copied", text_shared_not_copied },
	{ "cow_writes_stay_private", writes_stay_private },
	{ "cow_read_into_shared_buffer", read_into_shared_buffer },
	{ "cow_exec_drops_references", exec_drops_references },
	{ "cow_concurrent_breaks", concurrent_breaks },
	{ "cow_fork_with_most_memory_used", fork_with_most_memory_used },
	{ "cow_out_of_memory_kills_child", cow_out_of_memory_kills_child },
	{ NULL, NULL },
};
