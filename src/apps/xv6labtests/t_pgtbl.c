/*
 * xv6labtests: the page-table lab.  ugetpid() reads the pid without a
 * trap, in every child; pgaccess() reports exactly the pages touched
 * since its last call; pgpte() gives the leaf entry of an address, with
 * the permissions of what is there (stack, text, USYSCALL, a lazy page
 * before and after its first touch) and 0 where nothing is mapped, and
 * shows a large sbrk's superpages, writable in a child too;
 * kpgtbl() prints the kernel's table (checked on the console by
 * tests/suite_xv6.py) without harm.
 */
#include "labtests.h"

static void
ugetpid_children(void)
{
	for (int i = 0; i < 32; i++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0)
			exit(ugetpid() == getpid() ? 0 : 1);
		CHECK(wait_status(pid) == 0, "ugetpid differs from getpid in child %d", i);
	}
	CHECK(ugetpid() == getpid(), "ugetpid %d, getpid %d", ugetpid(), getpid());
}

static void
pgaccess_touched(void)
{
	char *buf = malloc(32 * PGSIZE);
	unsigned int abits;

	CHECK(buf != 0, "malloc failed");
	CHECK(pgaccess(buf, 32, &abits) == 0, "pgaccess failed");
	buf[PGSIZE * 1] += 1;
	buf[PGSIZE * 2] += 1;
	buf[PGSIZE * 30] += 1;
	CHECK(pgaccess(buf, 32, &abits) == 0, "pgaccess failed");
	CHECK(abits == ((1 << 1) | (1 << 2) | (1 << 30)), "accessed bits %x, wanted %x", abits,
	      (1 << 1) | (1 << 2) | (1 << 30));
	CHECK(pgaccess(buf, 32, &abits) == 0 && abits == 0, "the bits were not cleared: %x", abits);
	CHECK(pgaccess(buf, 32, (void *)0xffffffffffffffffUL) < 0, "pgaccess wrote to a bad mask");
	free(buf);
}

/* The permission bits of pte, as a mask of V R W X U. */
static uint64
perms(uint64 pte)
{
	return pte & (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U);
}

static void
pgpte_leaves(void)
{
	int local = 1;
	uint64 stack = pgpte(&local);
	uint64 text = pgpte((void *)pgpte_leaves);

	CHECK(perms(stack) == (PTE_V | PTE_R | PTE_W | PTE_U), "stack entry %p", stack);
	CHECK(perms(text) == (PTE_V | PTE_R | PTE_X | PTE_U), "text entry %p", text);
	CHECK(perms(pgpte((void *)USYSCALL)) == (PTE_V | PTE_R | PTE_U), "USYSCALL entry %p",
	      pgpte((void *)USYSCALL));
	CHECK(PTE2PA(stack) != PTE2PA(text), "stack and text in one physical page");
	uint64 nothing[] = { 0, MAXVA - PGSIZE, 0x3fffffc000UL, KERNBASE, 0xffffffff80000000UL };
	for (int i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++)
		CHECK(pgpte((void *)nothing[i]) == 0, "an entry at %p", nothing[i]);
	char *lazy = sbrklazy(4 * PGSIZE);
	char *page = (char *)PGROUNDUP((uint64)lazy);
	CHECK(pgpte(page) == 0, "an untouched lazy page has an entry");
	page[0] = 1;
	CHECK(perms(pgpte(page)) == (PTE_V | PTE_R | PTE_W | PTE_U), "touched lazy page entry %p",
	      pgpte(page));
}

/*
 * A large eager sbrk gets 2 MiB superpages: one entry, V R W, for each of
 * the 512 pages of an aligned 2 MiB, in the parent and in a child, where
 * the page is writable as stock xv6's copying fork would leave it.
 */
static int
superpage_entries_ok(uint64 s, int value)
{
	uint64 first = pgpte((void *)s);

	if ((first & (PTE_V | PTE_R | PTE_W | PTE_U)) != (PTE_V | PTE_R | PTE_W | PTE_U))
		return 0;
	for (uint64 va = s; va < s + SUPERPGSIZE; va += PGSIZE)
		if (pgpte((void *)va) != first)
			return 0;
	*(int *)s = value;
	return *(int *)s == value;
}

static void
superpages_in_parent_and_child(void)
{
	char *end = sbrk(4 * SUPERPGSIZE);
	CHECK(end != SBRK_ERROR, "sbrk of 8 MiB failed");
	uint64 s = SUPERPGROUNDUP((uint64)end);
	CHECK(superpage_entries_ok(s, 7), "the parent's entries for %p are not one superpage: %p",
	      s, pgpte((void *)s));
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0)
		exit(superpage_entries_ok(s, 8) ? 0 : 1);
	CHECK(wait_status(pid) == 0, "the child's entries are not one writable superpage");
	CHECK(*(int *)s == 7, "the child's write reached the parent");
	sbrk(-4 * SUPERPGSIZE);
}

static void
kpgtbl_prints(void)
{
	printf("kpgtbl-start\n");
	kpgtbl();
	printf("kpgtbl-end\n");
}

struct xv6t_test pgtbl_tests[] = {
	{ "ugetpid_children", ugetpid_children },
	{ "pgaccess_touched", pgaccess_touched },
	{ "pgpte_leaves", pgpte_leaves },
	{ "superpages_in_parent_and_child", superpages_in_parent_and_child },
	{ "kpgtbl_prints", kpgtbl_prints },
	{ 0, 0 },
};
