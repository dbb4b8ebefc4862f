/*
 * Files: create, read, write, the open flags, offsets (lseek, dup,
 * O_APPEND), fstat, reading directories, the console as a device file,
 * and running programs stored in the file system.
 */
#include "fstest.h"

static char buf[8192], got[8192];

static void
create_write_read(void)
{
	enter("create_write_read");
	fill(buf, 5000, 1, 0);
	int fd = xopen("f", O_RDWR | O_CREAT);
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.type == T_FILE && st.size == 0 && st.nlink == 1,
	       "a new file: type %d size %lu nlink %d", st.type, (unsigned long)st.size, st.nlink);
	expect(write(fd, buf, 5000) == 5000, "write failed");
	expect(fstat_canopy(fd, &st) == 0 && st.size == 5000, "size %lu after writing 5000",
	       (unsigned long)st.size);
	expect(read(fd, got, 10) == 0, "read at the end returned data");
	close(fd);
	memset(got, 0, sizeof(got));
	expect(get_file("f", got, sizeof(got)) == 5000 && matches(got, 5000, 1, 0),
	       "read back differs");
	/* reading in odd pieces across block boundaries */
	fd = xopen("f", O_RDONLY);
	long total = 0, n;
	while ((n = read(fd, got + total, 333)) > 0)
		total += n;
	close(fd);
	expect(total == 5000 && matches(got, 5000, 1, 0), "piecewise read gave %ld bytes", total);
	expect(unlink("f") == 0, "unlink failed");
	expect(open("f", O_RDONLY) < 0, "the file is still there after unlink");
}

static void
open_flags(void)
{
	enter("open_flags");
	put_file("f", "hello", 5);
	int fd = xopen("f", O_RDONLY);
	expect(write(fd, "x", 1) < 0, "wrote to a file opened read-only");
	close(fd);
	fd = xopen("f", O_WRONLY);
	expect(read(fd, got, 1) < 0, "read from a file opened write-only");
	expect(write(fd, "J", 1) == 1, "write failed");
	close(fd);
	expect(get_file("f", got, 10) == 5 && memcmp(got, "Jello", 5) == 0,
	       "O_WRONLY without O_TRUNC must overwrite in place");
	fd = xopen("f", O_WRONLY | O_TRUNC);
	close(fd);
	expect(xstat("f").size == 0, "O_TRUNC left %lu bytes", (unsigned long)xstat("f").size);
	expect(open("missing", O_RDONLY) < 0, "opened a file that does not exist");
	expect(open("missing", O_WRONLY) < 0, "O_WRONLY without O_CREAT created a file");
	expect(open(".", O_WRONLY) < 0 && open(".", O_RDWR) < 0, "opened a directory for writing");
	expect(open("f", O_WRONLY | O_CREAT | O_EXCL) < 0, "O_EXCL must be refused");
	/* O_CREAT on an existing file opens it */
	put_file("f", "abc", 3);
	fd = xopen("f", O_RDWR | O_CREAT);
	expect(read(fd, got, 10) == 3, "O_CREAT on an existing file lost its data");
	close(fd);
	/* flags the kernel does not know are refused */
	expect(__sys_open("f", 0x40000000) < 0, "unknown open flags accepted");
	expect(unlink("f") == 0, "unlink failed");
}

