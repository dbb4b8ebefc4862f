/*
 * The lazy heap: sbrk only moves the break, pages come at first touch
 * (from user code or from a system call's copy), shrinking frees, and
 * touching outside the heap or past the memory there is still kills.
 */
#include "vmtest.h"

#define GIB (1L << 30)
#define MIB (1L << 20)

static void
sbrk_1gib_costs_nothing(void)
{
	char *old = sbrk(0);
	uint64_t before = free_pages();
	char *p = (char *)__sys_sbrk(GIB, SBRK_DEFAULT);     /* raw: sbrk() would write errno */

	if (!lazy()) {
		/* eager: 1 GiB is more than the machine has; refused up front */
		expect(p == (char *)-1, "eager sbrk of 1 GiB on a small machine returned %p", p);
		expect(sbrk(0) == old, "a failed sbrk moved the break");
		expect(free_pages() >= before, "a failed sbrk kept %lu pages",
		       (unsigned long)(before - free_pages()));
		return;
	}
	expect(p == old, "sbrk(1 GiB) returned %p, the break was %p", p, old);
	uint64_t after = free_pages();
	expect(after >= before, "sbrk(1 GiB) took %lu pages before any touch",
	       (unsigned long)(before - after));
	const long offsets[] = { 0, GIB / 2 + 12345, GIB - 1 };
	for (int i = 0; i < 3; i++) {
		expect(p[offsets[i]] == 0, "untouched heap byte at +%ld is %d", offsets[i], p[offsets[i]]);
		p[offsets[i]] = 'x';
	}
	uint64_t used = before - free_pages();
	/* three pages, and at most two page-table pages for each */
	expect(used >= 3 && used <= 9, "touching 3 pages of 1 GiB used %lu pages", (unsigned long)used);
	expect(sbrk(-GIB) == old + GIB, "shrinking returned the wrong old break");
	expect(free_pages() + 6 >= before, "shrinking left %lu pages in use",
	       (unsigned long)(before - free_pages()));
}

static void
sparse_touches(void)
{
	enum { TOUCHES = 16 };
	long size = lazy() ? 64 * MIB : 2 * MIB;
	long stride = size / TOUCHES;
	uint64_t before = free_pages();
	uint64_t faults = info().page_faults;
	char *p = sbrk_pages(size / PGSIZE);
	uint64_t after_sbrk = free_pages();

	for (int i = 0; i < TOUCHES; i++) {
		expect(p[i * stride + 100] == 0, "byte in untouched page %d is not zero", i);
		p[i * stride + 100] = (char)i;
	}
	for (int i = 0; i < TOUCHES; i++)
		expect(p[i * stride + 100] == (char)i, "page %d lost its byte", i);
	uint64_t used = before - free_pages();
	uint64_t new_faults = info().page_faults - faults;
	const char *text = vmprint_text(0);
	int leaves = vm_count_leaves(text, (uintptr_t)p, (uintptr_t)p + size);
	if (lazy()) {
		expect(after_sbrk >= before, "sbrk took %lu pages", (unsigned long)(before - after_sbrk));
		/* a level-0 table per 2 MiB region touched, perhaps a level-1 table */
		expect(used >= TOUCHES && used <= 2 * TOUCHES + 2,
		       "%d touches used %lu pages", TOUCHES, (unsigned long)used);
		expect(new_faults >= TOUCHES, "%lu page faults for %d first touches",
		       (unsigned long)new_faults, TOUCHES);
		expect(leaves == TOUCHES, "vmprint shows %d heap pages, want %d", leaves, TOUCHES);
	} else {
		expect(used >= (uint64_t)size / PGSIZE, "eager sbrk of %ld pages used only %lu",
		       size / PGSIZE, (unsigned long)used);
		expect(leaves == size / PGSIZE, "vmprint shows %d heap pages, want %ld", leaves,
		       size / PGSIZE);
	}
}

static char *freed_at;
static void touch_freed(void) { *(volatile char *)freed_at = 1; }
static void read_freed(void) { (void)*(volatile char *)freed_at; }

