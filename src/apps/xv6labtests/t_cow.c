/*
 * xv6labtests: the copy-on-write and lazy-allocation labs.
 *
 * cowtest: a process holding two thirds of free memory forks (possible
 * only copy-on-write: on Canopy's classic design, which copies, fork must
 * fail cleanly instead); three processes write overlapping parts of a
 * shared quarter of memory and each sees its own data; read() into pages
 * shared with children; every page back afterwards.
 *
 * lazytests: a 1 GiB lazy heap written sparsely and read back; shrinking
 * unmaps (a child touching a freed page dies); a process that touches
 * more lazy memory than exists is killed and the system lives on.
 */
#include "labtests.h"

/* simpletest: fork with most of memory in use, twice. */
static void
cow_big_fork(void)
{
	uint64 before = xv6t_freemem();

	xv6t_warm_stack();
	for (int round = 0; round < 2; round++) {
		int sz = PGROUNDDOWN(xv6t_freemem() / 3 * 2);
		char *p = sbrk(sz);
		CHECK(p != SBRK_ERROR, "sbrk(%d) failed", sz);
		for (char *q = p; q < p + sz; q += PGSIZE)
			*(int *)q = getpid();
		int pid = fork();
		if (has_cow())
			CHECK(pid >= 0, "fork failed with two thirds of memory in use");
		else
			CHECK(pid < 0, "fork copied two thirds of memory into one third");
		if (pid == 0)
			exit(0);
		if (pid > 0)
			wait(0);
		CHECK(sbrk(-sz) == p + sz, "sbrk(-%d) failed", sz);
	}
	/* page-table pages stay until exit, as on xv6: one per 2 MiB of heap */
	uint64 tables = before / 3 * 2 / (2 * MIB) + 4;
	CHECK(xv6t_freemem() + tables * PGSIZE >= before, "%d bytes not back",
	      (int)(before - xv6t_freemem()));
}

static int
check_fill(char *p, int n, int value)
{
	for (char *q = p; q < p + n; q += PGSIZE)
		if (*(int *)q != value)
			return 0;
	return 1;
}

/* threetest: three processes write overlapping parts of shared pages. */
static void
cow_three(void)
{
	int sz = PGROUNDDOWN(xv6t_freemem() / 4);
	char *p = sbrk(sz);

	CHECK(p != SBRK_ERROR, "sbrk(%d) failed", sz);
	for (char *q = p; q < p + sz; q += PGSIZE)
		*(int *)q = 1;
	int half = PGROUNDDOWN(sz / 2), most = PGROUNDDOWN(sz / 5 * 4);
	int pid1 = fork();
	CHECK(pid1 >= 0, "fork failed");
	if (pid1 == 0) {
		int pid2 = fork();
		if (pid2 == 0) {
			for (char *q = p; q < p + most; q += PGSIZE)
				*(int *)q = getpid();
			exit(check_fill(p, most, getpid()) ? 0 : 3);
		}
		for (char *q = p; q < p + half; q += PGSIZE)
			*(int *)q = 9999;
		int ok = pid2 > 0 && wait_status(pid2) == 0;
		exit(ok && check_fill(p, half, 9999) && check_fill(p + half, sz - half, 1) ? 0 : 2);
	}
	for (char *q = p; q < p + sz; q += PGSIZE)
		*(int *)q = getpid();
	CHECK(wait_status(pid1) == 0, "a child saw the wrong data");
	CHECK(check_fill(p, sz, getpid()), "the parent's data changed");
	CHECK(sbrk(-sz) == p + sz, "sbrk(-%d) failed", sz);
}

/* filetest: read() from a pipe into a buffer shared with the parent. */
static char shared[64];

static void
cow_read_into_shared(void)
{
	int fds[2];

	strcpy(shared, "parent");
	for (int i = 0; i < 4; i++) {
		CHECK(pipe(fds) == 0, "pipe failed");
		CHECK(write(fds[1], "child", 6) == 6, "write failed");
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			if (read(fds[0], shared, 6) != 6 || strcmp(shared, "child") != 0)
				exit(1);
			exit(0);
		}
		CHECK(wait_status(pid) == 0, "the child's read went wrong");
		CHECK(strcmp(shared, "parent") == 0, "the child's read reached the parent");
		close(fds[0]);
		close(fds[1]);
	}
}

/* sparse_memory: 1 GiB, one word every 64 pages, read back. */
static void
lazy_sparse(void)
{
	char *p = sbrklazy(1024 * MIB);

	CHECK(p != SBRK_ERROR, "sbrklazy(1 GiB) failed");
	for (char *q = p + PGSIZE; q < p + 1024 * MIB; q += 64 * PGSIZE)
		*(char **)q = q;
	for (char *q = p + PGSIZE; q < p + 1024 * MIB; q += 64 * PGSIZE)
		CHECK(*(char **)q == q, "lost the value at %p", q);
}

/* sparse_memory_unmap: after shrinking, a child touching the region dies. */
static void
lazy_unmap(void)
{
	char *p = sbrklazy(1024 * MIB);

	CHECK(p != SBRK_ERROR, "sbrklazy(1 GiB) failed");
	for (char *q = p + PGSIZE; q < p + 1024 * MIB; q += 16 * MIB)
		*(char **)q = q;
	for (char *q = p + PGSIZE; q < p + 1024 * MIB; q += 256 * MIB) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			sbrklazy(-1024 * MIB);
			*(char **)q = q;
			exit(0);
		}
		CHECK(wait_status(pid) == -1, "a page at %p was not unmapped", q);
	}
}

/* oom: touching more lazy memory than exists kills the toucher only. */
static void
lazy_out_of_memory(void)
{
	uint64 before = xv6t_freemem();
	int pid = fork();

	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		for (;;) {
			char *p = sbrklazy(4 * MIB);
			if (p == SBRK_ERROR)
				exit(0);
			for (char *q = p; q < p + 4 * MIB; q += PGSIZE)
				*q = 1;
		}
	}
	CHECK(wait_status(pid) == -1, "the child was not killed for lack of memory");
	CHECK(xv6t_freemem() + 8 * PGSIZE >= before, "its memory did not come back");
}

struct xv6t_test cow_tests[] = {
	{ "cow_big_fork", cow_big_fork },
	{ "cow_three", cow_three },
	{ "cow_read_into_shared", cow_read_into_shared },
	{ "lazy_sparse", lazy_sparse },
	{ "lazy_unmap", lazy_unmap },
	{ "lazy_out_of_memory", lazy_out_of_memory },
	{ 0, 0 },
};
