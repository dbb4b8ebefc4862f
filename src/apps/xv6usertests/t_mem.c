/*
 * xv6usertests: memory, as stock usertests checks it.  sbrk is eager (as
 * on xv6 2022 and 2025): byte-wise growth, zeroed pages, a big heap,
 * failures that change nothing, growth page by page until memory runs
 * out and back (countfree), shrinking past zero, freed pages unmapped,
 * system calls on heap memory, a path string at the very top of the
 * heap, exec with memory nearly gone.  sbrklazy (2025) only moves the
 * break: a 1 GiB heap costs what is touched, system calls work on
 * untouched pages, and shrinking unmaps.
 */
#include "xv6ut.h"

#define MIB (1024 * 1024)

/* Move the break to a page boundary, so that shrinking frees whole pages. */
static void
align_break(void)
{
	uint64 brk = (uint64)sbrk(0);

	if (brk % PGSIZE)
		sbrk(PGSIZE - brk % PGSIZE);
}

/* sbrkbasic: 5000 one-byte steps, contiguous and writable, across fork. */
static void
sbrk_basic(void)
{
	char *a = sbrk(0);

	for (int i = 0; i < 5000; i++) {
		char *b = sbrk(1);
		CHECK(b == a + i, "sbrk(1) #%d returned %p, wanted %p", i, b, a + i);
		*b = 1;
	}
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	char *c = sbrk(1);
	CHECK(c == a + 5000 && sbrk(0) == a + 5001, "sbrk after fork moved wrongly");
	if (pid == 0)
		exit(0);
	int status;
	wait(&status);
	CHECK(status == 0, "the child failed");
}

/* New heap memory reads as zero, also when grown again after a shrink. */
static void
sbrk_zeroed(void)
{
	char *a = sbrk(8 * PGSIZE);

	CHECK(a != SBRK_ERROR, "sbrk failed");
	for (int i = 0; i < 8 * PGSIZE; i++)
		CHECK(a[i] == 0, "byte %d of new memory is %d", i, a[i]);
	memset(a, 0x5a, 8 * PGSIZE);
	CHECK(sbrk(-8 * PGSIZE) == a + 8 * PGSIZE, "shrink failed");
	CHECK(sbrk(8 * PGSIZE) == a, "grow again failed");
	for (int i = 0; i < 8 * PGSIZE; i += 512)
		CHECK(a[i] == 0, "regrown memory holds old data");
}

/* sbrkmuch: a big eager heap, its last byte, and a freed last page. */
static void
touch(uint64 va)
{
	*(volatile char *)va = 1;
}

static void
sbrk_much(void)
{
	uint64 want = xv6t_freemem() / 3;       /* a fork that copies (classic) must fit too */
	char *a = sbrk(0);

	if (want > 100 * MIB)
		want = 100 * MIB;
	char *p = sbrk(want);
	CHECK(p == a, "sbrk(%d) failed with %d bytes free", (int)want, (int)xv6t_freemem());
	char *last = a + want - 1;
	*last = 99;
	for (char *q = a; q < last; q += PGSIZE)
		*q = 1;
	char *c = sbrk(-PGSIZE);
	CHECK(c == a + want, "sbrk(-PGSIZE) returned %p", c);
	CHECK(killed_at(touch, PGROUNDDOWN((uint64)last)), "the freed page is still there");
	c = sbrk(PGSIZE);
	CHECK(c == a + want - PGSIZE && *(last) == 0, "regrown page not fresh");
	CHECK(sbrk(-(int)want) == a + want && sbrk(0) == a, "cannot shrink back");
}

/* A request that cannot be met fails and leaves the break where it was. */
static void
sbrk_fails_cleanly(void)
{
	char *a = sbrk(0);
	uint64 before = xv6t_freemem();

	CHECK(sbrk(0x7fffffff) == SBRK_ERROR, "eager sbrk of 2 GiB succeeded");
	CHECK(sbrk(0) == a, "a failed sbrk moved the break");
	CHECK(xv6t_freemem() + 4 * PGSIZE >= before, "a failed sbrk kept memory");
	CHECK(sbrk(-(int)((uint64)a + 1)) == a && sbrk(0) == a,
	      "a shrink past address 0 did not return the old break unchanged");
}

