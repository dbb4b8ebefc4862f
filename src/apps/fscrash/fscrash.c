/*
 * fscrash SEED CYCLE: the writer of the crash test (tests/suite_fs.py).
 *
 * Makes /crash/cCYCLE, prints "fscrash: start", then runs two processes,
 * each changing files in its own directory /crash/cCYCLE/pP with a
 * sequence of operations drawn from (SEED, CYCLE, P): create, append,
 * overwrite, truncate, link, unlink, symlink, mkdir and rmdir.  Each
 * operation is one system call that changes the disk; when it returns,
 * the process prints "pP op I" (one write, so lines do not mix).  The
 * harness kills the machine at a random moment and checks that the disk
 * holds exactly the effect of ops 0..I, or of 0..I+1 (the one in flight),
 * never part of an operation.
 *
 * The generator and the model it implies are mirrored in Python by the
 * harness: change one, change the other.  Any failing call prints
 * "fscrash: pP op I failed" and exits 1.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NNAMES 7
#define MAX_SIZE 60000
#define MAX_WRITE 12000
#define PATTERN_LEN (65536 + 4096)

static const char *const names[NNAMES] = { "f0", "f1", "f2", "f3", "f4", "d/g0", "d/g1" };

enum kind { NONE, FILE_, LINK_ };

/* What each name is: nothing, a file (an inode index) or a symbolic link. */
static enum kind kind[NNAMES];
static int inode_of[NNAMES];
#define MAX_OPS 20000
static uint32_t size_of[MAX_OPS];     /* by inode index: one per create */
static int ninodes;
static int e_exists;

static uint8_t pattern[PATTERN_LEN];
static uint64_t rng;
static int proc, cycle;
static char base[64];

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
say(const char *fmt, int i)
{
	char line[64];
	int n = snprintf(line, sizeof(line), fmt, proc, i);
	write(1, line, n);
}

static void
failed(int i)
{
	say("fscrash: p%d op %d failed\n", i);
	exit(1);
}

/* base/name, in one of two buffers used in turn (link takes two paths). */
static const char *
path(const char *name)
{
	static char buf[2][128];
	static int turn;
	char *b = buf[turn ^= 1];
	snprintf(b, sizeof(buf[0]), "%s/%s", base, name);
	return b;
}

static int
op_create(int n)
{
	int fd = open(path(names[n]), O_RDWR | O_CREAT);
	if (fd < 0)
		return -1;
	close(fd);
	kind[n] = FILE_;
	inode_of[n] = ninodes;
	size_of[ninodes++] = 0;
	return 0;
}

static int
op_unlink(int n)
{
	if (unlink(path(names[n])) < 0)
		return -1;
	kind[n] = NONE;
	return 0;
}

/* Write len pattern bytes for op i at off (the end if append). */
static int
op_write(int n, int i, uint32_t off, uint32_t len, int append)
{
	uint32_t k = (uint32_t)(i * 131 + cycle * 17 + proc * 29) % 4096;
	int fd = open(path(names[n]), append ? O_WRONLY | O_APPEND : O_WRONLY);
	if (fd < 0)
		return -1;
	if (!append && lseek(fd, off, SEEK_SET) != (off_t)off)
		return -1;
	long w = write(fd, pattern + k, len);
	close(fd);
	if (w != (long)len)
		return -1;
	uint32_t *size = &size_of[inode_of[n]];
	uint32_t end = (append ? *size : off) + len;
	if (end > *size)
		*size = end;
	return 0;
}

static int
op_trunc(int n)
{
	int fd = open(path(names[n]), O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	close(fd);
	size_of[inode_of[n]] = 0;
	return 0;
}

/* Do op i (i >= 2), as the harness's model does. */
static int
step(int i)
{
	uint64_t r = next();
	int what = (int)(r % 100);
	int n = (int)((r >> 8) % NNAMES), m = (int)((r >> 16) % NNAMES);
	uint32_t len = 1 + (uint32_t)((r >> 24) % MAX_WRITE);

	if (what < 25) {                        /* append */
		if (kind[n] == NONE)
			return op_create(n);
		if (kind[n] == LINK_)
			return op_unlink(n);
		if (size_of[inode_of[n]] + len > MAX_SIZE)
			return op_trunc(n);
		return op_write(n, i, 0, len, 1);
	}
	if (what < 40) {                        /* overwrite */
		if (kind[n] == NONE)
			return op_create(n);
		if (kind[n] == LINK_)
			return op_unlink(n);
		uint32_t size = size_of[inode_of[n]];
		uint32_t off = (uint32_t)((r >> 40) % (size + 1));
		if (off + len > MAX_SIZE)
			return op_trunc(n);
		return op_write(n, i, off, len, 0);
	}
	if (what < 55) {                        /* link n to m */
		if (kind[m] != NONE)
			return op_unlink(m);
		if (kind[n] != FILE_)
			return kind[n] == NONE ? op_create(n) : op_unlink(n);
		if (link(path(names[n]), path(names[m])) < 0)
			return -1;
		kind[m] = FILE_;
		inode_of[m] = inode_of[n];
		return 0;
	}
	if (what < 70)                          /* unlink */
		return kind[n] != NONE ? op_unlink(n) : op_create(n);
	if (what < 80) {                        /* symbolic link m -> a name */
		if (kind[m] != NONE)
			return op_unlink(m);
		if (symlink(names[(r >> 32) % NNAMES], path(names[m])) < 0)
			return -1;
		kind[m] = LINK_;
		return 0;
	}
	if (what < 90) {                        /* truncate */
		if (kind[n] == FILE_)
			return op_trunc(n);
		return kind[n] == NONE ? op_create(n) : op_unlink(n);
	}
	/* make or remove the directory e */
	if (e_exists ? unlink(path("e")) : mkdir(path("e"), 0777))
		return -1;
	e_exists = !e_exists;
	return 0;
}

static void
writer(uint64_t seed)
{
	rng = seed ^ ((uint64_t)cycle << 32) ^ ((uint64_t)proc << 48);
	snprintf(base, sizeof(base), "/crash/c%d/p%d", cycle, proc);
	if (mkdir(base, 0777) < 0)
		failed(0);
	say("p%d op %d\n", 0);
	if (mkdir(path("d"), 0777) < 0)
		failed(1);
	say("p%d op %d\n", 1);
	for (int i = 2; i < MAX_OPS; i++) {
		if (step(i) < 0)
			failed(i);
		say("p%d op %d\n", i);
	}
	say("fscrash: p%d finished after %d ops\n", MAX_OPS);
	exit(0);
}

int
main(int argc, char *argv[])
{
	char top[32];

	if (argc != 3) {
		fprintf(stderr, "usage: fscrash seed cycle\n");
		return 2;
	}
	uint64_t seed = strtoull(argv[1], NULL, 0);
	cycle = atoi(argv[2]);
	for (int j = 0; j < PATTERN_LEN; j++)
		pattern[j] = (uint8_t)(j * 7 + (j >> 8) * 13);
	mkdir("/crash", 0777);  /* the first cycle makes it */
	snprintf(top, sizeof(top), "/crash/c%d", cycle);
	if (mkdir(top, 0777) < 0) {
		fprintf(stderr, "fscrash: cannot make %s\n", top);
		return 1;
	}
	printf("fscrash: start\n");
	fflush(stdout);
	for (proc = 0; proc < 2; proc++)
		if (fork() == 0)
			writer(seed);
	int status, bad = 0;
	while (wait(&status) > 0)
		bad |= status != 0;
	return bad;
}
