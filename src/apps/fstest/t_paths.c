/*
 * Path names and the calls that take them: bad pointers, over-long paths
 * and names, directories (mkdir, chdir, "." and ".."), removing
 * directories, and bad descriptors.
 */
#include "fstest.h"

static const uint64_t bad_addrs[] = {
	0, 0x80000000UL, KADDR_LOW, KADDR_IMAGE, KADDR_HIGH, 0xfffffffffffff000UL,
	USER_TOP, USER_TOP - 1, 0x3000000000UL,
};
#define NBAD (sizeof(bad_addrs) / sizeof(bad_addrs[0]))

static void
bad_pointers(void)
{
	enter("bad_pointers");
	put_file("f", "data", 4);
	for (unsigned i = 0; i < NBAD; i++) {
		const char *p = (const char *)bad_addrs[i];
		expect(__sys_open(p, 0) < 0, "open(%p) succeeded", p);
		expect(__sys_open(p, CANOPY_O_CREATE | CANOPY_O_RDWR) < 0, "open(%p, O_CREATE)", p);
		expect(__sys_mkdir(p) < 0, "mkdir(%p)", p);
		expect(__sys_chdir(p) < 0, "chdir(%p)", p);
		expect(__sys_unlink(p) < 0, "unlink(%p)", p);
		expect(__sys_link(p, "g") < 0 && __sys_link("f", p) < 0, "link with %p", p);
		expect(__sys_symlink(p, "g") < 0 && __sys_symlink("f", p) < 0, "symlink with %p", p);
		expect(__sys_mknod(p, 1, 0) < 0, "mknod(%p)", p);
		char *argv[] = { "x", NULL };
		expect(__sys_exec(p, argv) < 0, "exec(%p)", p);
	}
	int fd = xopen("f", O_RDWR);
	for (unsigned i = 0; i < NBAD; i++) {
		void *p = (void *)bad_addrs[i];
		expect(__sys_read(fd, p, 4) < 0, "read into %p succeeded", p);
		expect(lseek(fd, 0, SEEK_SET) == 0, "lseek");
		expect(__sys_write(fd, p, 4) < 0, "write from %p succeeded", p);
		expect(__sys_fstat(fd, p) < 0, "fstat into %p succeeded", p);
	}
	/* a buffer that runs from a mapped page into an unmapped one */
	char *edge = (char *)USER_TOP - 2;
	expect(__sys_write(fd, edge, 8) < 0, "write across USER_TOP");
	close(fd);
	char back[8];
	expect(get_file("f", back, sizeof(back)) == 4 && memcmp(back, "data", 4) == 0,
	       "failed calls changed the file");
	expect(open("g", O_RDONLY) < 0, "a failed call created g");
	expect(unlink("f") == 0, "unlink failed");
}

static void
long_paths(void)
{
	char path[300], longer[302];

	enter("long_paths");
	/* MAXPATH or more bytes without a NUL: too long */
	memset(path, 'a', sizeof(path));
	path[MAXPATH] = 0;
	expect(open(path, O_RDWR | O_CREAT) < 0, "a path of MAXPATH characters was accepted");
	expect(mkdir(path, 0) < 0 && unlink(path) < 0 && chdir(path) < 0,
	       "an over-long path was accepted");
	path[sizeof(path) - 1] = 0;
	expect(open(path, O_RDWR | O_CREAT) < 0, "a path of 299 characters was accepted");

	/* a real file whose absolute path is exactly MAXPATH - 1 bytes */
	strcpy(path, "/tmp/long_paths");
	for (int i = 0; i < 7; i++) {
		strcat(path, "/dddddddddddddd");
		expect(mkdir(path, 0) == 0, "mkdir %s", path);
	}
	strcat(path, "/ffffff");
	expect(strlen(path) == MAXPATH - 1, "test path is %lu bytes", (unsigned long)strlen(path));
	put_file(path, "x", 1);
	expect(xstat(path).size == 1, "the longest path does not work");
	/* the same file named with one byte more is refused */
	snprintf(longer, sizeof(longer), "/%s", path);
	expect(strlen(longer) == MAXPATH && open(longer, O_RDONLY) < 0,
	       "a path of MAXPATH bytes was accepted");
	expect(unlink(path) == 0, "unlink %s", path);
	for (int i = 0; i < 7; i++) {
		*strrchr(path, '/') = 0;
		expect(unlink(path) == 0, "unlink %s", path);
	}
}

