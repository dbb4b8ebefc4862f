/*
 * xv6usertests: the file system as stock usertests uses it, in a scratch
 * directory: create and unlink from several processes, unlinking an open
 * file, links, nested directories and relative paths, files past the
 * direct and the single-indirect blocks, writes bigger than one log
 * transaction, names cut at DIRSIZ (14) bytes, "." and ".." that cannot be
 * removed, a file used as a directory, the in-memory inode table (NINODE +
 * 1 nested directories), truncation, running out of inodes; and the flat
 * root of stock xv6: echo, init and README in /, run and opened by
 * relative names.
 */
#include "xv6ut.h"

/* createdelete: four processes create 20 files each and remove half. */
static void
create_delete(void)
{
	char name[8];

	for (int p = 0; p < 4; p++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid)
			continue;
		name[0] = 'p' + p;
		name[2] = 0;
		for (int i = 0; i < 20; i++) {
			name[1] = '0' + i;
			int fd = open(name, O_CREATE | O_RDWR);
			if (fd < 0)
				exit(1);
			close(fd);
			if (i % 2 == 0 && unlink(name) < 0)
				exit(2);
		}
		exit(0);
	}
	for (int p = 0; p < 4; p++) {
		int status;
		wait(&status);
		CHECK(status == 0, "a child failed with %d", status);
	}
	name[2] = 0;
	for (int p = 0; p < 4; p++) {
		for (int i = 0; i < 20; i++) {
			name[0] = 'p' + p;
			name[1] = '0' + i;
			int fd = open(name, O_RDONLY);
			CHECK((fd >= 0) == (i % 2 == 1), "%s: %s", name, fd >= 0 ? "still there" : "missing");
			if (fd >= 0)
				close(fd);
			unlink(name);
		}
	}
}

/* unlinkread: an unlinked open file stays readable and writable. */
static void
unlink_read(void)
{
	char buf[8];

	make_file("unlinkread", "hello", 5);
	int fd = open("unlinkread", O_RDWR);
	CHECK(fd >= 0, "cannot open unlinkread");
	CHECK(unlink("unlinkread") == 0, "unlink failed");
	make_file("unlinkread", "yyy", 3);
	CHECK(read(fd, buf, 1) == 1 && buf[0] == 'h', "the unlinked file's data is gone");
	CHECK(write(fd, buf, 5) == 5, "cannot write the unlinked file");
	close(fd);
	CHECK(file_size("unlinkread") == 3, "the new file is not the new one");
	unlink("unlinkread");
}

/* linktest: hard links, and the links that must be refused. */
static void
links(void)
{
	char buf[8];

	unlink("lf1");
	unlink("lf2");
	make_file("lf1", "hello", 5);
	CHECK(link("lf1", "lf2") == 0, "link lf1 lf2 failed");
	CHECK(unlink("lf1") == 0, "unlink lf1 failed");
	CHECK(open("lf1", O_RDONLY) < 0, "lf1 still there");
	int fd = open("lf2", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 8) == 5 && memcmp(buf, "hello", 5) == 0, "lf2 lost the data");
	close(fd);
	CHECK(link("lf2", "lf2") < 0, "link to an existing name succeeded");
	CHECK(unlink("lf2") == 0, "unlink lf2 failed");
	CHECK(link("lf2", "lf1") < 0, "link of a missing file succeeded");
	CHECK(link(".", "lf1") < 0, "link of a directory succeeded");
}

