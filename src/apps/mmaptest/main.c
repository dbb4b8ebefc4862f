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
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"
#include "testing.h"

#define KADDR_IMAGE 0xffffffff80200000UL

#define PG 4096L

/* A file of n bytes, byte i = pattern(seed, i). */
static uint8_t
pattern(int seed, long i)
{
	return (uint8_t)(i * 7 + seed + (i >> 12));
}

static void
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

static int
open_or_fail(const char *path, int flags)
{
	int fd = open(path, flags);

	expect(fd >= 0, "open %s", path);
	return fd;
}

/* Byte off of the file, read with read(). */
static int
file_byte(const char *path, long off)
{
	uint8_t c;
	int fd = open_or_fail(path, O_RDONLY);

	expect(lseek(fd, off, SEEK_SET) == off, "lseek");
	long n = read(fd, &c, 1);
	close(fd);
	return n == 1 ? c : -1;
}

static long
file_size(const char *path)
{
	struct stat st;

	expect(stat(path, &st) == 0, "stat %s", path);
	return st.st_size;
}

/* Run fn in a child and return how it ended: its status, -1 if killed. */
static int
child_status(void (*fn)(void))
{
	return run_in_child(fn);
}

static char *fault_addr;

static void
read_fault_addr(void)
{
	volatile char c = *fault_addr;
	(void)c;
	exit(0);
}

static void
write_fault_addr(void)
{
	*fault_addr = 1;
	exit(0);
}

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

static int
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
static int
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

static const struct test tests[] = {
	{ "mmap_anon_private", anon_private },
	{ "mmap_anon_shared", anon_shared },
	{ "mmap_file_shared_msync", file_shared_msync },
	{ "mmap_file_written_back_at_exit", file_written_back_at_exit },
	{ "mmap_file_private_stays_private", file_private_stays_private },
	{ "mmap_file_write_seen_through_mapping", file_write_seen_through_mapping },
	{ "mmap_file_shared_between_processes", file_shared_between_processes },
	{ "mmap_partial_munmap_splits", partial_munmap_splits },
	{ "mmap_fixed", map_fixed },
	{ "mmap_bad_arguments", bad_arguments },
	{ "mmap_protections", protections },
	{ "mmap_syscalls_on_mappings", syscalls_on_mappings },
	{ "mmap_cache_given_back_under_pressure", cache_given_back_under_pressure },
	{ "mmap_many_files_leave_inodes", many_files_leave_inodes },
	{ "mmap_crosswise_copies_finish", crosswise_copies_finish },
	{ "mmap_truncated_file_stays_truncated", truncated_file_stays_truncated },
	{ "mmap_copies_within_one_file", copies_within_one_file },
	{ "mmap_killed_during_write_back", killed_during_write_back },
	{ "mmap_exec_with_every_object_in_use", exec_with_every_object_in_use },
	{ "mmap_exec_shares_program_text", exec_shares_program_text },
	{ NULL, NULL },
};

static const struct test_group groups[] = {
	{ "mmap", tests, false },
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