/* In one process: touch, shrink, touch again.  The TLB must not remember. */
static void
touch_after_shrink(void)
{
	char *p = sbrk_pages(8);
	memset(p, 0x5a, 8 * PGSIZE);
	expect(sbrk(-8 * PGSIZE) != (void *)-1, "shrink failed");
	*(volatile char *)(p + 3 * PGSIZE) = 1;      /* must kill */
	exit(0);
}

static void
untouched_after_shrink(void)
{
	char *p = sbrk_pages(8);
	expect(sbrk(-8 * PGSIZE) != (void *)-1, "shrink failed");
	(void)*(volatile char *)(p + 5 * PGSIZE);   /* must kill */
	exit(0);
}

static void
shrink_then_touch_kills(void)
{
	int st = run_in_child(touch_after_shrink);
	expect(st == -1, "writing a page freed by sbrk(-n): exited %d, want killed", st);
	st = run_in_child(untouched_after_shrink);
	expect(st == -1, "reading a never-touched page freed by sbrk(-n): exited %d, want killed", st);

	/* growing again gives zeroed pages, not the old contents */
	char *p = sbrk_pages(4);
	memset(p, 0xab, 4 * PGSIZE);
	expect(sbrk(-4 * PGSIZE) != (void *)-1, "shrink failed");
	expect(sbrk(4 * PGSIZE) == p, "regrow did not return the same address");
	for (int i = 0; i < 4 * PGSIZE; i++)
		expect(p[i] == 0, "regrown byte %d is %d, want 0", i, p[i]);
}

static void
beyond_break_kills(void)
{
	char *p = sbrk_pages(2);
	p[0] = 1;
	freed_at = p + 3 * PGSIZE;          /* one page above the break's page */
	int st = run_in_child(read_freed);
	expect(st == -1, "reading above the break: exited %d, want killed", st);
	freed_at = (char *)USER_STACK_GUARD + 100;
	st = run_in_child(touch_freed);
	expect(st == -1, "writing the stack guard page: exited %d, want killed", st);
	freed_at = (char *)0x3000000000UL;   /* far above the heap */
	st = run_in_child(touch_freed);
	expect(st == -1, "writing an unmapped high address: exited %d, want killed", st);

	/* the page holding an unaligned break belongs to the heap whole */
	char *q = sbrk_pages(0);
	expect(sbrk(10) == q, "sbrk(10) failed");
	q[PGSIZE - 1] = 7;
	expect(q[PGSIZE - 1] == 7, "last byte of the break's page");
	freed_at = q + PGSIZE;
	st = run_in_child(touch_freed);
	expect(st == -1, "writing the page above an unaligned break: exited %d, want killed", st);
}

static void
sbrk_limits(void)
{
	char *brk = sbrk(0);
	uint64_t before = free_pages();
	uint64_t room = USER_HEAP_LIMIT - (uintptr_t)brk;

	expect(sbrk(room + 1) == (void *)-1, "sbrk into the stack guard page succeeded");
	expect(sbrk(USER_TOP) == (void *)-1, "sbrk(USER_TOP) succeeded");
	expect(sbrk(0x7fffffffffffffffL) == (void *)-1, "sbrk(LONG_MAX) succeeded");
	expect(sbrk(-0x7fffffffffffffffL - 1) == (void *)-1, "sbrk(LONG_MIN) succeeded");
	expect(sbrk(-(1L << 40)) == (void *)-1, "sbrk(-1 TiB) succeeded");
	expect(sbrk(0) == brk, "a failed sbrk moved the break");

	char *p = sbrk(room);
	if (!lazy()) {
		expect(p == (char *)-1, "eager sbrk up to the stack guard succeeded");
	} else {
		/* up to the guard page: ~256 GiB of promises, nothing spent */
		expect(p == brk, "lazy sbrk up to the stack guard failed");
		expect(sbrk(1) == (void *)-1, "sbrk past USER_HEAP_LIMIT succeeded");
		char *last = (char *)USER_HEAP_LIMIT - 8;
		*(volatile uint64_t *)last = 42;
		expect(*(volatile uint64_t *)last == 42, "top heap word");
		expect(sbrk(-(long)room) == brk + room, "shrinking back failed");
	}
	expect(sbrk(0) == brk, "the break did not come back");
	expect(free_pages() + 4 >= before, "%lu pages still in use",
	       (unsigned long)(before - free_pages()));

	/* below the heap's start, in a fresh image */
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "vmtest", "--heap-bounds", NULL };
		exec("vmtest", argv);
		exit(99);
	}
	int st = wait_for(pid);
	expect(st == 0, "sbrk below the heap's start: check %d failed (status %d)", st, st);
}