/* subdir: nested directories, relative paths with "..", the refusals. */
static void
subdir(void)
{
	char buf[8];

	CHECK(mkdir("dd") == 0, "mkdir dd failed");
	make_file("dd/ff", "ff", 2);
	CHECK(unlink("dd") < 0, "unlink of a non-empty directory succeeded");
	CHECK(mkdir("dd/dd") == 0, "mkdir dd/dd failed");
	make_file("dd/dd/ff", "FF", 2);
	int fd = open("dd/dd/../ff", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 2) == 2 && buf[0] == 'f', "dd/dd/../ff is not dd/ff");
	close(fd);
	CHECK(link("dd/dd/ff", "dd/dd/ffff") == 0, "link dd/dd/ff dd/dd/ffff failed");
	CHECK(unlink("dd/dd/ff") == 0, "unlink dd/dd/ff failed");
	CHECK(open("dd/dd/ff", O_RDONLY) < 0, "dd/dd/ff still there");
	CHECK(chdir("dd") == 0 && chdir("dd/../../dd") == 0 && chdir("dd/../../../dd") < 0,
	      "chdir with .. went wrong");
	CHECK(chdir("..") == 0, "chdir .. failed");
	fd = open("dd/dd/ffff", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 2) == 2 && buf[0] == 'F', "dd/dd/ffff lost its data");
	close(fd);
	CHECK(open("dd/ff/ff", O_CREATE | O_RDWR) < 0, "created a file under a file");
	CHECK(mkdir("dd/ff/ff") < 0 && mkdir("dd/xx/ff") < 0, "mkdir under a file or nothing");
	CHECK(link("dd/ff", "dd/ff/ff") < 0 && link("dd/xx", "dd/yy") < 0, "a bad link succeeded");
	CHECK(mkdir("dd/dd") < 0 && mkdir("dd") < 0, "mkdir of an existing name succeeded");
	CHECK(chdir("dd/ff") < 0 && chdir("dd/xx") < 0, "chdir to a file or nothing succeeded");
	CHECK(unlink("dd/dd/ffff") == 0 && unlink("dd/ff") == 0, "cannot empty dd");
	CHECK(unlink("dd/dd") == 0 && unlink("dd") == 0, "cannot remove the directories");
}

/* bigfile (2022): 20 writes of 600 bytes, read back 150 at a time. */
static void
small_writes(void)
{
	static char buf[600];
	int fd = open("bigfile.dat", O_CREATE | O_TRUNC | O_RDWR), total = 0, n;

	CHECK(fd >= 0, "cannot create bigfile.dat");
	for (int i = 0; i < 20; i++) {
		memset(buf, i, 600);
		CHECK(write(fd, buf, 600) == 600, "write %d failed", i);
	}
	close(fd);
	fd = open("bigfile.dat", O_RDONLY);
	while ((n = read(fd, buf, 150)) > 0) {
		CHECK(n == 150 && buf[0] == total / 600 && buf[149] == total / 600,
		      "wrong data at %d", total);
		total += n;
	}
	close(fd);
	unlink("bigfile.dat");
	CHECK(total == 20 * 600, "read %d bytes", total);
}

/*
 * writebig: a file past the direct blocks and the single-indirect block
 * (NDIRECT + NINDIRECT + 30 blocks), every block numbered, in 16 KiB
 * writes (stock writes MAXFILE blocks, 64 MiB on Canopy: see the big
 * file in xv6labtests).
 */
static void
indirect_file(void)
{
	static int buf[16 * BSIZE / sizeof(int)];
	int nblocks = NDIRECT + NINDIRECT + 30, per = sizeof(buf) / BSIZE;
	int fd = open("big", O_CREATE | O_TRUNC | O_RDWR);

	CHECK(fd >= 0, "cannot create big");
	for (int b = 0; b < nblocks; b += per) {
		for (int i = 0; i < per; i++)
			buf[i * BSIZE / sizeof(int)] = b + i;
		CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf), "write at block %d failed", b);
	}
	close(fd);
	fd = open("big", O_RDONLY);
	for (int b = 0; b < nblocks; b++) {
		CHECK(read(fd, buf, BSIZE) == BSIZE, "read of block %d failed", b);
		CHECK(buf[0] == b, "block %d holds %d", b, buf[0]);
	}
	close(fd);
	CHECK(unlink("big") == 0, "unlink big failed");
}

/* bigwrite: writes bigger than one operation's log room are split, whole. */
static void
big_writes(void)
{
	static char buf[(MAXOPBLOCKS + 2) * BSIZE];

	for (int sz = 499; sz < (MAXOPBLOCKS + 2) * BSIZE; sz += 9973) {
		int fd = open("bigwrite", O_CREATE | O_RDWR);
		CHECK(fd >= 0, "cannot create bigwrite");
		for (int i = 0; i < 2; i++)
			CHECK(write(fd, buf, sz) == sz, "write of %d bytes was short", sz);
		close(fd);
		CHECK(file_size("bigwrite") == 2 * sz, "bigwrite is %d bytes", file_size("bigwrite"));
		unlink("bigwrite");
	}
}

