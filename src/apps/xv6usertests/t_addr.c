/*
 * xv6usertests: addresses a program may not use, as stock usertests
 * tries them.  System calls given kernel addresses, MAXVA and the four
 * pages below it (xv6's trampoline, trapframe and USYSCALL; out of user
 * reach on Canopy too) fail with -1; loads and stores there kill the
 * process (status -1), as do stores to text, to MAXVA shifted up, and
 * reads below the stack (USERSTACK pages: 8 on Canopy).  Paths without
 * their NUL or running off the heap fail.  exec: arguments arrive as
 * sent, oversized ones and bad argv pointers fail and return.
 */
#include "xv6ut.h"

static uint64 bad_addrs[] = {
	0x80000000UL, 0x3fffffc000UL, 0x3fffffd000UL, 0x3fffffe000UL, 0x3ffffff000UL,
	MAXVA, MAXVA - 1, 0xffffffff80000000UL, 0xffffffffffffffffUL,
};
#define NBAD (sizeof(bad_addrs) / sizeof(bad_addrs[0]))

/* copyin, copyout, copyinstr1: every call refuses every bad address. */
static void
bad_addresses_in_calls(void)
{
	int fds[2];
	char *argv[] = { "echo", 0 };

	CHECK(pipe(fds) == 0, "pipe failed");
	int fd = open("/README", O_RDONLY);
	CHECK(fd >= 0, "cannot open /README");
	for (int i = 0; i < NBAD; i++) {
		void *p = (void *)bad_addrs[i];
		write(fds[1], "x", 1);
		CHECK(read(fd, p, 8192) == -1, "read into %p worked", p);
		CHECK(read(fds[0], p, 8192) == -1, "pipe read into %p worked", p);
		CHECK(write(fds[1], p, 8192) == -1, "write from %p worked", p);
		CHECK(pipe((int *)p) == -1, "pipe(%p) worked", p);
		CHECK(exec((char *)p, argv) == -1, "exec(%p) returned", p);
		CHECK(open((char *)p, O_RDONLY) == -1 && open((char *)p, O_CREATE) == -1,
		      "open(%p) worked", p);
		CHECK(mkdir((char *)p) == -1 && link("/README", (char *)p) == -1 &&
		      unlink((char *)p) == -1 && chdir((char *)p) == -1, "a path call took %p", p);
		CHECK(fstat(fd, (struct stat *)p) == -1 && sysinfo((struct sysinfo *)p) == -1,
		      "fstat or sysinfo wrote to %p", p);
		char c;
		read(fds[0], &c, 1);
	}
	close(fd);
	close(fds[0]);
	close(fds[1]);
}

/* copyinstr2, copyinstr3: a path with no NUL in MAXPATH bytes, or off the heap. */
static void
unterminated_paths(void)
{
	static char b[MAXPATH + 1];

	memset(b, 'x', MAXPATH);
	b[MAXPATH] = 0;
	CHECK(open(b, O_CREATE | O_RDWR) == -1 && unlink(b) == -1 && mkdir(b) == -1,
	      "a path of MAXPATH bytes was taken");
	char *argv[] = { "echo", b, 0 };
	CHECK(exec(b, argv) == -1, "exec of a path of MAXPATH bytes returned");
	uint64 top = (uint64)sbrk(0);
	if (top % PGSIZE)
		sbrk(PGSIZE - top % PGSIZE);
	char *end = sbrk(0);
	char *s = sbrk(PGSIZE);
	CHECK(s != SBRK_ERROR, "sbrk failed");
	memset(s, 'y', PGSIZE);
	CHECK(end == s && open(end + PGSIZE - 5, O_CREATE) == -1, "a path running off the heap");
	CHECK(link(end + PGSIZE - 5, "x") == -1 && unlink(end + PGSIZE - 5) == -1,
	      "a path running off the heap");
}

static volatile char sink;

static void
load(uint64 va)
{
	sink = *(volatile char *)va;
}

static void
store(uint64 va)
{
	*(volatile char *)va = 1;
}

/* nowrite, kernmem, MAXVAplus: loads and stores that must kill. */
static void
bad_addresses_fault(void)
{
	for (int i = 0; i < NBAD; i++) {
		CHECK(killed_at(load, bad_addrs[i]), "a load at %p did not kill", bad_addrs[i]);
		CHECK(killed_at(store, bad_addrs[i]), "a store at %p did not kill", bad_addrs[i]);
	}
	for (uint64 a = KERNBASE; a < KERNBASE + 2000000; a += 400000)
		CHECK(killed_at(load, a), "a load at %p did not kill", a);
	for (uint64 a = MAXVA; a != 0; a <<= 1)
		CHECK(killed_at(store, a), "a store at %p did not kill", a);
	CHECK(killed_at(load, 0), "a load at address 0 did not kill");
}

/* ugetpid reads USYSCALL, a page that lies below the top four on Canopy. */
static void
usyscall_page(void)
{
	CHECK(ugetpid() == getpid(), "ugetpid %d, getpid %d", ugetpid(), getpid());
	CHECK(USYSCALL < 0x3fffffc000UL, "USYSCALL is among the top pages");
	CHECK(killed_at(store, USYSCALL), "a store to USYSCALL did not kill");
}