/* read, write, pipe, wait, sysinfo and vmprint with untouched heap buffers. */
static void
syscalls_on_lazy_pages(void)
{
	char *h = sbrk_pages(12);
	int *fds = (int *)(h + PGSIZE - 4);          /* straddles pages 0 and 1 */

	expect(pipe(fds) == 0, "pipe() into an untouched page failed");
	expect(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1], "pipe gave %d %d", fds[0], fds[1]);
	int r = fds[0], w = fds[1];

	/* read into untouched pages, across a page boundary */
	char msg[3000];
	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);
	expect(write(w, msg, sizeof(msg)) == sizeof(msg), "write to pipe");
	char *dst = h + 3 * PGSIZE - 1000;
	expect(read(r, dst, sizeof(msg)) == sizeof(msg), "read into untouched pages failed");
	expect(memcmp(dst, msg, sizeof(msg)) == 0, "read data differ");

	/* write from an untouched page: it reads as zeroes */
	expect(write(w, h + 5 * PGSIZE + 8, 256) == 256, "write from an untouched page failed");
	char back[256];
	memset(back, 1, sizeof(back));
	expect(read(r, back, sizeof(back)) == 256, "read back");
	for (int i = 0; i < 256; i++)
		expect(back[i] == 0, "byte %d from an untouched page is %d", i, back[i]);

	/* wait's status, sysinfo's struct, vmprint's text: all untouched */
	int pid = fork();
	if (pid == 0)
		exit(7);
	int *status = (int *)(h + 6 * PGSIZE + 16);
	expect(wait(status) == pid && *status == 7, "wait into an untouched page: status %d", *status);
	struct sysinfo *si = (struct sysinfo *)(h + 7 * PGSIZE - 24);
	expect(sysinfo(si) == 0 && si->total_pages > 0, "sysinfo into an untouched page");
	char *text = h + 8 * PGSIZE + 100;
	long n = vmprint(0, text, 4 * PGSIZE - 200);
	expect(n > 0 && strncmp(text, "pid ", 4) == 0, "vmprint into untouched pages returned %ld", n);
	close(r);
	close(w);
}

/*
 * exec with the path and argv in heap pages first touched by read():
 * the kernel's copyout faults them in, then exec's copyinstr/copyin read
 * them.  The path straddles two pages, each filled by its own read().
 */
static void
exec_from_lazy_pages(void)
{
	int p[2];
	expect(pipe(p) == 0, "pipe");
	char *h = sbrk_pages(3);
	char *path = h + PGSIZE - 3;                 /* "vmt" | "est\0" */
	char *arg1 = h + PGSIZE + 10, *arg2 = h + PGSIZE + 20;

	expect(write(p[1], "vmt", 3) == 3, "write");
	expect(read(p[0], path, 3) == 3, "read into page 0");
	expect(write(p[1], "est\0", 4) == 4, "write");
	expect(read(p[0], path + 3, 4) == 4, "read into page 1");
	expect(write(p[1], "--exit\0", 7) == 7 && read(p[0], arg1, 7) == 7, "arg1");
	expect(write(p[1], "42\0", 3) == 3 && read(p[0], arg2, 3) == 3, "arg2");
	uint64_t argv[4] = { (uintptr_t)path, (uintptr_t)arg1, (uintptr_t)arg2, 0 };
	char **uargv = (char **)(h + 2 * PGSIZE + 8);
	expect(write(p[1], argv, sizeof(argv)) == sizeof(argv), "write");
	expect(read(p[0], uargv, sizeof(argv)) == sizeof(argv), "read argv into page 2");

	int pid = fork();
	if (pid == 0) {
		exec(path, uargv);
		exit(99);
	}
	int st = wait_for(pid);
	expect(st == 42, "exec from lazily filled pages: child exited %d, want 42", st);

	/* a path in a page nobody touched is "" : exec fails, nobody is killed */
	char *untouched = sbrk_pages(1);
	char *argv0[] = { "x", NULL };
	expect(exec(untouched, argv0) == -1, "exec(\"\") succeeded");
	expect(untouched[0] == 0, "untouched page not zero");
}