/* fourteen: names are cut to DIRSIZ (14) bytes when made and looked up. */
static void
fourteen(void)
{
	CHECK(mkdir("12345678901234") == 0, "mkdir of a 14-byte name failed");
	CHECK(mkdir("12345678901234/123456789012345") == 0, "mkdir of a 15-byte name failed");
	int fd = open("123456789012345/123456789012345/123456789012345", O_CREATE);
	CHECK(fd >= 0, "create through 15-byte names failed");
	close(fd);
	fd = open("12345678901234/12345678901234/12345678901234", O_RDONLY);
	CHECK(fd >= 0, "the file is not found by its 14-byte names");
	close(fd);
	CHECK(mkdir("12345678901234/12345678901234") < 0, "mkdir of an existing cut name succeeded");
	CHECK(mkdir("123456789012345/12345678901234") < 0, "mkdir of an existing cut name succeeded");
	CHECK(unlink("123456789012345/12345678901234/12345678901234") == 0 &&
	      unlink("12345678901234/12345678901234") == 0 && unlink("12345678901234") == 0,
	      "cannot remove the cut names");
}

/* rmdot: "." and ".." are never removed. */
static void
rm_dot(void)
{
	CHECK(mkdir("dots") == 0 && chdir("dots") == 0, "cannot make and enter dots");
	CHECK(unlink(".") < 0 && unlink("..") < 0, "unlink of . or .. succeeded");
	CHECK(chdir("..") == 0, "chdir .. failed");
	CHECK(unlink("dots/.") < 0 && unlink("dots/..") < 0, "unlink of dots/. or dots/..");
	CHECK(unlink("dots") == 0, "unlink dots failed");
}

/* dirfile: a file is not a directory, and a directory is not written. */
static void
dir_file(void)
{
	make_file("dirfile", "", 0);
	CHECK(chdir("dirfile") < 0, "chdir to a file succeeded");
	CHECK(open("dirfile/xx", O_CREATE) < 0 && open("dirfile/xx", O_RDONLY) < 0,
	      "opened a name under a file");
	CHECK(mkdir("dirfile/xx") < 0 && unlink("dirfile/xx") < 0, "mkdir or unlink under a file");
	CHECK(link("/README", "dirfile/xx") < 0, "link under a file succeeded");
	CHECK(unlink("dirfile") == 0, "unlink dirfile failed");
	CHECK(open(".", O_RDWR) < 0 && open(".", O_WRONLY) < 0, "opened a directory for writing");
	int fd = open(".", O_RDONLY);
	struct dirent de;
	CHECK(fd >= 0 && read(fd, &de, sizeof(de)) == sizeof(de) && strcmp(de.name, ".") == 0,
	      "a directory does not read as its entries, . first");
	CHECK(write(fd, "x", 1) < 0, "write to a directory succeeded");
	close(fd);
}

/* iref: NINODE + 1 nested directories; no in-memory inode may leak. */
static void
inode_refs(void)
{
	for (int i = 0; i < NINODE + 1; i++) {
		CHECK(mkdir("irefd") == 0 && chdir("irefd") == 0, "mkdir/chdir %d failed", i);
		CHECK(mkdir("") < 0 && link("/README", "") < 0, "made an empty name");
		int fd = open("", O_CREATE);
		if (fd >= 0)
			close(fd);
		if (i % 10)
			continue;       /* a file every ten levels: each costs two commits */
		fd = open("xx", O_CREATE);
		CHECK(fd >= 0, "create xx failed at depth %d", i);
		close(fd);
		unlink("xx");
	}
	for (int i = 0; i < NINODE + 1; i++) {
		CHECK(chdir("..") == 0, "chdir .. failed");
		CHECK(unlink("irefd") == 0, "unlink irefd failed at %d", i);
	}
}

