/*
 * The page cache behind the mappings: pages nothing maps go back under
 * memory pressure, unmapped files do not pin the inodes nor the memory
 * objects, and processes that exec one program file share its text.
 */
#include "mmaptest.h"

/*
 * Cached file pages nothing maps go back when memory runs short, before
 * anyone is killed: a child touches more than is free, counting the cache.
 */
static void
cache_given_back_under_pressure(void)
{
	long n = 512;
	make_file("m8", n * PG, 8);
	int fd = open_or_fail("m8", O_RDONLY);
	volatile char *p = mmap(NULL, n * PG, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	expect(p != MAP_FAILED, "mmap failed");
	long sum = 0;
	for (long i = 0; i < n; i++)
		sum += p[i * PG];
	(void)sum;
	expect(munmap((void *)p, n * PG) == 0, "munmap");
	uint64_t free_now = info().free_pages;  /* not free_pages(): that empties the cache */
	int pid = fork();
	if (pid == 0) {
		long want = (long)free_now + n / 2;     /* only with the cache's pages */
		char *q = sbrk(want * PG);
		if (q == (char *)-1)
			exit(2);
		for (long i = 0; i < want; i++)
			q[i * PG] = 1;
		exit(0);
	}
	int st = wait_for(pid);
	expect(st == 0 || !(vdso()->design & DESIGN_LAZY),
	       "touching memory the cache held: status %d (killed before the cache was emptied)",
	       st);
	expect(unlink("m8") == 0, "unlink");
}

/*
 * Files mapped once and unmapped stay cached, each holding an in-memory
 * inode: after 250 of them (more than the kernel's 200 inodes) files can
 * still be opened and created.
 */
static void
many_files_leave_inodes(void)
{
	char name[16];

	for (int i = 0; i < 250; i++) {
		snprintf(name, sizeof(name), "many%d", i);
		int fd = open(name, O_CREAT | O_RDWR);
		expect(fd >= 0, "create %s (file %d) failed", name, i);
		expect(write(fd, name, 8) == 8, "write");
		volatile char *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
		expect(p != MAP_FAILED, "mmap of file %d failed", i);
		expect(p[0] == 'm', "file %d reads wrong", i);
		expect(munmap((void *)p, PG) == 0, "munmap");
		close(fd);
	}
	for (int i = 0; i < 250; i++) {
		snprintf(name, sizeof(name), "many%d", i);
		expect(unlink(name) == 0, "unlink %s", name);
	}
}

/* Take memory objects with 1-page shared anonymous mappings until refused; then wait. */
static void
hold_objects(int ready, int release)
{
	char *at = (char *)0x20000000, c = 0;
	int n = 0;

	while (mmap(at + 2L * n * PG, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1,
		    0) != MAP_FAILED)
		n++;
	(void)write(ready, &n, sizeof(n));
	(void)read(release, &c, 1);
	exit(0);
}

/*
 * Mappings hold every memory object (the page-cache slots): a mapping
 * that needs a new one is refused, but a program file that has none still
 * runs (exec reads the file and copies it).  Unmapped files' cached
 * objects give their slots to new mappings, so the cache cannot pin them.
 */
static void
exec_with_every_object_in_use(void)
{
	static char prog[65536];
	int ready[2], release[2], holders = 0, n;

	int in = open_or_fail("/bin/true", O_RDONLY);
	long size = read(in, prog, sizeof(prog));
	close(in);
	expect(size > 0 && size < (long)sizeof(prog), "cannot read /bin/true");
	int out = open_or_fail("m12", O_CREAT | O_TRUNC | O_RDWR);
	expect(write(out, prog, size) == size, "write m12");
	close(out);
	make_file("m12map", PG, 12);
	int fd = open_or_fail("m12map", O_RDONLY);
	char *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	expect(p != MAP_FAILED && munmap(p, PG) == 0, "mmap of m12map");   /* its object stays cached */
	close(fd);
	expect(pipe(ready) == 0 && pipe(release) == 0, "pipe");
	do {                    /* holders until one gets no object at all */
		int pid = fork();
		expect(pid >= 0, "fork of holder %d failed", holders);
		if (pid == 0)
			hold_objects(ready[1], release[0]);
		holders++;
		expect(read(ready[0], &n, sizeof(n)) == sizeof(n), "holder %d failed", holders);
	} while (n > 0 && holders < 20);
	expect(n == 0, "20 holders of mappings did not take every object");
	fd = open_or_fail("m12map", O_RDONLY);
	expect(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED,
	       "a file mapping got an object when none was free (a cached one kept its slot)");
	close(fd);
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "m12", NULL };
		exec("m12", argv);
		exit(4);
	}
	expect(wait_for(pid) == 0, "a program file with no object free did not run");
	for (int i = 0; i < holders; i++)
		expect(write(release[1], "r", 1) == 1, "release");
	for (int i = 0; i < holders; i++)
		wait(NULL);
	close(ready[0]);
	close(ready[1]);
	close(release[0]);
	close(release[1]);
	fd = open_or_fail("m12map", O_RDONLY);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	expect(p != MAP_FAILED && (uint8_t)p[3] == pattern(12, 3),
	       "the file mapping failed after the holders left");
	expect(munmap(p, PG) == 0 && unlink("m12") == 0 && unlink("m12map") == 0, "cleanup");
}

/*
 * Processes that exec the same program file map one copy of its text,
 * the file's page in the page cache: three runs of /bin/mmaptest report
 * the same physical page for their first text page, while each runs.
 */
static void
exec_shares_program_text(void)
{
	enum { RUNS = 3 };
	int report[2], hold[2];
	uint64_t pa[RUNS];
	char fd_arg[12];

	expect(pipe(report) == 0 && pipe(hold) == 0, "pipe");
	snprintf(fd_arg, sizeof(fd_arg), "%d", report[1]);
	for (int i = 0; i < RUNS; i++) {
		int pid = fork();
		expect(pid >= 0, "fork");
		if (pid == 0) {
			close(0);               /* the runs wait on hold: all alive at once */
			dup(hold[0]);
			close(hold[1]);
			char *argv[] = { "mmaptest", "--text-page", fd_arg, NULL };
			exec("/bin/mmaptest", argv);
			exit(9);
		}
		expect(read(report[0], &pa[i], sizeof(pa[i])) == sizeof(pa[i]),
		       "run %d did not report", i);
	}
	close(hold[1]);                 /* let them go */
	for (int i = 0; i < RUNS; i++)
		expect(wait(NULL) > 0, "wait");
	close(hold[0]);
	close(report[0]);
	close(report[1]);
	for (int i = 1; i < RUNS; i++)
		expect(pa[i] != 0 && pa[i] == pa[0], "run %d has its text at %#lx, run 0 at %#lx",
		       i, (unsigned long)pa[i], (unsigned long)pa[0]);
}

/* --text-page FD: report our first text page's physical address, wait for EOF on 0. */
int
text_page(int fd)
{
	uint64_t pte = pgpte((const void *)USER_TEXT_BASE);
	uint64_t pa = (pte >> 10) << 12;
	char c;

	if (write(fd, &pa, sizeof(pa)) != sizeof(pa))
		return 2;
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

const struct test tests_cache[] = {
	{ "mmap_cache_given_back_under_pressure", cache_given_back_under_pressure },
	{ "mmap_many_files_leave_inodes", many_files_leave_inodes },
	{ "mmap_exec_with_every_object_in_use", exec_with_every_object_in_use },
	{ "mmap_exec_shares_program_text", exec_shares_program_text },
	{ NULL, NULL },
};