/*
 * countfree: eager growth page by page until sbrk fails; then little is
 * free, and shrinking back returns every page.  (The runner counts again
 * at the end, in a new child: the same count, or nothing leaked.)
 */
static void
grow_until_full(void)
{
	char *a = sbrk(0);
	int n = 0;

	xv6t_warm_stack();
	while (sbrk(PGSIZE) != SBRK_ERROR)
		a[(uint64)n++ * PGSIZE] = 1;
	uint64 left = xv6t_freemem();
	CHECK(n > 1000, "only %d pages", n);
	CHECK(left <= 8 * PGSIZE, "sbrk failed with %d bytes still free", (int)left);
	CHECK(sbrk(-n * PGSIZE) == a + (uint64)n * PGSIZE, "shrink back failed");
	CHECK(xv6t_freemem() == left + (uint64)n * PGSIZE,
	      "shrinking freed %d bytes, grew %d pages", (int)(xv6t_freemem() - left), n);
}

/* sbrkarg: heap memory as a write source and as pipe()'s array. */
static void
sbrk_arg(void)
{
	char *a = sbrk(PGSIZE);

	CHECK(a != SBRK_ERROR, "sbrk failed");
	memset(a, 'q', PGSIZE);
	make_file("sbrkarg", a, PGSIZE);
	CHECK(file_size("sbrkarg") == PGSIZE, "the file did not get the page");
	unlink("sbrkarg");
	CHECK(pipe((int *)a) == 0, "pipe into heap memory failed");
	close(((int *)a)[0]);
	close(((int *)a)[1]);
}

/* sbrklast: a path in the last bytes below the break, used by open/read. */
static void
sbrk_last(void)
{
	uint64 top = (uint64)sbrk(0);

	if (top % PGSIZE)
		sbrk(PGSIZE - top % PGSIZE);
	sbrk(PGSIZE);
	sbrk(10);
	sbrk(-20);
	top = (uint64)sbrk(0);
	char *p = (char *)(top - 64);
	p[0] = 'x';
	p[1] = 0;
	int fd = open(p, O_RDWR | O_CREATE);
	CHECK(fd >= 0 && write(fd, p, 1) == 1, "cannot create a file named at the heap's top");
	close(fd);
	fd = open(p, O_RDWR);
	p[0] = 0;
	CHECK(fd >= 0 && read(fd, p, 1) == 1 && p[0] == 'x', "cannot read it back");
	close(fd);
	unlink("x");
}

/* execout: exec with memory nearly all taken fails or runs, cleanly. */
static void
exec_low_memory(void)
{
	xv6t_warm_stack();
	for (int avail = 0; avail < 12; avail += 8) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			while (sbrk(PGSIZE) != SBRK_ERROR)
				*(sbrk(0) - 1) = 1;
			for (int i = 0; i < avail; i++)
				sbrk(-PGSIZE);
			close(1);
			char *args[] = { "echo", "x", 0 };
			exec("/echo", args);
			exit(0);
		}
		wait(0);
	}
}

/* sbrklazy: 1 GiB costs nothing until touched, then what is touched. */
static void
lazy_alloc(void)
{
	uint64 before = xv6t_freemem();
	char *a = sbrklazy(1024 * MIB);

	CHECK(a != SBRK_ERROR, "sbrklazy of 1 GiB failed");
	CHECK(xv6t_freemem() + 8 * PGSIZE >= before, "sbrklazy allocated %d bytes",
	      (int)(before - xv6t_freemem()));
	for (uint64 off = PGSIZE; off < 1024 * MIB; off += 64 * PGSIZE)
		*(uint64 *)(a + off) = off;
	uint64 touched = 1024 * MIB / (64 * PGSIZE);
	CHECK(before - xv6t_freemem() >= touched * PGSIZE, "touching %d pages took only %d bytes",
	      (int)touched, (int)(before - xv6t_freemem()));
	for (uint64 off = PGSIZE; off < 1024 * MIB; off += 64 * PGSIZE)
		CHECK(*(uint64 *)(a + off) == off, "lost the value at offset %d", (int)off);
	CHECK(sbrklazy(-1024 * MIB) == a + 1024 * MIB, "shrink failed");
	/* page-table pages stay until exit, as on xv6: one per 2 MiB touched */
	uint64 tables = 1024 / 2 + 8;
	CHECK(xv6t_freemem() + tables * PGSIZE >= before, "shrinking kept %d bytes",
	      (int)(before - xv6t_freemem()));
}

