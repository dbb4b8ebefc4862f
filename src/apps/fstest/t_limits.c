/*
 * Limits and concurrency: too many open files (per process and in the
 * system), running out of inodes, and several processes writing at once
 * (their operations share transactions: group commit).
 */
#include "fstest.h"

static void
too_many_files(void)
{
	int fds[NOFILE];
	int n = 0;

	enter("too_many_files");
	put_file("f", "x", 1);
	for (;;) {
		int fd = open("f", O_RDONLY);
		if (fd < 0)
			break;
		expect(n < NOFILE, "more than NOFILE descriptors");
		fds[n++] = fd;
	}
	expect(n == NOFILE - 3, "opened %d files with 3 descriptors in use (want %d)", n, NOFILE - 3);
	expect(dup(0) < 0, "dup with a full descriptor table");
	int p[2];
	expect(pipe(p) < 0, "pipe with a full descriptor table");
	close(fds[0]);
	expect(open("f", O_RDONLY) == fds[0], "the lowest free descriptor is not reused");
	for (int i = 0; i < n; i++)
		close(fds[i]);
	expect(unlink("f") == 0, "unlink");
}

/* Children that each open all they can hold up the system's file table. */
static void
file_table_full(void)
{
	enum { KIDS = 9 };
	int report[2], release[2];

	enter("file_table_full");
	put_file("f", "x", 1);
	expect(pipe(report) == 0 && pipe(release) == 0, "pipe");
	for (int k = 0; k < KIDS; k++) {
		int pid = fork();
		expect(pid >= 0, "fork");
		if (pid == 0) {
			char n = 0;
			close(report[0]);
			close(release[1]);
			while (open("f", O_RDONLY) >= 0)
				n++;
			write(report[1], &n, 1);
			read(release[0], &n, 1);        /* hold them until the parent has counted */
			exit(0);
		}
	}
	close(report[1]);
	close(release[0]);
	int total = 0, short_kids = 0;
	for (int k = 0; k < KIDS; k++) {
		char n;
		expect(read(report[0], &n, 1) == 1, "a child did not report");
		total += n;
		if (n < NOFILE - 5)
			short_kids++;
	}
	close(release[1]);
	for (int k = 0; k < KIDS; k++)
		wait(NULL);
	close(report[0]);
	expect(short_kids > 0 && total <= NFILE, "%d files opened in all, no child was refused", total);
	/* and the table works again */
	int fd = xopen("f", O_RDONLY);
	close(fd);
	expect(unlink("f") == 0, "unlink");
}

static void
out_of_inodes(void)
{
	char name[16];
	int made = 0;

	enter("out_of_inodes");
	for (;;) {
		snprintf(name, sizeof(name), "i%d", made);
		int fd = open(name, O_WRONLY | O_CREAT);
		if (fd < 0)
			break;
		close(fd);
		expect(++made < 70000, "inodes never run out");
	}
	expect(made > 10, "only %d files could be made", made);
	expect(mkdir("d", 0) < 0, "mkdir without inodes");
	expect(symlink("x", "s") < 0, "symlink without inodes");
	/* the failures left nothing behind: removing one file makes room for one */
	expect(unlink("i0") == 0, "unlink");
	expect(mkdir("d", 0) == 0 && unlink("d") == 0, "mkdir after freeing an inode");
	for (int i = 1; i < made; i++) {
		snprintf(name, sizeof(name), "i%d", i);
		expect(unlink(name) == 0, "unlink %s", name);
	}
}

/* Several writers at once: all data right, and fewer commits than operations. */
static void
concurrent_writers(void)
{
	enum { KIDS = 4, FILES = 15, SIZE = 1500 };
	static char buf[SIZE], got[SIZE];

	enter("concurrent_writers");
	long commits = selftest(SELFTEST_FS_COMMITS, 0);
	for (int k = 0; k < KIDS; k++) {
		int pid = fork();
		expect(pid >= 0, "fork");
		if (pid == 0) {
			char name[16];
			for (int i = 0; i < FILES; i++) {
				snprintf(name, sizeof(name), "k%d-%d", k, i);
				fill(buf, SIZE, (uint32_t)(k * 100 + i), 0);
				int fd = open(name, O_WRONLY | O_CREAT);
				if (fd < 0 || write(fd, buf, SIZE) != SIZE)
					exit(2);
				close(fd);
			}
			exit(0);
		}
	}
	int bad = 0, status;
	for (int k = 0; k < KIDS; k++)
		if (wait(&status) < 0 || status != 0)
			bad++;
	expect(bad == 0, "%d writers failed", bad);
	/* each file: a create and a write, both writing transactions */
	long writing_ops = 2 * KIDS * FILES;
	commits = selftest(SELFTEST_FS_COMMITS, 0) - commits;
	printf("  concurrent_writers: %ld writing operations in %ld commits\n", writing_ops, commits);
	expect(commits < writing_ops, "no transaction held more than one operation");
	expect(selftest(SELFTEST_DISK_INFLIGHT, 0) >= 2, "never more than one disk request in flight");
	for (int k = 0; k < KIDS; k++) {
		for (int i = 0; i < FILES; i++) {
			char name[16];
			snprintf(name, sizeof(name), "k%d-%d", k, i);
			expect(get_file(name, got, SIZE) == SIZE &&
			       matches(got, SIZE, (uint32_t)(k * 100 + i), 0), "%s is wrong", name);
			expect(unlink(name) == 0, "unlink %s", name);
		}
	}
}

/* Several processes creating and removing in one directory at once. */
static void
concurrent_dir_ops(void)
{
	enum { KIDS = 4, ROUNDS = 25 };

	enter("concurrent_dir_ops");
	for (int k = 0; k < KIDS; k++) {
		int pid = fork();
		expect(pid >= 0, "fork");
		if (pid == 0) {
			char name[16], other[16];
			for (int i = 0; i < ROUNDS; i++) {
				snprintf(name, sizeof(name), "f%d", i % 5);
				snprintf(other, sizeof(other), "l%d-%d", k, i);
				int fd = open(name, O_RDWR | O_CREAT);
				if (fd >= 0) {
					write(fd, "abc", 3);
					close(fd);
				}
				link(name, other);      /* may fail: another child unlinked it */
				unlink(name);
				unlink(other);
				mkdir(name, 0);
				unlink(name);
			}
			exit(0);
		}
	}
	for (int k = 0; k < KIDS; k++)
		wait(NULL);
	/* whatever interleaving happened, the directory can be emptied */
	int fd = xopen(".", O_RDONLY);
	struct dirent de;
	char names[64][DIRSIZ + 1];
	int n = 0;
	while (read(fd, &de, sizeof(de)) == sizeof(de) && n < 64) {
		if (de.inum && strcmp(de.name, ".") && strcmp(de.name, "..")) {
			memcpy(names[n], de.name, DIRSIZ);
			names[n++][DIRSIZ] = 0;
		}
	}
	close(fd);
	for (int i = 0; i < n; i++)
		expect(unlink(names[i]) == 0, "cannot remove leftover %s", names[i]);
}

const struct test tests_limits[] = {
	{ "too_many_files", too_many_files },
	{ "file_table_full", file_table_full },
	{ "out_of_inodes", out_of_inodes },
	{ "concurrent_writers", concurrent_writers },
	{ "concurrent_dir_ops", concurrent_dir_ops },
	{ NULL, NULL },
};