static void
offsets(void)
{
	enter("offsets");
	fill(buf, 3000, 2, 0);
	put_file("f", buf, 3000);
	int fd = xopen("f", O_RDWR);
	expect(lseek(fd, 0, SEEK_END) == 3000, "SEEK_END");
	expect(lseek(fd, -1000, SEEK_CUR) == 2000, "SEEK_CUR");
	expect(read(fd, got, 100) == 100 && matches(got, 100, 2, 2000), "read after lseek");
	expect(lseek(fd, 10, SEEK_SET) == 10, "SEEK_SET");
	expect(lseek(fd, -11, SEEK_CUR) < 0, "seeking before the start succeeded");
	expect(lseek(fd, 0, 7) < 0, "bad whence accepted");
	expect(lseek(fd, 0, SEEK_CUR) == 10, "a failed lseek moved the offset");
	/* no holes: writing past the end fails */
	expect(lseek(fd, 5000, SEEK_SET) == 5000, "seek past the end");
	expect(write(fd, "x", 1) < 0, "a write past the end (a hole) succeeded");
	expect(xstat("f").size == 3000, "a failed write changed the size");
	/* dup shares the offset */
	expect(lseek(fd, 0, SEEK_SET) == 0, "rewind");
	int fd2 = dup(fd);
	expect(fd2 >= 0, "dup failed");
	expect(read(fd, got, 1000) == 1000, "read");
	expect(read(fd2, got, 1000) == 1000 && matches(got, 1000, 2, 1000),
	       "a dup'd descriptor does not share the offset");
	close(fd2);
	close(fd);
	/* O_APPEND writes at the end, whatever the offset */
	fd = xopen("f", O_WRONLY | O_APPEND);
	expect(write(fd, "END", 3) == 3, "append failed");
	close(fd);
	expect(get_file("f", got, sizeof(got)) == 3003 && memcmp(got + 3000, "END", 3) == 0 &&
	       matches(got, 3000, 2, 0), "O_APPEND did not append");
	int p[2];
	expect(pipe(p) == 0, "pipe");
	expect(lseek(p[0], 0, SEEK_SET) < 0, "lseek on a pipe succeeded");
	close(p[0]);
	close(p[1]);
	expect(unlink("f") == 0, "unlink failed");
}

static void
read_directory(void)
{
	struct dirent de[8];

	enter("read_directory");
	put_file("one", "1", 1);
	int fd = xopen(".", O_RDONLY);
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.type == T_DIR, "fstat of a directory");
	long n = read(fd, de, sizeof(de));
	close(fd);
	expect(n >= 3 * (long)sizeof(struct dirent), "read %ld bytes of directory", n);
	expect(strcmp(de[0].name, ".") == 0 && de[0].inum == st.ino, "first entry is not .");
	expect(strcmp(de[1].name, "..") == 0, "second entry is not ..");
	expect(strncmp(de[2].name, "one", DIRSIZ) == 0 && de[2].inum == xstat("one").ino,
	       "third entry is not the file");
	expect(unlink("one") == 0, "unlink failed");
}

static void
console_device(void)
{
	enter("console_device");
	int fd = xopen("/console", O_WRONLY);
	struct canopy_stat st;
	expect(fstat_canopy(fd, &st) == 0 && st.type == T_DEVICE, "/console is type %d", st.type);
	expect(write(fd, "  (console device file ok)\n", 27) == 27, "write to /console failed");
	close(fd);
	expect(mknod("cons", S_IFCHR, canopy_makedev(1, 0)) == 0, "mknod failed");
	fd = xopen("cons", O_WRONLY);
	expect(write(fd, "  (mknod'ed console ok)\n", 24) == 24, "write to a mknod'ed console failed");
	close(fd);
	expect(mknod("cons", S_IFCHR, canopy_makedev(1, 0)) < 0, "mknod over an existing name");
	expect(mknod("bad", S_IFCHR, canopy_makedev(9, 0)) == 0, "mknod of an unused major");
	expect(open("bad", O_RDWR) < 0, "opened a device with no driver");
	expect(__sys_mknod("bad2", 10, 0) < 0 && __sys_mknod("bad2", -1, 0) < 0,
	       "mknod accepted a major beyond the device table");
	expect(unlink("cons") == 0 && unlink("bad") == 0, "unlink failed");
}

/* Copy /bin/echo to a new name and run it from there, output to a file. */
static void
exec_from_disk(void)
{
	enter("exec_from_disk");
	static char prog[65536];
	long n = get_file("/bin/echo", prog, sizeof(prog));
	expect(n > 0 && n < (long)sizeof(prog), "cannot read /bin/echo");
	put_file("myecho", prog, n);
	expect(symlink("myecho", "viasym") == 0, "symlink failed");
	int pid = fork();
	if (pid == 0) {
		close(1);
		if (open("out", O_WRONLY | O_CREAT | O_TRUNC) != 1)
			exit(3);
		char *argv[] = { "myecho", "from", "disk", NULL };
		exec("/tmp/exec_from_disk/viasym", argv);
		exit(4);
	}
	int status = wait_for(pid);
	expect(status == 0, "the copied program exited with %d", status);
	memset(got, 0, sizeof(got));
	expect(get_file("out", got, sizeof(got)) == 10 && strcmp(got, "from disk\n") == 0,
	       "its output was '%s'", got);
	/* not programs */
	put_file("text", "#!not an ELF\n", 13);
	char *argv[] = { "x", NULL };
	expect(exec("text", argv) < 0, "exec of a text file succeeded");
	expect(exec(".", argv) < 0, "exec of a directory succeeded");
	expect(exec("nothing", argv) < 0, "exec of a missing file succeeded");
	expect(unlink("myecho") == 0 && unlink("viasym") == 0 && unlink("out") == 0 &&
	       unlink("text") == 0, "unlink failed");
}

