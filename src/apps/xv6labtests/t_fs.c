/*
 * xv6labtests: the file-system lab.  symlinktest: a link reads as its
 * target, O_NOFOLLOW opens the link itself (type T_SYMLINK, content the
 * target), a dangling link fails until the target appears, loops and
 * over-long chains fail instead of hanging, links inside paths are
 * followed, unlink removes the link, and two processes making and
 * removing links on the same names at once leave a sound file system.
 * bigfile: on the default disk, a file grows to the largest size,
 * MAXFILE blocks (67,382,272 bytes), and not one byte more; every block
 * reads back.
 */
#include "labtests.h"

static void
read_is(char *path, int flags, char *want)
{
	char buf[64];
	int fd = open(path, flags), n;

	CHECK(fd >= 0, "cannot open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	CHECK(strcmp(buf, want) == 0, "%s reads \"%s\", wanted \"%s\"", path, buf, want);
}

static void
make(char *path, char *data)
{
	int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);

	CHECK(fd >= 0 && write(fd, data, strlen(data)) == strlen(data), "cannot write %s", path);
	close(fd);
}

static void
symlink_basic(void)
{
	struct stat st;
	char *dir = "/tmp/xv6lt/sl";

	mkdir(dir);
	make("/tmp/xv6lt/sl/a", "aaa");
	CHECK(symlink("/tmp/xv6lt/sl/a", "/tmp/xv6lt/sl/b") == 0, "symlink failed");
	read_is("/tmp/xv6lt/sl/b", O_RDONLY, "aaa");
	int fd = open("/tmp/xv6lt/sl/b", O_RDONLY | O_NOFOLLOW);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.type == T_SYMLINK, "O_NOFOLLOW: type %d",
	      st.type);
	close(fd);
	read_is("/tmp/xv6lt/sl/b", O_RDONLY | O_NOFOLLOW, "/tmp/xv6lt/sl/a");
	CHECK(symlink("/tmp/xv6lt/sl/a", "/tmp/xv6lt/sl/b") < 0, "symlink over a name succeeded");
	CHECK(stat("/tmp/xv6lt/sl/b", &st) == 0 && st.type == T_FILE && st.size == 3,
	      "stat does not follow the link");
	CHECK(symlink("/tmp/xv6lt/sl/c", "/tmp/xv6lt/sl/d") == 0, "a dangling symlink failed");
	CHECK(open("/tmp/xv6lt/sl/d", O_RDONLY) < 0, "opened through a dangling link");
	make("/tmp/xv6lt/sl/c", "ccc");
	read_is("/tmp/xv6lt/sl/d", O_RDONLY, "ccc");
	CHECK(unlink("/tmp/xv6lt/sl/b") == 0 && open("/tmp/xv6lt/sl/b", O_RDONLY) < 0,
	      "unlink of the link failed");
	read_is("/tmp/xv6lt/sl/a", O_RDONLY, "aaa");
	/* relative, and in the middle of a path */
	CHECK(symlink("sl", "/tmp/xv6lt/dirlink") == 0, "symlink to a directory failed");
	read_is("/tmp/xv6lt/dirlink/a", O_RDONLY, "aaa");
	unlink("/tmp/xv6lt/dirlink");
	unlink("/tmp/xv6lt/sl/a");
	unlink("/tmp/xv6lt/sl/c");
	unlink("/tmp/xv6lt/sl/d");
	CHECK(unlink(dir) == 0, "the directory is not empty");
}