/* lazy_copy: system calls read into and write from untouched lazy pages. */
static void
lazy_copy(void)
{
	char *a = sbrklazy(16 * PGSIZE);
	int fds[2];

	CHECK(a != SBRK_ERROR, "sbrklazy failed");
	int fd = open("/README", O_RDONLY);
	CHECK(fd >= 0 && read(fd, a + 3 * PGSIZE - 10, 100) == 100, "read into a lazy page failed");
	close(fd);
	CHECK(memcmp(a + 3 * PGSIZE - 10, "# Canopy", 8) == 0, "read the wrong data");
	CHECK(pipe(fds) == 0, "pipe failed");
	CHECK(write(fds[1], a + 8 * PGSIZE, PGSIZE) == PGSIZE, "write from a lazy page failed");
	CHECK(read(fds[0], a + 12 * PGSIZE, PGSIZE) == PGSIZE && a[12 * PGSIZE] == 0,
	      "a lazy page did not read as zeroes");
	char *end = (char *)PGROUNDUP((uint64)sbrk(0));
	CHECK(write(fds[1], "z", 1) == 1, "write failed");
	CHECK(write(fds[1], end, 1) == -1 && read(fds[0], end + PGSIZE, 1) == -1,
	      "a call used memory beyond the break");
	close(fds[0]);
	close(fds[1]);
}

/* lazy_unmap: pages freed by shrinking are gone, touched or not. */
static void
lazy_unmap(void)
{
	align_break();
	char *a = sbrklazy(256 * PGSIZE);

	CHECK(a != SBRK_ERROR, "sbrklazy failed");
	for (int i = 0; i < 256; i += 16)
		a[i * PGSIZE] = 1;
	sbrklazy(-256 * PGSIZE);
	for (int i = 0; i < 256; i += 64)
		CHECK(killed_at(touch, (uint64)a + i * PGSIZE), "page %d still mapped", i);
	CHECK(killed_at(touch, (uint64)a + 255 * PGSIZE), "an untouched page became mapped");
}

/* The break never reaches the stack, however it is asked. */
static void
sbrk_bounds(void)
{
	char *a = sbrk(0);

	CHECK(sbrklazy(0x7fffffff) != SBRK_ERROR, "lazy sbrk of 2 GiB failed");
	int n = 1;
	while (sbrklazy(0x7fffffff) != SBRK_ERROR && n < 200)
		n++;
	CHECK(n < 200, "the break grew past 400 GiB");
	char *top = sbrk(0);
	CHECK(top < (char *)(MAXVA - 4 * PGSIZE) && top > a, "the break is at %p", top);
	CHECK((uint64)top < r_sp(), "the break passed the stack");
}

struct xv6t_test mem_tests[] = {
	{ "sbrk_basic", sbrk_basic },
	{ "sbrk_zeroed", sbrk_zeroed },
	{ "sbrk_much", sbrk_much },
	{ "sbrk_fails_cleanly", sbrk_fails_cleanly },
	{ "grow_until_full", grow_until_full },
	{ "sbrk_arg", sbrk_arg },
	{ "sbrk_last", sbrk_last },
	{ "exec_low_memory", exec_low_memory },
	{ "lazy_alloc", lazy_alloc },
	{ "lazy_copy", lazy_copy },
	{ "lazy_unmap", lazy_unmap },
	{ "sbrk_bounds", sbrk_bounds },
	{ 0, 0 },
};