/*
 * A program whose second load segment has no permission at all (R, W and
 * X clear) and holds words that look like page-table entries.  The
 * segment takes its place but maps nothing, so the words never become
 * part of a table: the program forks (which walks every mapping) and
 * both exit 0.  Built by hand: the ELF header, two program headers, a
 * page of code, a page of fake entries.
 */
struct elf64_header {
	uint32_t magic;
	uint8_t class, data, version, abi, pad[8];
	uint16_t type, machine;
	uint32_t version2;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static void
exec_segment_without_permissions(void)
{
	enter("exec_noperm");
	static uint8_t img[3 * 4096];
	struct elf64_header *eh = (void *)img;
	struct elf64_phdr *ph = (void *)(img + sizeof(*eh));
	static const uint32_t code[] = {
		0x00100893,     /* li a7, SYS_fork */
		0x00000073,     /* ecall */
		0x00000513,     /* li a0, 0 */
		0x00200893,     /* li a7, SYS_exit */
		0x00000073,     /* ecall */
	};

	memset(img, 0, sizeof(img));
	*eh = (struct elf64_header){ .magic = 0x464c457f, .class = 2, .data = 1, .version = 1,
		.type = 2, .machine = 243, .version2 = 1, .entry = USER_TEXT_BASE,
		.phoff = sizeof(*eh), .ehsize = sizeof(*eh), .phentsize = sizeof(*ph), .phnum = 2 };
	ph[0] = (struct elf64_phdr){ .type = 1, .flags = 5 /* R X */, .offset = 4096,
		.vaddr = USER_TEXT_BASE, .filesz = sizeof(code), .memsz = sizeof(code), .align = 4096 };
	ph[1] = (struct elf64_phdr){ .type = 1, .flags = 0, .offset = 8192,
		.vaddr = USER_TEXT_BASE + 4096, .filesz = 4096, .memsz = 4096, .align = 4096 };
	memcpy(img + 4096, code, sizeof(code));
	for (int i = 0; i < 512; i++)   /* "valid, next level at 0x80000000" */
		((uint64_t *)(img + 8192))[i] = (0x80000000UL >> 12) << 10 | 1;
	put_file("noperm", img, sizeof(img));
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "noperm", NULL };
		exec("/tmp/exec_noperm/noperm", argv);
		exit(4);
	}
	expect(wait_for(pid) == 0, "the program with a no-permission segment failed");
	expect(unlink("noperm") == 0 && chdir("..") == 0 && unlink("exec_noperm") == 0,
	       "cleaning up failed");
}

/*
 * A hand-built program: text (exit 0) at USER_TEXT_BASE, one page of data
 * after it; broken in one field per case below.
 */
static uint8_t prog_img[3 * 4096];
static struct elf64_header *prog_eh = (void *)prog_img;
static struct elf64_phdr *prog_ph = (void *)(prog_img + sizeof(struct elf64_header));

