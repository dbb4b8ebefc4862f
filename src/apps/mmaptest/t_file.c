/*
 * File mappings: a shared mapping shows the file and writes back (at
 * msync, munmap and exit, never past the file's end, not even after the
 * file is cut, nor when its writer is killed mid-way); a private one never
 * reaches the file; write() shows through a mapping at once, and two
 * unrelated processes share a mapped file's page.
 */
#include <signal.h>
#include "mmaptest.h"

/* A shared file mapping: the file's bytes, writes back at msync, never longer. */
static void
file_shared_msync(void)
{
	long n = 3 * PG + 100;
	make_file("m1", n, 1);
	int fd = open_or_fail("m1", O_RDWR);
	uint8_t *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);      /* the mapping keeps the file */

	expect(p != MAP_FAILED, "mmap failed");
	for (long i = 0; i < n; i++)
		expect(p[i] == pattern(1, i), "byte %ld through the mapping differs", i);
	for (long i = n; i < 4 * PG; i++)
		expect(p[i] == 0, "byte %ld past the end is not zero", i);
	p[10] = 'a';
	p[2 * PG + 1] = 'b';
	p[n + 5] = 'z';         /* past the end: never written to the file */
	expect(msync(p, 4 * PG, MS_SYNC) == 0, "msync failed");
	expect(file_byte("m1", 10) == 'a' && file_byte("m1", 2 * PG + 1) == 'b',
	       "msync did not write the changes");
	expect(file_size("m1") == n, "the file grew to %ld", file_size("m1"));
	p[11] = 'c';            /* after msync: written again at munmap */
	expect(munmap(p, 4 * PG) == 0, "munmap failed");
	expect(file_byte("m1", 11) == 'c', "munmap did not write the change");
	expect(unlink("m1") == 0, "unlink");
}

static void
write_and_exit(void)
{
	int fd = open_or_fail("m2", O_RDWR);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		exit(2);
	p[100] = 'X';
	exit(0);                /* no msync, no munmap */
}

/* What a shared mapping wrote reaches the file when its process exits. */
static void
file_written_back_at_exit(void)
{
	make_file("m2", 2 * PG, 2);
	expect(child_status(write_and_exit) == 0, "child failed");
	expect(file_byte("m2", 100) == 'X', "exit did not write the shared page back");
	expect(file_byte("m2", 101) == pattern(2, 101), "a clean byte changed");
	expect(unlink("m2") == 0, "unlink");
}

/* A private file mapping never reaches the file, nor a shared mapping of it. */
static void
file_private_stays_private(void)
{
	make_file("m3", 2 * PG, 3);
	int fd = open_or_fail("m3", O_RDWR);
	uint8_t *priv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	uint8_t *shared = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);

	expect(priv != MAP_FAILED && shared != MAP_FAILED, "mmap failed");
	expect(priv[5] == pattern(3, 5), "private mapping's byte differs");
	priv[5] = 'P';
	expect(shared[5] == pattern(3, 5), "a private write shows in a shared mapping");
	expect(msync(priv, 2 * PG, MS_SYNC) == 0 && munmap(priv, 2 * PG) == 0, "munmap");
	expect(file_byte("m3", 5) == pattern(3, 5), "a private write reached the file");
	shared[6] = 'S';
	expect(munmap(shared, 2 * PG) == 0, "munmap");
	expect(file_byte("m3", 6) == 'S', "the shared write was lost");
	expect(unlink("m3") == 0, "unlink");
}

/* write() to a mapped file shows through the mapping at once. */
static void
file_write_seen_through_mapping(void)
{
	make_file("m4", PG, 4);
	int fd = open_or_fail("m4", O_RDWR);
	volatile uint8_t *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);

	expect(p != MAP_FAILED, "mmap failed");
	expect(p[20] == pattern(4, 20), "mapped byte differs");
	expect(lseek(fd, 20, SEEK_SET) == 20 && write(fd, "W", 1) == 1, "write");
	expect(p[20] == 'W', "write() not seen through the mapping");
	close(fd);
	expect(munmap((void *)p, PG) == 0 && unlink("m4") == 0, "cleanup");
}

