/*
 * xv6lazysbrk: a program in the style of the 2020 lazy-allocation lab,
 * whose sbrk is lazy: its folder's xv6-api file says "sbrk lazy".  Checks
 * that sbrk (and malloc over it) only move the break, that sparse
 * touches cost what they touch, and that sbrklazy is unchanged.  Prints
 * PASS/FAIL lines and "xv6lazysbrk: N passed, M failed" through libxv6's
 * runner (xv6testing.h), which runs each check in this process, one
 * after another in one heap.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/riscv.h"
#include "kernel/sysinfo.h"
#include "user/user.h"
#include "xv6testing.h"

#define GIB (1024 * 1024 * 1024)

/* sparse_memory: sbrk(1 GiB) succeeds at once; touches cost one page each. */
static int
sparse(void)
{
	uint64 before = xv6t_freemem();
	char *p = sbrk(GIB);

	if (p == SBRK_ERROR || before - xv6t_freemem() > 8 * PGSIZE)
		return 0;
	for (char *q = p + PGSIZE; q < p + GIB; q += 256 * PGSIZE)
		*(char **)q = q;
	for (char *q = p + PGSIZE; q < p + GIB; q += 256 * PGSIZE)
		if (*(char **)q != q)
			return 0;
	int ok = before - xv6t_freemem() >= GIB / (256 * PGSIZE) * PGSIZE;
	return sbrk(-GIB) == p + GIB && ok;
}

/* malloc of far more than memory holds succeeds, lazily. */
static int
big_malloc(void)
{
	char *m[8];

	for (int i = 0; i < 8; i++) {
		m[i] = malloc(256 * 1024 * 1024);
		if (m[i] == 0)
			return 0;
		m[i][0] = i;
	}
	for (int i = 0; i < 8; i++)
		if (m[i][0] != i)
			return 0;
	return 1;
}

/* sbrklazy, after the heap above: it only moves the break. */
static int
sbrklazy_too(void)
{
	uint64 before = xv6t_freemem();

	return sbrklazy(GIB) != SBRK_ERROR && before - xv6t_freemem() < 8 * PGSIZE;
}

static struct xv6t_check checks[] = {
	{ "lazy_sbrk_sparse", sparse },
	{ "lazy_sbrk_malloc", big_malloc },
	{ "lazy_sbrklazy_too", sbrklazy_too },
	{ 0, 0 },
};

int
main(int argc, char *argv[])
{
	xv6t_run_checks(checks);
	xv6t_exit("xv6lazysbrk");
}
