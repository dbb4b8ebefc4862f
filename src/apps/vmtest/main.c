/*
 * vmtest [seed=N] [name...]: run the demand-paging tests (all, or those
 * whose names contain one of the names).  Prints "PASS name" or
 * "FAIL name" per test and "vmtest: N passed, M failed" at the end.
 * seed=N seeds the randomised test (default 1); it is printed first.
 *
 * Tests also exec vmtest itself in helper modes:
 *   vmtest --exit N                 exit with status N at once
 *   vmtest --signal-and-wait W R    write one byte to fd W, read one from fd R, exit 0
 *   vmtest --heap-bounds            check sbrk's lower bound in a fresh image
 *   vmtest --rand-worker S N D K    continue the randomised test (t_random.c)
 *   vmtest --forge N                fill 8 MiB with forged page-table entries,
 *                                   then exec itself N more times (t_introspect.c)
 */
#include "vmtest.h"

uint64_t random_seed = 1;

#define TEST_MEMORY_PAGES 65536         /* 256 MiB */

bool
lazy(void)
{
	return vdso()->design & DESIGN_LAZY;
}

bool
cow(void)
{
	return vdso()->design & DESIGN_COW;
}

char *
sbrk_pages(long npages)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	uintptr_t pad = (PGSIZE - brk % PGSIZE) % PGSIZE;

	expect(sbrk(pad) != (void *)-1, "sbrk(%lu) to align the break failed", (unsigned long)pad);
	char *p = sbrk(npages * PGSIZE);
	expect(p != (char *)-1, "sbrk of %ld pages failed", npages);
	return p;
}

static char vmprint_buf[64 * 1024];

const char *
vmprint_text(int pid)
{
	long n = vmprint(pid, vmprint_buf, sizeof(vmprint_buf) - 1);

	expect(n > 0, "vmprint(%d) failed", pid);
	expect(n < (long)sizeof(vmprint_buf) - 1, "vmprint(%d) output did not fit", pid);
	vmprint_buf[n] = 0;
	return vmprint_buf;
}

/* Leaf lines read " ..[i] va 0x%010lx pa 0x%016lx FLAGS". */
bool
vm_leaf(const char *text, uint64_t va, char flags[10], uint64_t *pa)
{
	char key[40];

	snprintf(key, sizeof(key), " va 0x%010lx pa ", (unsigned long)va);
	const char *at = strstr(text, key);
	if (!at)
		return false;
	char *end;
	uint64_t phys = strtoul(at + strlen(key), &end, 16);
	while (*end == ' ')
		end++;
	memcpy(flags, end, 9);
	flags[9] = 0;
	if (pa)
		*pa = phys;
	return true;
}

/* Leaves with lo <= va < hi. */
int
vm_count_leaves(const char *text, uint64_t lo, uint64_t hi)
{
	int n = 0;

	for (const char *at = strstr(text, " va 0x"); at; at = strstr(at + 1, " va 0x")) {
		uint64_t va = strtoul(at + 4, NULL, 16);
		n += va >= lo && va < hi;
	}
	return n;
}

static const struct test_group groups[] = {
	{ "lazy", tests_lazy, false },
	{ "cow", tests_cow, false },
	{ "introspect", tests_introspect, false },
	{ "random", tests_random, false },
	{ "oom", tests_oom, false },
	{ "huge", tests_huge, false },
	{ NULL, NULL, false },
};

/* The helper modes other tests exec; -1 if argv names none. */
static int
helper_mode(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "--exit") == 0)
		return atoi(argv[2]);
	if (argc == 4 && strcmp(argv[1], "--signal-and-wait") == 0) {
		char c = 'e';
		if (write(atoi(argv[2]), &c, 1) != 1 || read(atoi(argv[3]), &c, 1) != 1)
			return 1;
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--heap-bounds") == 0) {
		/* a fresh image: the break is the heap's start */
		char *start = sbrk(0);
		if (sbrk(-1) != (void *)-1 || sbrk(0) != start)
			return 10;
		if (sbrk(PGSIZE) != start || sbrk(-PGSIZE - 1) != (void *)-1)
			return 11;
		if (sbrk(-PGSIZE) != start + PGSIZE || sbrk(0) != start)
			return 12;
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--stack") == 0)
		return fresh_stack();
	if (argc == 3 && strcmp(argv[1], "--forge") == 0)
		return forge_and_exec(atoi(argv[2]));
	if (argc == 6 && strcmp(argv[1], "--rand-worker") == 0)
		return random_worker(strtoull(argv[2], NULL, 10), atoi(argv[3]), atoi(argv[4]),
				     atoi(argv[5]));
	return -1;
}

int
main(int argc, char *argv[])
{
	static const struct test_program vmtest = { "vmtest", groups, NULL };
	int helper = helper_mode(argc, argv);

	if (helper >= 0)
		return helper;
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "seed=", 5) == 0)
			random_seed = strtoull(argv[i] + 5, NULL, 10);
	printf("vmtest: seed %lu, design%s%s\n", (unsigned long)random_seed,
	       lazy() ? " lazy" : " eager", cow() ? " cow" : " copying-fork");
	/*
	 * Several tests use memory up: on a big machine that would take
	 * minutes and the host's RAM, so all but 256 MiB is set aside,
	 * untouched, until we exit.
	 */
	if (info().total_pages > 2 * TEST_MEMORY_PAGES) {
		long n = selftest(SELFTEST_SET_ASIDE, TEST_MEMORY_PAGES);
		printf("vmtest: %ld of %lu pages set aside: the tests use the rest\n", n,
		       (unsigned long)info().total_pages);
	}
	return run_tests(&vmtest, argc, argv);
}