static void
long_names(void)
{
	enter("long_names");
	/* names are cut to DIRSIZ (14) bytes, as on xv6 */
	const char *longname = "abcdefghijklmnopqrstuvwxyz";
	put_file(longname, "long", 4);
	char back[8];
	expect(get_file("abcdefghijklmn", back, sizeof(back)) == 4,
	       "the name was not cut to 14 bytes");
	expect(get_file("abcdefghijklmnXYZ", back, sizeof(back)) == 4,
	       "a different long name with the same first 14 bytes is not the same file");
	expect(open("abcdefghijklm", O_RDONLY) < 0, "13 bytes matched a 14-byte name");
	struct dirent de;
	int fd = xopen(".", O_RDONLY);
	bool seen = false;
	while (read(fd, &de, sizeof(de)) == sizeof(de))
		if (de.inum && memcmp(de.name, "abcdefghijklmn", DIRSIZ) == 0)
			seen = true;
	close(fd);
	expect(seen, "no directory entry holds the 14-byte name");
	expect(mkdir("directory-with-a-long-name", 0) == 0, "mkdir with a long name");
	expect(chdir("directory-with-a-long-name-too") == 0, "chdir by a long name");
	expect(chdir("..") == 0, "chdir ..");
	expect(unlink("directory-wit") < 0, "removed by a 13-byte prefix");
	expect(unlink("directory-with-a-long-name") == 0 && unlink(longname) == 0,
	       "unlink by the long names");
}

static void
directories(void)
{
	enter("directories");
	expect(mkdir("a", 0) == 0 && mkdir("a/b", 0) == 0 && mkdir("a/b/c", 0) == 0, "mkdir");
	expect(mkdir("a", 0) < 0, "mkdir of an existing directory");
	expect(mkdir("x/y", 0) < 0, "mkdir in a missing directory");
	put_file("a/b/c/f", "deep", 4);
	expect(mkdir("a/b/c/f/g", 0) < 0, "mkdir below a file");
	expect(chdir("a/b") == 0, "chdir a/b");
	char back[8];
	expect(get_file("c/f", back, sizeof(back)) == 4, "relative path after chdir");
	expect(get_file("../b/./c/../c/f", back, sizeof(back)) == 4, ". and .. in a path");
	expect(get_file("/tmp/directories/a/b/c/f", back, sizeof(back)) == 4, "absolute path");
	expect(get_file("c//f", back, sizeof(back)) == 4, "doubled slashes");
	expect(chdir("c/f") < 0, "chdir into a file");
	expect(chdir("nowhere") < 0, "chdir to a missing directory");
	expect(chdir("../..") == 0, "chdir ../..");
	struct canopy_stat st = xstat("a");
	expect(st.nlink == 2, "a directory with one subdirectory has %d links (want 2)", st.nlink);
	expect(xstat("/").ino == ROOTINO && xstat("/..").ino == ROOTINO, "the root's .. is itself");
	expect(chdir("/") == 0 && chdir("..") == 0 && xstat(".").ino == ROOTINO, "/.. is /");
	expect(chdir("/tmp/directories") == 0, "chdir back");
	expect(open("", O_RDONLY) < 0, "an empty path opened something");
	/* only empty directories go; "." and ".." never */
	expect(unlink("a/b") < 0, "removed a non-empty directory");
	expect(unlink("a/b/c/.") < 0 && unlink("a/b/c/..") < 0, "removed . or ..");
	expect(unlink("/") < 0, "removed the root");
	expect(unlink("a/b/c/f") == 0, "unlink a file");
	expect(unlink("a/b/c") == 0 && unlink("a/b") == 0, "removing empty directories");
	expect(xstat("a").nlink == 1, "the parent's link count did not drop");
	expect(unlink("a") == 0, "unlink a");
}

/*
 * A directory removed while it is the current directory is dead: nothing
 * can be created or linked in it (-1), it reads as empty, "." still names
 * it and ".." names nothing.  Its inode goes with the last reference (the
 * suite's fsck finds no inode left without links).
 */
static void
removed_cwd(void)
{
	struct canopy_stat st;
	struct dirent de;

	enter("removed_cwd");
	expect(mkdir("d", 0) == 0 && chdir("d") == 0, "mkdir and enter d");
	expect(unlink("/tmp/removed_cwd/d") == 0, "remove the current directory");
	expect(open("f", O_RDWR | O_CREAT) < 0, "created a file in a removed directory");
	expect(mkdir("g", 0) < 0, "made a directory in a removed directory");
	expect(symlink("/README", "s") < 0, "made a symbolic link in a removed directory");
	expect(mknod("n", S_IFCHR, canopy_makedev(1, 0)) < 0, "made a device in a removed directory");
	expect(link("/README", "l") < 0, "linked a file into a removed directory");
	expect(stat_canopy(".", &st) == 0 && st.type == T_DIR && st.nlink == 0,
	       "stat . in a removed directory: want a directory with 0 links");
	int fd = open(".", O_RDONLY);
	expect(fd >= 0, "open . in a removed directory");
	expect(read(fd, &de, sizeof(de)) == 0, "a removed directory still lists entries");
	close(fd);
	expect(stat_canopy("..", &st) < 0 && chdir("..") < 0, ".. from a removed directory");
	expect(chdir("/tmp/removed_cwd") == 0, "leave the removed directory");
	expect(xstat(".").nlink == 1, "the parent's link count did not drop");
	expect(open("d", O_RDONLY) < 0, "the removed directory is still named");

	/* removed by another process while this one is inside, which then tries again */
	expect(mkdir("e", 0) == 0 && chdir("e") == 0, "mkdir and enter e");
	int pid = fork();
	if (pid == 0)
		_exit(unlink("/tmp/removed_cwd/e") == 0 ? 0 : 1);
	expect(wait_for(pid) == 0, "another process could not remove e");
	expect(open("f", O_RDWR | O_CREAT) < 0 && mkdir("g", 0) < 0,
	       "created entries in a directory another process removed");
	expect(chdir("/") == 0, "chdir /");
}

