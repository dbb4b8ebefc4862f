/*
 * mmaptest [name...]: the tests of mmap, munmap and msync and of the page
 * cache behind them (run inside Canopy, on a disk: tests/suite_mmap.py).
 * Each test runs in a child; the runner checks the free-page count after
 * each, so every test removes its files (a file's cached pages go with
 * its last link).
 *
 * mmaptest --peer FILE N: map FILE shared, wait for byte N to become 'p',
 * answer by writing 'q' at N+1 (the unrelated-process test).
 *
 * mmaptest --text-page FD: write the physical address of our first text
 * page (pgpte) to FD (the shared-program-text test).
 */
#include "mmaptest.h"

/* A file of n bytes, byte i = pattern(seed, i). */
uint8_t
pattern(int seed, long i)
{
	return (uint8_t)(i * 7 + seed + (i >> 12));
}

void
make_file(const char *path, long n, int seed)
{
	static uint8_t buf[PG];
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR);

	expect(fd >= 0, "cannot create %s", path);
	for (long off = 0; off < n; off += PG) {
		long m = n - off < PG ? n - off : PG;
		for (long i = 0; i < m; i++)
			buf[i] = pattern(seed, off + i);
		expect(write(fd, buf, m) == m, "write %s", path);
	}
	close(fd);
}

int
open_or_fail(const char *path, int flags)
{
	int fd = open(path, flags);

	expect(fd >= 0, "open %s", path);
	return fd;
}

/* Byte off of the file, read with read(). */
int
file_byte(const char *path, long off)
{
	uint8_t c;
	int fd = open_or_fail(path, O_RDONLY);

	expect(lseek(fd, off, SEEK_SET) == off, "lseek");
	long n = read(fd, &c, 1);
	close(fd);
	return n == 1 ? c : -1;
}

long
file_size(const char *path)
{
	struct stat st;

	expect(stat(path, &st) == 0, "stat %s", path);
	return st.st_size;
}

/* Run fn in a child and return how it ended: its status, -1 if killed. */
int
child_status(void (*fn)(void))
{
	return run_in_child(fn);
}

char *fault_addr;

void
read_fault_addr(void)
{
	volatile char c = *fault_addr;
	(void)c;
	exit(0);
}

void
write_fault_addr(void)
{
	*fault_addr = 1;
	exit(0);
}

static const struct test_group groups[] = {
	{ "anon", tests_anon, false },
	{ "file", tests_file, false },
	{ "args", tests_args, false },
	{ "copies", tests_copies, false },
	{ "cache", tests_cache, false },
	{ NULL, NULL, false },
};

int
main(int argc, char *argv[])
{
	static const struct test_program prog = { "mmaptest", groups, NULL };

	if (argc == 4 && strcmp(argv[1], "--peer") == 0)
		return peer(argv[2], atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "--text-page") == 0)
		return text_page(atoi(argv[2]));
	if (chdir("/tmp") < 0) {
		printf("mmaptest: no /tmp\n");
		return 1;
	}
	return run_tests(&prog, argc, argv);
}
