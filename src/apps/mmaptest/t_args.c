/*
 * What mmap, munmap and msync refuse: MAP_FIXED over the program, its
 * stack, the vDSO or past the user range, bad arguments (which change
 * nothing), and accesses PROT_NONE and PROT_READ forbid.
 */
#include "mmaptest.h"

#define KADDR_IMAGE 0xffffffff80200000UL

/* MAP_FIXED: exactly there, replacing a mapping; never over anything else. */
static void
map_fixed(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect(p != MAP_FAILED, "mmap failed");
	p[0] = 1;
	char *q = mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect(q == p, "MAP_FIXED landed at %p, not %p", q, p);
	expect(p[0] == 0, "MAP_FIXED did not replace the old page");
	char *text = (char *)((uint64_t)map_fixed & ~(PG - 1));
	expect(mmap(text, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	       MAP_FAILED, "MAP_FIXED over the program's text succeeded");
	expect(mmap((void *)(USER_STACK_TOP - PG), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_FIXED, -1, 0) == MAP_FAILED, "MAP_FIXED over the stack succeeded");
	expect(mmap((void *)VDSO_PROC, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		    -1, 0) == MAP_FAILED, "MAP_FIXED over the vDSO succeeded");
	expect(mmap((void *)(USER_TOP - PG), 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_FIXED, -1, 0) == MAP_FAILED, "MAP_FIXED past USER_TOP succeeded");
	expect(mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	       MAP_FAILED, "unaligned MAP_FIXED succeeded");
	expect(munmap(p, 2 * PG) == 0, "munmap");
}

/* Arguments that must fail, and change nothing. */
static void
bad_arguments(void)
{
	int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	uint64_t before = free_pages();

	expect(mmap(NULL, 0, PROT_READ, anon, -1, 0) == MAP_FAILED, "len 0 accepted");
	expect(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED,
	       "neither shared nor private accepted");
	expect(mmap(NULL, PG, PROT_READ, anon | MAP_SHARED, -1, 0) == MAP_FAILED,
	       "shared and private accepted");
	expect(mmap(NULL, PG, PROT_WRITE | PROT_EXEC, anon, -1, 0) == MAP_FAILED,
	       "writable and executable accepted");
	expect(mmap(NULL, PG, 0x80, anon, -1, 0) == MAP_FAILED, "unknown protection accepted");
	expect(mmap(NULL, PG, PROT_READ, anon | 0x4000, -1, 0) == MAP_FAILED,
	       "unknown flag accepted");
	expect(mmap(NULL, ~0UL, PROT_READ, anon, -1, 0) == MAP_FAILED, "huge length accepted");
	expect(mmap(NULL, PG, PROT_READ, MAP_SHARED, 99, 0) == MAP_FAILED, "bad fd accepted");
	expect(mmap(NULL, PG, PROT_READ, MAP_SHARED, 1, 0) == MAP_FAILED,
	       "the console accepted");
	int dir = open(".", O_RDONLY);
	expect(mmap(NULL, PG, PROT_READ, MAP_SHARED, dir, 0) == MAP_FAILED,
	       "a directory accepted");
	close(dir);
	make_file("m6", PG, 6);
	int ro = open_or_fail("m6", O_RDONLY), wo = open_or_fail("m6", O_WRONLY);
	expect(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED,
	       "shared writable mapping of a read-only descriptor accepted");
	expect(mmap(NULL, PG, PROT_READ, MAP_SHARED, wo, 0) == MAP_FAILED,
	       "mapping of a write-only descriptor accepted");
	expect(mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 100) == MAP_FAILED,
	       "unaligned offset accepted");
	char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	expect(priv != MAP_FAILED, "private writable mapping of a read-only file refused");
	expect(munmap(priv, PG) == 0, "munmap");
	close(ro);
	close(wo);
	expect(munmap((void *)0x1001, PG) == -1, "unaligned munmap accepted");
	expect(munmap((void *)USER_TEXT_BASE, PG) == -1, "munmap of the text accepted");
	expect(munmap(NULL, 0) == -1, "munmap of 0 bytes accepted");
	expect(msync((void *)0x1000, PG, MS_SYNC) == -1, "msync of unmapped memory accepted");
	expect(__sys_mmap((void *)KADDR_IMAGE, PG, PROT_READ, anon | MAP_FIXED, -1, 0) == -1,
	       "MAP_FIXED at a kernel address accepted");
	expect(unlink("m6") == 0, "unlink");
	expect(free_pages() + 4 >= before, "failed calls took %lu pages",
	       (unsigned long)(before - free_pages()));
}

/* PROT_NONE and PROT_READ are enforced. */
static void
protections(void)
{
	fault_addr = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect(fault_addr != MAP_FAILED, "PROT_NONE mapping refused");
	expect(child_status(read_fault_addr) == -1, "reading PROT_NONE memory did not kill");
	munmap(fault_addr, PG);
	fault_addr = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect(child_status(read_fault_addr) == 0, "reading PROT_READ memory killed");
	expect(child_status(write_fault_addr) == -1, "writing PROT_READ memory did not kill");
	munmap(fault_addr, PG);
}

const struct test tests_args[] = {
	{ "mmap_fixed", map_fixed },
	{ "mmap_bad_arguments", bad_arguments },
	{ "mmap_protections", protections },
	{ NULL, NULL },
};