static void
bad_descriptors(void)
{
	char c;
	struct canopy_stat st;
	const int bad[] = { -1, NOFILE, 1000, 1 << 30, 9 };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = bad[i];
		if (fd == 9)
			close(9);       /* a closed descriptor */
		expect(read(fd, &c, 1) < 0 && write(fd, "x", 1) < 0, "read/write on fd %d", fd);
		expect(close(fd) < 0 && dup(fd) < 0, "close/dup of fd %d", fd);
		expect(fstat_canopy(fd, &st) < 0 && lseek(fd, 0, SEEK_SET) < 0,
		       "fstat/lseek on fd %d", fd);
	}
	int fd = xopen("/README", O_RDONLY);
	expect(__sys_read(fd, &c, -1) < 0, "read of -1 bytes");
	expect(__sys_write(1, "x", -5) < 0, "write of -5 bytes");
	close(fd);
}

/*
 * A path in heap pages nobody has touched yet: it is filled by read(), so
 * the kernel's copyout faults the pages in (with the lazy heap), and then
 * open's copyinstr reads it across the page boundary.
 */
static void
path_in_lazy_pages(void)
{
	int p[2];
	char c;

	expect(pipe(p) == 0, "pipe");
	uintptr_t brk = (uintptr_t)sbrk(0);
	long pad = (long)(((brk + 4095) & ~4095UL) - brk);
	char *heap = sbrk(pad + 2 * 4096);
	expect(heap != (char *)-1, "sbrk");
	char *path = heap + pad + 4096 - 4;             /* "/REA" | "DME\0" */
	expect(write(p[1], "/READ", 4) == 4 && read(p[0], path, 4) == 4, "fill page 0");
	expect(write(p[1], "DME", 4) == 4 && read(p[0], path + 4, 4) == 4, "fill page 1");
	int fd = open(path, O_RDONLY);
	expect(fd >= 0, "open(\"%s\") from lazily filled pages failed", path);
	expect(read(fd, &c, 1) == 1, "read from the file");
	close(fd);
	close(p[0]);
	close(p[1]);
}

/*
 * exec holds its program's inode locked while it loads; a lookup of a path
 * through that file (/bin/true/x) waits for the lock inside a file-system
 * operation.  If exec then ran a transaction of its own (dropping an inode
 * reference) it waited for the commit, the commit for the lookup, the
 * lookup for exec: both processes stuck for good, on 1 hart or 3.
 */
static void
exec_and_lookup_through_the_program(void)
{
	char *argv[] = { "true", NULL };
	int looker = fork();

	expect(looker >= 0, "fork");
	if (looker == 0) {
		for (int i = 0; i < 1500; i++)
			if (exec("/bin/true/x", argv) != -1)
				exit(1);
		exit(0);
	}
	for (int i = 0; i < 300; i++) {
		int pid = fork();
		expect(pid >= 0, "fork");
		if (pid == 0) {
			exec("/bin/true", argv);
			exit(2);
		}
		expect(wait_for(pid) == 0, "exec of /bin/true %d failed", i);
	}
	expect(wait_for(looker) == 0, "exec of a path through a file succeeded");
}

/*
 * A program file cut and written again while it is exec'd, over and over:
 * an exec and an open for writing exclude each other (ETXTBSY), so each
 * exec runs the program whole or fails, and the writer skips the rounds a
 * run holds the file; never a panic, a hang or a leaked page (the runner
 * counts).  How many execs find the file whole depends on the timing; the
 * writer's last round always writes it whole, so it runs after.
 */