/* textwrite: text is read-only. */
static void
text_write(void)
{
	CHECK(killed_at(store, (uint64)text_write), "a store to text did not kill");
}

static void
deep(uint64 depth)
{
	volatile char frame[1024];

	frame[0] = depth;
	if (depth > 0)
		deep(depth - 1);
	frame[1] = frame[0];
}

/*
 * stacktest (2025): a read USERSTACK pages below sp hits the guard page.
 * Canopy's stack is 8 pages: one page below sp is still stack (stock
 * 2022 expects that read to fault), and recursion past 8 pages faults.
 */
static void
stack_guard(void)
{
	CHECK(!killed_at(load, r_sp() - PGSIZE), "one page below sp is not stack");
	CHECK(killed_at(load, r_sp() - USERSTACK * PGSIZE), "no guard page below the stack");
	CHECK(!killed_at(deep, 6), "a few frames ran out of stack");
	CHECK(!killed_at(deep, 20), "twenty 1 KiB frames ran out of 8 pages of stack");
	CHECK(killed_at(deep, 40), "forty 1 KiB frames did not reach the guard page");
}

static char bss[20000];

/* bsstest: bss starts zeroed. */
static void
bss_zero(void)
{
	for (int i = 0; i < sizeof(bss); i++)
		CHECK(bss[i] == 0, "bss byte %d is %d", i, bss[i]);
}

/* validatetest: link() with every page address as a path; no crash. */
static void
validate(void)
{
	for (uint64 p = 0; p <= 1100 * PGSIZE; p += PGSIZE)
		CHECK(link("nosuchfile", (char *)p) == -1, "link to %p succeeded", p);
}

/* xv6usertests --args ...: print argc and each argument, joined by '|'. */
void
exec_args_child(int argc, char *argv[])
{
	printf("%d", argc);
	for (int i = 0; i < argc; i++)
		printf("|%s", argv[i]);
	exit(0);
}

/* Run exec(path, argv) in a child with its output in a pipe; the status. */
static int
exec_output(char *path, char **argv, char *out, int size)
{
	int fds[2], n = 0, r, status = -2;

	CHECK(pipe(fds) == 0, "pipe failed");
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		close(1);
		dup(fds[1]);
		exec(path, argv);
		exit(99);
	}
	close(fds[1]);
	while (n < size - 1 && (r = read(fds[0], out + n, size - 1 - n)) > 0)
		n += r;
	out[n] = 0;
	close(fds[0]);
	wait(&status);
	return status;
}

/* exec: MAXARG - 1 arguments arrive in order; fds survive exec. */
static void
exec_args(void)
{
	static char names[MAXARG][4], out[512], want[512];
	char *argv[MAXARG];

	argv[0] = "/bin/xv6usertests";
	argv[1] = "--args";
	strcpy(want, "31|/bin/xv6usertests|--args");
	for (int i = 2; i < MAXARG - 1; i++) {
		names[i][0] = 'a' + i % 26;
		names[i][1] = '0' + i / 10;
		names[i][2] = '0' + i % 10;
		argv[i] = names[i];
		strcpy(want + strlen(want), "|");
		strcpy(want + strlen(want), names[i]);
	}
	argv[MAXARG - 1] = 0;
	int status = exec_output(argv[0], argv, out, sizeof(out));
	CHECK(status == 0 && strcmp(out, want) == 0, "status %d, got \"%s\"", status, out);
}

/* bigargtest, badarg: exec refuses what it cannot take, and returns. */
static void
exec_refusals(void)
{
	static char big[400], out[64];
	static char *args[MAXARG];

	memset(big, ' ', sizeof(big) - 1);
	for (int i = 0; i < MAXARG - 1; i++)
		args[i] = big;
	CHECK(exec("/echo", args) == -1, "exec with 31 arguments of 400 bytes returned");
	CHECK(exec("nosuchprogram", args) == -1, "exec of a missing program returned");
	char *argv[] = { "README", 0 };
	CHECK(exec("/README", argv) == -1 && exec("/tmp", argv) == -1,
	      "exec of a text file or a directory returned");
	for (int i = 0; i < 500; i++)
		CHECK(exec("/echo", (char **)0xffffffffffffffffUL) == -1, "bad argv accepted");
	CHECK(exec("/echo", (char **)0x3fffffe000UL) == -1, "argv in the top pages accepted");
	int status = exec_output("/echo", argv, out, sizeof(out));
	CHECK(status == 0 && strcmp(out, "\n") == 0, "echo with no arguments: %d \"%s\"",
	      status, out);
}

struct xv6t_test addr_tests[] = {
	{ "bad_addresses_in_calls", bad_addresses_in_calls },
	{ "unterminated_paths", unterminated_paths },
	{ "bad_addresses_fault", bad_addresses_fault },
	{ "usyscall_page", usyscall_page },
	{ "text_write", text_write },
	{ "stack_guard", stack_guard },
	{ "bss_zero", bss_zero },
	{ "validate", validate },
	{ "exec_args", exec_args },
	{ "exec_refusals", exec_refusals },
	{ 0, 0 },
};