/* Touch more heap than the machine has: killed, with everything given back. */
static void
touch_all_memory(void)
{
	long n = (long)info().total_pages + 1024;
	char *p = sbrk(n * PGSIZE);
	if (p == (char *)-1)
		exit(lazy() ? 2 : 0);           /* eager: refused up front */
	for (long i = 0; i < n; i++)
		p[i * PGSIZE] = 1;
	exit(3);
}

static void
out_of_memory_kills(void)
{
	int st = run_in_child(touch_all_memory);
	if (lazy())
		expect(st == -1, "touching more than all memory: exited %d, want killed", st);
	else
		expect(st == 0, "eager sbrk beyond memory: status %d, want refused up front", st);
}

static int progress[2];

/*
 * Use memory until almost none is left, then read() into fresh heap
 * pages until a copyout finds no page: the read fails and we are killed.
 */
static void
fill_then_read(void)
{
	char *p = sbrk(0);
	long got = 0;
	int data[2];

	expect(pipe(data) == 0, "pipe");
	expect(sbrk((long)info().total_pages * PGSIZE) != (void *)-1, "lazy sbrk failed");
	/* each touch takes at most two pages (the page, a table): stop at 8 */
	for (bool low = true;; got++) {
		if (low || got % 256 == 0) {
			uint64_t f = free_pages();
			low = f < 600;
			if (f < 8)
				break;
		}
		p[got * PGSIZE] = 1;
	}
	expect(write(progress[1], "A", 1) == 1, "progress");
	for (long i = 0; i < 64; i++, got++) {
		expect(write(data[1], "x", 1) == 1, "write to pipe");
		if (read(data[0], p + got * PGSIZE, 1) != 1)
			break;
	}
	exit(3);                            /* never killed: wrong */
}

static void
fill_eager(void)
{
	long chunks = 0;
	while (sbrk(64 * PGSIZE) != (void *)-1)
		chunks++;
	expect(chunks > 0, "no eager sbrk succeeded");
	char *p = sbrk(0);
	p[-1] = 1;                          /* still alive and usable */
	exit(0);
}

static void
out_of_memory_in_copy(void)
{
	if (!lazy()) {
		int st = run_in_child(fill_eager);
		expect(st == 0, "sbrk until refused: status %d", st);
		return;
	}
	expect(pipe(progress) == 0, "pipe");
	int pid = fork();
	if (pid == 0)
		fill_then_read();
	close(progress[1]);
	char c = 0;
	long n = read(progress[0], &c, 1);
	int st = wait_for(pid);
	expect(n == 1 && c == 'A', "the child died before memory ran out (status %d)", st);
	expect(st == -1, "read() with no page for its buffer: exited %d, want killed", st);
}

/*
 * Fault-around (vm/fault.c): a touch on the page right after a mapped one
 * maps the pages after it too, 16 in all, never past the break; a first
 * touch maps one page.  The window is kept inside one 2 MiB range that the
 * heap does not cover whole, so no superpage comes into it.
 *
 * One try of it on fresh heap pages: NULL, or why the
 * counts were off.  Free pages and faults are counted system-wide, so
 * another process's fault or allocation in the window can disturb a try.
 */