static void
exec_while_the_program_is_rewritten(void)
{
	static char image[64 * 1024];
	char *argv[] = { "prog", NULL };
	int fd = xopen("/bin/true", O_RDONLY);
	long n = read(fd, image, sizeof(image));

	close(fd);
	expect(n > 0 && n < (long)sizeof(image), "read /bin/true: %ld", n);
	fd = xopen("/tmp/prog", O_CREAT | O_WRONLY | O_TRUNC);
	expect(write(fd, image, n) == n, "write /tmp/prog");
	close(fd);
	int writer = fork();
	expect(writer >= 0, "fork");
	if (writer == 0) {
		for (int i = 0; i < 150; i++) {
			int w = open("/tmp/prog", O_WRONLY | O_TRUNC);
			if (w < 0)
				continue;       /* a run holds it (running_program_is_busy) */
			if (write(w, image, i % 3 ? n : n / 2) < 0)
				exit(1);
			close(w);
		}
		int w;
		while ((w = open("/tmp/prog", O_WRONLY | O_TRUNC)) < 0)
			__sys_sleep(1);         /* a run holds it: runs are short */
		exit(write(w, image, n) == n ? 0 : 1);
	}
	for (int i = 0; i < 150; i++) {
		int pid = fork();
		expect(pid >= 0, "fork");
		if (pid == 0) {
			exec("/tmp/prog", argv);
			exit(2);
		}
		wait_for(pid);
	}
	expect(wait_for(writer) == 0, "the writer failed");
	int pid = fork();
	if (pid == 0) {
		exec("/tmp/prog", argv);
		exit(2);
	}
	expect(wait_for(pid) == 0, "the program, written whole at last, did not run");
	unlink("/tmp/prog");
}

/* Run /tmp/busy (argv) in a child: its exit status, 3 if the exec failed. */
static int
run_busy(char *argv[])
{
	int pid = fork();

	if (pid == 0) {
		exec("/tmp/busy", argv);
		exit(3);
	}
	return wait_for(pid);
}

/*
 * A mapping of a file opened for writing keeps it open for writing after
 * its descriptor is closed, as Linux's does: while any piece of it is
 * mapped, here or in a child that inherited it, the file does not run.
 */
static void
mapped_writer_is_busy(char *argv[])
{
	int fd = xopen("/tmp/busy", O_RDWR);
	char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);

	expect(m != MAP_FAILED, "mmap of /tmp/busy");
	close(fd);
	expect(run_busy(argv) == 3, "a file mapped from a writable descriptor ran");
	expect(munmap(m + 4096, 4096) == 0, "munmap of the middle page");
	expect(run_busy(argv) == 3, "a file ran while two pieces of a writable mapping remained");
	int child = fork();
	if (child == 0) {
		sleep(2);       /* holds the inherited mapping */
		exit(0);
	}
	expect(munmap(m, 3 * 4096) == 0, "munmap of the rest");
	expect(run_busy(argv) == 3, "a file ran while a child held a writable mapping of it");
	expect(wait_for(child) == 0, "the child holding the mapping");
	int st = run_busy(argv);
	expect(st == 0, "the file did not run once every writable mapping was gone (status %d)", st);
	fd = xopen("/tmp/busy", O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	expect(m != MAP_FAILED && run_busy(argv) == 0, "a read-only mapping kept the file from running");
	munmap(m, 4096);
}

/*
 * A file runs or is written, never both (ETXTBSY; fs/inode.c): a copy of
 * this program cannot open its own file for writing while it runs; once
 * it has exited the file opens for writing; and while it is open so, it
 * does not run.  The writer of exec_while_the_program_is_rewritten is
 * refused the same way when a run holds the file.
 */
static void
running_program_is_busy(void)
{
	static char image[64 * 1024];
	char *argv[] = { "busy", "open-for-writing", "/tmp/busy", NULL };
	long n = get_file("/bin/fstest", image, sizeof(image));

	expect(n > 0 && n < (long)sizeof(image), "read /bin/fstest: %ld", n);
	put_file("/tmp/busy", image, n);
	int st = run_busy(argv);
	expect(st == 0, "a running program opened its own file for writing (status %d)", st);
	int fd = xopen("/tmp/busy", O_WRONLY);
	st = run_busy(argv);
	expect(st == 3, "a file open for writing ran (status %d)", st);
	close(fd);
	mapped_writer_is_busy(argv);
	unlink("/tmp/busy");
}

const struct test tests_paths[] = {
	{ "running_program_is_busy", running_program_is_busy },
	{ "exec_and_lookup_through_the_program", exec_and_lookup_through_the_program },
	{ "exec_while_the_program_is_rewritten", exec_while_the_program_is_rewritten },
	{ "path_in_lazy_pages", path_in_lazy_pages },
	{ "bad_pointers", bad_pointers },
	{ "long_paths", long_paths },
	{ "long_names", long_names },
	{ "directories", directories },
	{ "removed_cwd", removed_cwd },
	{ "bad_descriptors", bad_descriptors },
	{ NULL, NULL },
};
