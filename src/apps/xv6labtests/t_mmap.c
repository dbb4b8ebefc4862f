/*
 * What the mmap lab's test program checks, through the xv6 API: a file of
 * a page and a half mapped read-only and private (its bytes, then zeroes
 * to the end of the mapping), private writes that never reach the file,
 * a shared writable mapping refused on a read-only descriptor and allowed
 * on a read-write one, shared writes reaching the file at munmap (a page
 * at a time), a mapping that outlives close(), two files mapped at once,
 * and mappings inherited by fork.
 */
#include "labtests.h"

#define MAP_FAILED_XV6 ((char *)-1)
#define FILE_SIZE (PGSIZE + PGSIZE / 2)

/* The test file: FILE_SIZE bytes of 'A'. */
static void
make_file(char *name)
{
	char buf[PGSIZE / 2];
	int fd;

	unlink(name);
	fd = open(name, O_WRONLY | O_CREATE);
	CHECK(fd >= 0, "create %s", name);
	memset(buf, 'A', sizeof(buf));
	for (int i = 0; i < FILE_SIZE / (int)sizeof(buf); i++)
		CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf), "write %s", name);
	close(fd);
}

/* The mapping shows the file's bytes, then zeroes. */
static void
check_contents(char *p, char *what)
{
	for (int i = 0; i < PGSIZE * 2; i++)
		CHECK(p[i] == (i < FILE_SIZE ? 'A' : 0), "%s: byte %d is %d", what, i, p[i]);
}

static void
mmap_readonly_private(void)
{
	make_file("mmap.dur");
	int fd = open("mmap.dur", O_RDONLY);
	char *p = mmap(0, PGSIZE * 2, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED_XV6, "mmap read-only private failed");
	check_contents(p, "read-only private");
	CHECK(munmap(p, PGSIZE * 2) == 0, "munmap failed");
	p = mmap(0, PGSIZE * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED_XV6, "private writable mapping of a read-only file refused");
	check_contents(p, "private writable");
	for (int i = 0; i < PGSIZE * 2; i++)
		p[i] = 'Z';
	CHECK(munmap(p, PGSIZE * 2) == 0, "munmap failed");
	close(fd);
	char c;
	fd = open("mmap.dur", O_RDONLY);
	CHECK(read(fd, &c, 1) == 1 && c == 'A', "a private write reached the file");
	close(fd);
	unlink("mmap.dur");
}

static void
mmap_shared_needs_write_access(void)
{
	make_file("mmap.dur");
	int fd = open("mmap.dur", O_RDONLY);
	CHECK(mmap(0, PGSIZE * 3, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED_XV6,
	      "shared writable mapping of a read-only file allowed");
	close(fd);
	fd = open("mmap.dur", O_RDWR);
	char *p = mmap(0, PGSIZE * 3, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED_XV6, "shared writable mapping of a read-write file refused");
	close(fd);              /* the mapping keeps the file */
	check_contents(p, "shared");
	for (int i = 0; i < PGSIZE * 2; i++)
		p[i] = 'Z';
	CHECK(munmap(p, PGSIZE) == 0, "munmap of the first page failed");
	char buf[PGSIZE / 2];
	fd = open("mmap.dur", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf) && buf[0] == 'Z' && buf[100] == 'Z',
	      "munmap did not write the first page back");
	close(fd);
	CHECK(munmap(p + PGSIZE, PGSIZE * 2) == 0, "munmap of the rest failed");
	struct stat st;
	CHECK(stat("mmap.dur", &st) == 0 && st.size == FILE_SIZE, "the file changed size");
	fd = open("mmap.dur", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf) && read(fd, buf, sizeof(buf)) == sizeof(buf),
	      "read");
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf) && buf[0] == 'Z',
	      "the second page was not written back");
	close(fd);
	unlink("mmap.dur");
}

static void
mmap_two_files(void)
{
	int fd1 = open("mmap1", O_RDWR | O_CREATE), fd2 = open("mmap2", O_RDWR | O_CREATE);
	CHECK(fd1 >= 0 && fd2 >= 0, "create");
	CHECK(write(fd1, "12345", 5) == 5 && write(fd2, "67890", 5) == 5, "write");
	char *p1 = mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, fd1, 0);
	char *p2 = mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, fd2, 0);
	close(fd1);
	close(fd2);
	unlink("mmap1");        /* the mappings keep them */
	unlink("mmap2");
	CHECK(p1 != MAP_FAILED_XV6 && p2 != MAP_FAILED_XV6 && p1 != p2, "mmap failed");
	CHECK(memcmp(p1, "12345", 5) == 0 && memcmp(p2, "67890", 5) == 0,
	      "the two mappings show the wrong files");
	CHECK(munmap(p1, PGSIZE) == 0 && munmap(p2, PGSIZE) == 0, "munmap");
}

static void
mmap_fork(void)
{
	make_file("mmap.dur");
	int fd = open("mmap.dur", O_RDONLY);
	char *p1 = mmap(0, PGSIZE * 2, PROT_READ, MAP_SHARED, fd, 0);
	char *p2 = mmap(0, PGSIZE * 2, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	CHECK(p1 != MAP_FAILED_XV6 && p2 != MAP_FAILED_XV6, "mmap failed");
	CHECK(*(p1 + PGSIZE) == 'A', "read before the fork");
	CHECK(munmap(p2, PGSIZE * 2) == 0, "munmap");
	int pid = fork();
	if (pid == 0) {
		check_contents(p1, "the child's copy");
		CHECK(munmap(p1, PGSIZE) == 0, "munmap in the child");
		exit(0);
	}
	CHECK(wait_status(pid) == 0, "the child failed");
	check_contents(p1, "the parent's after the child's munmap");
	CHECK(munmap(p1, PGSIZE * 2) == 0, "munmap");
	unlink("mmap.dur");
}

struct xv6t_test mmap_tests[] = {
	{ "mmap_readonly_private", mmap_readonly_private },
	{ "mmap_shared_needs_write_access", mmap_shared_needs_write_access },
	{ "mmap_two_files", mmap_two_files },
	{ "mmap_fork", mmap_fork },
	{ 0, 0 },
};