static const char *
fault_around_try(void)
{
	enum { N = 40 };
	static char why[120];
	uintptr_t brk = (uintptr_t)sbrk(0);
	uintptr_t base = (brk + PGSIZE - 1) & ~(uintptr_t)(PGSIZE - 1);
	if (base % (2 * MIB) + N * PGSIZE >= 2 * MIB)
		base = (base + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1);
	long grow = (long)(base + N * PGSIZE - brk);
	expect(sbrk(grow) == (void *)brk, "sbrk failed");
	volatile char *p = (volatile char *)base;
	const char *result = NULL;

	/* the pages and faults each touch takes */
	const struct { int page; long want, want_faults; } steps[] = {
		{ 0, 1, 1 },    /* first touch: one page (and maybe a table, below) */
		{ 1, 16, 1 },   /* after a mapped page: 1..16 */
		{ 16, 0, 0 },   /* already there */
		{ 17, 16, 1 },  /* 17..32 */
		{ 33, 7, 1 },   /* 33..39: the break stops it */
	};
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		uint64_t before = free_pages(), faults = info().page_faults;
		expect(p[steps[i].page * PGSIZE] == 0, "page %d is not zero", steps[i].page);
		p[steps[i].page * PGSIZE + 7] = 1;
		long used = (long)(before - free_pages());
		long nfaults = (long)(info().page_faults - faults);
		bool table = i == 0 && used == 2;      /* a new level-0 table */
		if (!result && !(used == steps[i].want || table))
			result = why, snprintf(why, sizeof(why), "touching page %d took %ld pages, "
					       "want %ld", steps[i].page, used, steps[i].want);
		if (!result && nfaults != steps[i].want_faults)
			result = why, snprintf(why, sizeof(why), "touching page %d: %ld faults, "
					       "want %ld", steps[i].page, nfaults, steps[i].want_faults);
	}
	for (int i = 0; i < N; i++)
		expect(p[i * PGSIZE] == 0 && p[i * PGSIZE + 7] == (i <= 1 || i == 16 || i == 17 || i == 33),
		       "page %d holds the wrong bytes", i);
	uint64_t before = free_pages();
	sbrk(-grow);
	if (!result && free_pages() - before < N)
		result = why, snprintf(why, sizeof(why), "shrinking gave back %lu pages, want %d",
				       (unsigned long)(free_pages() - before), N);
	return result;
}

/* Three tries: a wrong count in all of them is the kernel's, not noise. */
static void
fault_around_in_order(void)
{
	const char *why = NULL;

	if (!lazy())
		return;
	for (int attempt = 0; attempt < 3 && (why = fault_around_try()) != NULL; attempt++)
		printf("  lazy_fault_around_in_order: try %d: %s\n", attempt + 1, why);
	expect(why == NULL, "%s (in 3 tries)", why);
}

/*
 * The --stack helper, just exec'd: with the lazy design only the stack
 * pages from sp up (the arguments, crt0's frames) are mapped, and a touch
 * of the lowest stack page maps that one page; without it, all of them.
 * 0, or a code saying what differed.
 */
int
fresh_stack(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	int leaves = vm_count_leaves(vmprint_text(0), USER_STACK_BOTTOM, USER_STACK_TOP);
	int want = lazy() ? (int)((USER_STACK_TOP - (sp & ~(uintptr_t)(PGSIZE - 1))) / PGSIZE)
			  : USER_STACK_PAGES;

	if (leaves != want)
		return 10 + leaves;
	uint64_t before = free_pages();
	volatile char *low = (volatile char *)USER_STACK_BOTTOM;
	if (low[100] != 0)
		return 30;
	low[100] = 1;
	long used = (long)(before - free_pages());
	if (used != (lazy() ? 1 : 0))
		return 40 + (int)used;
	return 0;
}

static void
stack_at_exec(void)
{
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "vmtest", "--stack", NULL };
		exec("vmtest", argv);
		exit(99);
	}
	int st = wait_for(pid);
	expect(st == 0, "a fresh stack: %s (status %d)",
	       st >= 10 && st < 30 ? "the wrong number of pages mapped at exec (10 + pages)" :
	       st == 30 ? "the lowest page is not zero" :
	       st >= 40 ? "a touch of the lowest page took the wrong number of pages" : "exec failed", st);
}

const struct test tests_lazy[] = {
	{ "lazy_stack_at_exec", stack_at_exec },
	{ "lazy_sbrk_1gib_costs_nothing", sbrk_1gib_costs_nothing },
	{ "lazy_sparse_touches", sparse_touches },
	{ "lazy_fault_around_in_order", fault_around_in_order },
	{ "lazy_shrink_then_touch_kills", shrink_then_touch_kills },
	{ "lazy_beyond_break_kills", beyond_break_kills },
	{ "lazy_sbrk_limits", sbrk_limits },
	{ "lazy_syscalls_on_lazy_pages", syscalls_on_lazy_pages },
	{ "lazy_exec_from_lazy_pages", exec_from_lazy_pages },
	{ "lazy_out_of_memory_kills", out_of_memory_kills },
	{ "lazy_out_of_memory_in_copy", out_of_memory_in_copy },
	{ NULL, NULL },
};
