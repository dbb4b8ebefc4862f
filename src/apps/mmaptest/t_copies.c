/*
 * System calls that copy into and out of mapped pages, through the same
 * fault path: into untouched mappings, crosswise between two files'
 * mappings at once, and within one file's own mapping.
 */
#include "mmaptest.h"

/* System calls copy into and out of mapped pages, through the same fault path. */
static void
syscalls_on_mappings(void)
{
	make_file("m7", 2 * PG, 7);
	int fd = open_or_fail("m7", O_RDWR);
	char *file = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *anon = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect(file != MAP_FAILED && anon != MAP_FAILED, "mmap failed");
	expect(lseek(fd, 0, SEEK_SET) == 0 && read(fd, anon, 2 * PG) == 2 * PG,
	       "read() into an untouched anonymous mapping failed");
	expect((uint8_t)anon[PG + 3] == pattern(7, PG + 3), "read() stored the wrong bytes");
	int out = open("m7b", O_CREAT | O_TRUNC | O_RDWR);
	expect(out >= 0 && write(out, file, 2 * PG) == 2 * PG,
	       "write() from an untouched file mapping failed");
	close(out);
	expect(file_byte("m7b", PG + 9) == pattern(7, PG + 9), "write() copied the wrong bytes");
	expect(lseek(fd, 0, SEEK_SET) == 0 && read(fd, file + 100, 50) == 50,
	       "read() of a file into its own mapping failed");
	close(fd);
	expect(munmap(file, 2 * PG) == 0 && munmap(anon, 2 * PG) == 0, "munmap");
	expect(unlink("m7") == 0 && unlink("m7b") == 0, "unlink");
}

/* read() from file `from` into a fresh shared mapping of file `into`, rounds times. */
static int
read_across(const char *from, const char *into, int rounds, int go)
{
	char c;

	for (int r = 0; r < rounds; r++) {
		if (read(go, &c, 1) != 1)
			return 2;
		int in = open(into, O_RDWR), src = open(from, O_RDONLY);
		char *m = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, in, 0);
		if (in < 0 || src < 0 || m == MAP_FAILED)
			return 3;
		if (read(src, m, 16 * PG) != 16 * PG)
			return 4;
		munmap(m, 16 * PG);
		close(in);
		close(src);
	}
	return 0;
}

/*
 * Two processes at once, each reading one file into a mapping of the
 * other, whose pages are not cached: each copy faults in a page of the
 * other file.  A read that held its file's lock across the copy would
 * deadlock with the other; both must finish.
 */
static void
crosswise_copies_finish(void)
{
	enum { ROUNDS = 12 };
	int go[2], back[2];

	make_file("cx", 16 * PG, 10);
	make_file("cy", 16 * PG, 11);
	expect(pipe(go) == 0 && pipe(back) == 0, "pipe");
	int pid = fork();
	if (pid == 0)
		exit(read_across("cx", "cy", ROUNDS, go[0]));
	for (int r = 0; r < ROUNDS; r++) {
		selftest(SELFTEST_DROP_CACHES, 0);
		expect(write(go[1], "g", 1) == 1 && write(back[1], "g", 1) == 1, "go");
		expect(read_across("cy", "cx", 1, back[0]) == 0, "the parent's read failed");
	}
	expect(wait_for(pid) == 0, "the child's reads failed");
	expect(unlink("cx") == 0 && unlink("cy") == 0, "unlink");
}

/*
 * write() and read() of a file from and into its own mapping, the pages
 * not cached: each copy faults in a page of the file it is writing or
 * reading, whose lock the call holds.
 */
static void
copies_within_one_file(void)
{
	make_file("m10", 4 * PG, 10);
	selftest(SELFTEST_DROP_CACHES, 0);
	int fd = open_or_fail("m10", O_RDWR);
	uint8_t *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	expect(p != MAP_FAILED, "mmap failed");
	expect(lseek(fd, PG, SEEK_SET) == PG && write(fd, p, PG) == PG,
	       "write() of a file's first page over its second, from its mapping, failed");
	expect(file_byte("m10", PG + 7) == pattern(10, 7), "write() stored the wrong bytes");
	selftest(SELFTEST_DROP_CACHES, 0);      /* the mapping's pages stay: they are mapped */
	expect(lseek(fd, 3 * PG, SEEK_SET) == 3 * PG && read(fd, p + 2 * PG, PG) == PG,
	       "read() of the file's last page into its own mapping failed");
	expect(p[2 * PG + 9] == pattern(10, 3 * PG + 9), "read() stored the wrong bytes");
	expect(munmap(p, 4 * PG) == 0, "munmap");
	close(fd);
	expect(file_byte("m10", 2 * PG + 9) == pattern(10, 3 * PG + 9),
	       "the mapping's change did not reach the file");
	expect(unlink("m10") == 0, "unlink");
}

const struct test tests_copies[] = {
	{ "mmap_syscalls_on_mappings", syscalls_on_mappings },
	{ "mmap_crosswise_copies_finish", crosswise_copies_finish },
	{ "mmap_copies_within_one_file", copies_within_one_file },
	{ NULL, NULL },
};