/* Two unrelated processes map one file: the same page, each other's writes at once. */
static void
file_shared_between_processes(void)
{
	make_file("m5", PG, 5);
	int fd = open_or_fail("m5", O_RDWR);
	volatile char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	expect(p != MAP_FAILED, "mmap failed");
	p[0] = 0;
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "mmaptest", "--peer", "m5", "200", NULL };
		exec("mmaptest", argv);
		exit(9);
	}
	p[200] = 'p';
	long end = uptime() + 500;
	while (p[201] != 'q' && uptime() < end)
		sleep_ticks(1);
	expect(p[201] == 'q', "the other process's write did not show");
	expect(wait_for(pid) == 0, "the peer failed");
	expect(munmap((void *)p, PG) == 0 && unlink("m5") == 0, "cleanup");
}

int
peer(const char *path, int at)
{
	int fd = open(path, O_RDWR);
	if (fd < 0)
		return 2;
	volatile char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 3;
	long end = uptime() + 500;
	while (p[at] != 'p')
		if (uptime() > end)
			return 4;
	p[at + 1] = 'q';
	return 0;
}

/*
 * A shared mapping of a file that is then cut to nothing: the mapped bytes
 * read zero, what the mapping writes past the end never reaches the disk
 * (not even the blocks the file gave up, which another file now holds),
 * and the file grows again only through write().
 */
static void
truncated_file_stays_truncated(void)
{
	make_file("m9", 4 * PG, 9);
	int fd = open_or_fail("m9", O_RDWR);
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	expect(p != MAP_FAILED, "mmap failed");
	for (int i = 0; i < 4; i++)
		p[i * PG] = 'D';                /* dirty before the cut */
	close(open_or_fail("m9", O_RDWR | O_TRUNC));
	for (int i = 0; i < 4; i++)
		expect(p[i * PG] == 0 && p[i * PG + 5] == 0, "page %d still shows bytes after "
		       "the file was cut", i);
	for (int i = 0; i < 4; i++)
		p[i * PG + 1] = 'E';            /* dirty after the cut */
	make_file("m9b", 8 * PG, 19);           /* takes the blocks m9 gave up */
	expect(msync(p, 4 * PG, MS_SYNC) == 0, "msync failed");
	expect(file_size("m9") == 0, "msync made the cut file %ld bytes", file_size("m9"));
	expect(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "ab", 2) == 2, "write");
	expect(p[0] == 'a' && p[1] == 'b', "write() after the cut not seen through the mapping");
	expect(munmap(p, 4 * PG) == 0, "munmap");
	close(fd);
	expect(file_size("m9") == 2, "munmap made the file %ld bytes", file_size("m9"));
	for (long i = 0; i < 8 * PG; i += 97)
		expect(file_byte("m9b", i) == pattern(19, i), "another file's byte %ld changed", i);
	expect(unlink("m9") == 0 && unlink("m9b") == 0, "unlink");
}

/* Write every page of a shared mapping of m11 with c, and msync, forever. */
static void
write_back_forever(char c)
{
	int fd = open("m11", O_RDWR);
	char *p = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		exit(2);
	for (;;) {
		for (long i = 0; i < 32 * PG; i += 512)
			p[i] = c;
		msync(p, 32 * PG, MS_SYNC);
	}
}

/*
 * A process killed while it writes its shared mapping back, or while its
 * exit does: the file keeps its size and only bytes someone wrote (the
 * suite's fsck then checks the disk).
 */
static void
killed_during_write_back(void)
{
	make_file("m11", 32 * PG, 11);
	for (int round = 0; round < 24; round++) {
		char c = (char)('a' + round);
		int pid = fork();
		if (pid == 0)
			write_back_forever(c);
		sleep_ticks(1 + round % 3);
		expect(kill(pid, SIGKILL) == 0, "kill");
		expect(wait_for(pid) == -1, "the writer was not killed");
	}
	expect(file_size("m11") == 32 * PG, "the file is %ld bytes", file_size("m11"));
	for (long i = 0; i < 32 * PG; i += 512) {
		int b = file_byte("m11", i);
		expect(b == pattern(11, i) || (b >= 'a' && b < 'a' + 24), "byte %ld is %d", i, b);
	}
	expect(unlink("m11") == 0, "unlink");
}

const struct test tests_file[] = {
	{ "mmap_file_shared_msync", file_shared_msync },
	{ "mmap_file_written_back_at_exit", file_written_back_at_exit },
	{ "mmap_file_private_stays_private", file_private_stays_private },
	{ "mmap_file_write_seen_through_mapping", file_write_seen_through_mapping },
	{ "mmap_file_shared_between_processes", file_shared_between_processes },
	{ "mmap_truncated_file_stays_truncated", truncated_file_stays_truncated },
	{ "mmap_killed_during_write_back", killed_during_write_back },
	{ NULL, NULL },
};
