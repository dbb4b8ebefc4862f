/*
 * xv6lazysbrk: a program in the style of the 2020 lazy-allocation lab,
 * whose sbrk is lazy: its folder's xv6-api file says "sbrk lazy".  Checks
 * that sbrk (and malloc over it) only move the break, that sparse
 * touches cost what they touch, and that sbrklazy is unchanged.  Prints
 * PASS/FAIL lines and "xv6lazysbrk: N passed, M failed".
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/riscv.h"
#include "kernel/sysinfo.h"
#include "user/user.h"

#define GIB (1024 * 1024 * 1024)

static int passed, failed;

static void
report(char *name, int ok)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	if (ok)
		passed++;
	else
		failed++;
}

static uint64
freemem(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return si.freemem;
}

/* sparse_memory: sbrk(1 GiB) succeeds at once; touches cost one page each. */
static int
sparse(void)
{
	uint64 before = freemem();
	char *p = sbrk(GIB);

	if (p == SBRK_ERROR || before - freemem() > 8 * PGSIZE)
		return 0;
	for (char *q = p + PGSIZE; q < p + GIB; q += 256 * PGSIZE)
		*(char **)q = q;
	for (char *q = p + PGSIZE; q < p + GIB; q += 256 * PGSIZE)
		if (*(char **)q != q)
			return 0;
	int ok = before - freemem() >= GIB / (256 * PGSIZE) * PGSIZE;
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

int
main(int argc, char *argv[])
{
	report("lazy_sbrk_sparse", sparse());
	report("lazy_sbrk_malloc", big_malloc());
	uint64 before = freemem();
	report("lazy_sbrklazy_too", sbrklazy(GIB) != SBRK_ERROR && before - freemem() < 8 * PGSIZE);
	printf("xv6lazysbrk: %d passed, %d failed\n", passed, failed);
	exit(failed ? 1 : 0);
}
