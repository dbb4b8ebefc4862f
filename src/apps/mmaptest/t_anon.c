/*
 * Anonymous memory: private mappings are lazy, zeroed and private to a
 * process, shared ones one set of pages across fork; munmap of part of a
 * mapping splits it.
 */
#include "mmaptest.h"

/* Anonymous private memory: lazy, zeroed, private, gone after munmap. */
static void
anon_private(void)
{
	uint64_t before = free_pages();
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect(p != MAP_FAILED, "mmap failed");
	expect(free_pages() + 2 >= before, "mmap took %lu pages before any touch",
	       (unsigned long)(before - free_pages()));
	for (long i = 0; i < 8 * PG; i += 512)
		expect(p[i] == 0, "byte %ld not zero", i);
	for (long i = 0; i < 8; i++)
		p[i * PG] = (char)(i + 1);
	int pid = fork();
	if (pid == 0) {
		p[0] = 99;      /* private: the parent must not see it */
		exit(p[PG] == 2 ? 0 : 1);
	}
	expect(wait_for(pid) == 0, "child did not see the parent's data");
	expect(p[0] == 1, "the child's write reached the parent");
	expect(munmap(p, 8 * PG) == 0, "munmap failed");
	fault_addr = p + PG;
	expect(child_status(read_fault_addr) == -1, "reading an unmapped page did not kill");
}

/* Anonymous shared memory: one set of pages across fork, both ways. */
static void
anon_shared(void)
{
	volatile int *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			       -1, 0);

	expect(p != MAP_FAILED, "mmap failed");
	p[0] = 5;
	int pid = fork();
	if (pid == 0) {
		while (p[1] == 0)
			sleep_ticks(1);
		p[PG / sizeof(int)] = p[0] + p[1];      /* a page nobody touched before the fork */
		exit(0);
	}
	p[1] = 7;
	expect(wait_for(pid) == 0, "child failed");
	expect(p[PG / sizeof(int)] == 12, "the child's write is not shared: %d",
	       p[PG / sizeof(int)]);
	expect(munmap((void *)p, 2 * PG) == 0, "munmap failed");
}

/* Partial munmap splits a mapping; the middle is gone, the ends stay. */
static void
partial_munmap_splits(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect(p != MAP_FAILED, "mmap failed");
	for (int i = 0; i < 4; i++)
		p[i * PG] = (char)(10 + i);
	expect(munmap(p + PG, 2 * PG) == 0, "munmap of the middle failed");
	expect(p[0] == 10 && p[3 * PG] == 13, "the ends lost their data");
	fault_addr = p + 2 * PG;
	expect(child_status(read_fault_addr) == -1, "the middle is still mapped");
	expect(munmap(p, 4 * PG) == 0, "munmap of the rest failed");
}

const struct test tests_anon[] = {
	{ "mmap_anon_private", anon_private },
	{ "mmap_anon_shared", anon_shared },
	{ "mmap_partial_munmap_splits", partial_munmap_splits },
	{ NULL, NULL },
};