static void
build_program(void)
{
	static const uint32_t code[] = {
		0x00000513,     /* li a0, 0 */
		0x00200893,     /* li a7, SYS_exit */
		0x00000073,     /* ecall */
	};

	memset(prog_img, 0, sizeof(prog_img));
	*prog_eh = (struct elf64_header){ .magic = 0x464c457f, .class = 2, .data = 1,
		.version = 1, .type = 2, .machine = 243, .version2 = 1, .entry = USER_TEXT_BASE,
		.phoff = sizeof(*prog_eh), .ehsize = sizeof(*prog_eh),
		.phentsize = sizeof(*prog_ph), .phnum = 2 };
	prog_ph[0] = (struct elf64_phdr){ .type = 1, .flags = 5 /* R X */, .offset = 4096,
		.vaddr = USER_TEXT_BASE, .filesz = sizeof(code), .memsz = sizeof(code),
		.align = 4096 };
	prog_ph[1] = (struct elf64_phdr){ .type = 1, .flags = 6 /* R W */, .offset = 8192,
		.vaddr = USER_TEXT_BASE + 4096, .filesz = 16, .memsz = 4096, .align = 4096 };
	memcpy(prog_img + 4096, code, sizeof(code));
}

/* Write the program (its first n bytes), exec it in a child: the child's status. */
static int
run_program(size_t n)
{
	put_file("prog", prog_img, n);
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "prog", NULL };
		exec("prog", argv);
		exit(4);        /* exec refused it */
	}
	return wait_for(pid);
}

/*
 * Headers no loader may trust: each is refused (exec returns -1 and the
 * caller goes on), and the program built right still runs afterwards.
 */
static void
exec_refuses_broken_headers(void)
{
	enter("exec_broken");
	build_program();
	expect(run_program(sizeof(prog_img)) == 0, "the well-formed program failed");
	struct { const char *what; uint64_t *field; uint64_t value; size_t size; } cases[] = {
		{ "no program headers", NULL, 0, 0 },
		{ "program headers past the end of the file", &prog_eh->phoff, 3 * 4096 - 8, 0 },
		{ "program headers at a wrapping offset", &prog_eh->phoff, ~0UL - 8, 0 },
		{ "entry outside the text", &prog_eh->entry, 0, 0 },
		{ "entry in the kernel", &prog_eh->entry, KADDR_IMAGE, 0 },
		{ "segment offset past the end of the file", &prog_ph[0].offset, 1UL << 40, 0 },
		{ "segment file size past the end of the file", &prog_ph[0].filesz, 8192, 0 },
		{ "file size beyond memory size", &prog_ph[1].filesz, 8192, 0 },
		{ "segment in the kernel half", &prog_ph[1].vaddr, KADDR_LOW, 0 },
		{ "segment at address 0", &prog_ph[0].vaddr, 0, 0 },
		{ "segment over the vDSO", &prog_ph[1].vaddr, VDSO_PROC, 0 },
		{ "segment wrapping past the top", &prog_ph[1].memsz, ~0UL - 4096, 0 },
		{ "100 GiB of bss", &prog_ph[1].memsz, 100UL << 30, 0 },
		{ "overlapping segments", &prog_ph[1].vaddr, USER_TEXT_BASE, 0 },
		{ "truncated header", NULL, 0, 40 },
		{ "empty file", NULL, 0, 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build_program();
		if (cases[i].field)
			*cases[i].field = cases[i].value;
		else if (!cases[i].size)
			prog_eh->phnum = 0;
		size_t n = cases[i].size == 1 ? 0 : cases[i].size ? cases[i].size : sizeof(prog_img);
		int st = run_program(n);
		expect(st == 4, "%s: exec did not refuse it (status %d)", cases[i].what, st);
	}
	build_program();
	prog_ph[0].flags = 7;   /* writable and executable */
	expect(run_program(sizeof(prog_img)) == 4, "a W+X segment was loaded");
	build_program();
	prog_eh->machine = 62;  /* x86-64 */
	expect(run_program(sizeof(prog_img)) == 4, "another machine's program was loaded");
	build_program();
	expect(run_program(sizeof(prog_img)) == 0, "the well-formed program failed afterwards");
	expect(unlink("prog") == 0 && chdir("..") == 0 && unlink("exec_broken") == 0,
	       "cleaning up failed");
}

const struct test tests_basic[] = {
	{ "create_write_read", create_write_read },
	{ "open_flags", open_flags },
	{ "offsets", offsets },
	{ "read_directory", read_directory },
	{ "console_device", console_device },
	{ "exec_from_disk", exec_from_disk },
	{ "exec_segment_without_permissions", exec_segment_without_permissions },
	{ "exec_refuses_broken_headers", exec_refuses_broken_headers },
	{ NULL, NULL },
};