/* truncate1, truncate2: O_TRUNC empties a file other descriptors still use. */
static void
truncate(void)
{
	char buf[32];

	make_file("truncfile", "abcd", 4);
	int fd1 = open("truncfile", O_RDONLY);
	CHECK(fd1 >= 0 && read(fd1, buf, sizeof(buf)) == 4, "cannot read truncfile");
	int fd2 = open("truncfile", O_WRONLY | O_TRUNC);
	int fd3 = open("truncfile", O_RDONLY);
	CHECK(fd2 >= 0 && fd3 >= 0, "cannot open truncfile again");
	CHECK(read(fd3, buf, sizeof(buf)) == 0 && read(fd1, buf, sizeof(buf)) == 0,
	      "read after O_TRUNC found data");
	CHECK(write(fd2, "abcdef", 6) == 6, "write failed");
	CHECK(read(fd3, buf, sizeof(buf)) == 6, "a new descriptor does not see the new data");
	CHECK(read(fd1, buf, sizeof(buf)) == 2 && memcmp(buf, "ef", 2) == 0,
	      "the old descriptor does not read on from its offset");
	close(fd1);
	close(fd2);
	close(fd3);
	/* truncate2: a write at an offset the file no longer reaches fails */
	fd1 = open("truncfile", O_WRONLY | O_TRUNC);
	CHECK(fd1 >= 0 && write(fd1, "abcd", 4) == 4, "cannot write truncfile");
	fd2 = open("truncfile", O_WRONLY | O_TRUNC);
	CHECK(write(fd1, "x", 1) == -1, "a write past the end of a truncated file succeeded");
	close(fd1);
	close(fd2);
	CHECK(unlink("truncfile") == 0, "unlink truncfile failed");
}

/* outofinodes: creating files until inodes run out fails cleanly. */
static void
out_of_inodes(void)
{
	char name[8] = "z";
	int n;

	for (n = 0; n < 26 * 26 * 26; n++) {
		name[1] = 'a' + n / 26 / 26 % 26;
		name[2] = 'a' + n / 26 % 26;
		name[3] = 'a' + n % 26;
		int fd = open(name, O_CREATE | O_RDWR);
		if (fd < 0)
			break;
		close(fd);
	}
	int full = n;
	for (n = 0; n < full; n++) {
		name[1] = 'a' + n / 26 / 26 % 26;
		name[2] = 'a' + n / 26 % 26;
		name[3] = 'a' + n % 26;
		CHECK(unlink(name) == 0, "unlink %s failed", name);
	}
	CHECK(full > 100 && full < 26 * 26 * 26, "%d files before running out", full);
	make_file("afterwards", "x", 1);
	unlink("afterwards");
}

/* opentest and the flat root: echo, init and README are in / too. */
static void
flat_root_open(void)
{
	struct stat a, b;
	char buf[8];

	CHECK(chdir("/") == 0, "chdir / failed");
	CHECK(open("doesnotexist", O_RDONLY) < 0, "opened a missing file");
	char *names[] = { "echo", "init", "README", "/echo", "/init", "sh" };
	for (int i = 0; i < 6; i++) {
		int fd = open(names[i], O_RDONLY);
		CHECK(fd >= 0, "open(\"%s\") from / failed", names[i]);
		CHECK(read(fd, buf, 4) == 4, "cannot read %s", names[i]);
		close(fd);
	}
	CHECK(stat("echo", &a) == 0 && stat("/bin/echo", &b) == 0 && a.ino == b.ino &&
	      a.type == T_FILE, "/echo is not /bin/echo");
}

/* exectest: exec("echo") from /, its output redirected to a file. */
static void
flat_root_exec(void)
{
	char buf[8];
	char *args[] = { "echo", "OK", 0 };

	unlink("echo-ok");
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		close(1);
		if (open("echo-ok", O_CREATE | O_WRONLY) != 1)
			exit(2);
		chdir("/");
		exec("echo", args);
		exit(3);
	}
	int status;
	wait(&status);
	CHECK(status == 0, "exec(\"echo\") from /: status %d", status);
	int fd = open("echo-ok", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 3 && memcmp(buf, "OK\n", 3) == 0,
	      "echo's output is not OK");
	close(fd);
	unlink("echo-ok");
}

struct xv6t_test file_tests[] = {
	{ "create_delete", create_delete },
	{ "unlink_read", unlink_read },
	{ "links", links },
	{ "subdir", subdir },
	{ "small_writes", small_writes },
	{ "indirect_file", indirect_file },
	{ "big_writes", big_writes },
	{ "fourteen", fourteen },
	{ "rm_dot", rm_dot },
	{ "dir_file", dir_file },
	{ "inode_refs", inode_refs },
	{ "truncate", truncate },
	{ "out_of_inodes", out_of_inodes, 1 },
	{ "flat_root_open", flat_root_open },
	{ "flat_root_exec", flat_root_exec },
	{ 0, 0 },
};