static void
symlink_loops(void)
{
	char name[8], target[8];

	CHECK(symlink("l2", "l1") == 0 && symlink("l1", "l2") == 0, "symlink failed");
	CHECK(open("l1", O_RDONLY) < 0, "opened a loop");
	CHECK(open("l1", O_CREATE | O_RDWR) < 0, "created through a loop");
	unlink("l1");
	unlink("l2");
	/* a chain of 10 links is followed; 11 is too many (Canopy's MAXSYMLINKS) */
	make("c0", "end");
	for (int i = 1; i <= 11; i++) {
		name[0] = 'c';
		name[1] = '0' + i / 10;
		name[2] = '0' + i % 10;
		name[3] = 0;
		target[0] = 'c';
		if (i == 1) {
			target[1] = '0';
			target[2] = 0;
		} else {
			target[1] = '0' + (i - 1) / 10;
			target[2] = '0' + (i - 1) % 10;
			target[3] = 0;
		}
		CHECK(symlink(target, name) == 0, "symlink %s failed", name);
	}
	read_is("c10", O_RDONLY, "end");
	CHECK(open("c11", O_RDONLY) < 0, "followed 11 links");
	unlink("c0");
	for (int i = 1; i <= 11; i++) {
		name[1] = '0' + i / 10;
		name[2] = '0' + i % 10;
		unlink(name);
	}
}

/* concur: two processes link and unlink the same names at once. */
static void
symlink_concurrent(void)
{
	char name[4] = "zz";

	make("zt", "t");
	for (int p = 0; p < 2; p++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid)
			continue;
		uint x = p * 7919 + 1;
		for (int i = 0; i < 100; i++) {
			x = x * 1103515245 + 12345;
			name[1] = 'a' + (x >> 16) % 8;
			if ((x >> 8) % 2 == 0) {
				symlink("zt", name);
			} else {
				int fd = open(name, O_RDONLY);
				if (fd >= 0)
					close(fd);
				unlink(name);
			}
		}
		exit(0);
	}
	wait(0);
	wait(0);
	for (int i = 0; i < 8; i++) {
		name[1] = 'a' + i;
		unlink(name);
	}
	unlink("zt");
}

/*
 * bigfile: write numbered blocks, 32 at a time and then, once a write
 * falls short, one at a time (the lab's size) until one fails: the file
 * is MAXFILE blocks.  Read it back.
 */
static int
write_blocks(int fd, int *buf, uint64 first, int count)
{
	for (int i = 0; i < count; i++)
		buf[i * BSIZE / sizeof(int)] = first + i;
	return write(fd, buf, count * BSIZE);
}

void
big_file(void)
{
	static int buf[32 * BSIZE / sizeof(int)];
	uint64 blocks = 0;
	int n, per = 32;

	unlink("big.file");
	int fd = open("big.file", O_CREATE | O_WRONLY);
	CHECK(fd >= 0, "cannot create big.file");
	while ((n = write_blocks(fd, buf, blocks, per)) > 0) {
		CHECK(n % BSIZE == 0, "a write of %d bytes at block %d", n, (int)blocks);
		blocks += n / BSIZE;
		if (n < per * BSIZE)
			per = 1;
	}
	close(fd);
	CHECK(blocks == MAXFILE, "the file stopped at %d blocks, wanted %d", (int)blocks,
	      (int)MAXFILE);
	fd = open("big.file", O_RDONLY);
	CHECK(fd >= 0, "cannot open big.file");
	for (uint64 b = 0; b < MAXFILE; b += n / BSIZE) {
		n = read(fd, buf, sizeof(buf));
		CHECK(n > 0 && n % BSIZE == 0, "read at block %d returned %d", (int)b, n);
		for (int i = 0; i < n / BSIZE; i++)
			CHECK(buf[i * BSIZE / sizeof(int)] == b + i, "block %d holds %d", (int)b + i,
			      buf[i * BSIZE / sizeof(int)]);
	}
	CHECK(read(fd, buf, sizeof(buf)) == 0, "data past the end");
	close(fd);
	CHECK(unlink("big.file") == 0, "unlink big.file failed");
}

struct xv6t_test fs_tests[] = {
	{ "symlink_basic", symlink_basic },
	{ "symlink_loops", symlink_loops },
	{ "symlink_concurrent", symlink_concurrent },
	{ 0, 0 },
};
