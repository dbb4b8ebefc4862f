/*
 * System calls given bad arguments: null, kernel-half and other
 * unmapped addresses, ranges that wrap or cross USER_TOP, bad descriptors.
 * Each must fail with -1 and change nothing; the runner checks that no
 * page leaked.
 */
#include "utest.h"

/* Addresses that are never valid user buffers for n > 1 bytes. */
struct bad { uint64_t addr; long n; const char *what; };

static const struct bad bad_ranges[] = {
	{ 0, 8, "null" },
	{ 0x80000000UL, 8, "unmapped low address" },
	{ KADDR_LOW, 8, "kernel half start" },
	{ KADDR_IMAGE, 8, "kernel image" },
	{ KADDR_HIGH, 1, "top of the address space" },
	{ 0xfffffffffffff000UL, 0x2000, "range that wraps" },
	{ USER_TOP, 1, "USER_TOP" },
	{ USER_TOP - 4, 8, "range crossing USER_TOP" },
	{ VDSO_DATA, 8, "read-only vDSO page (as a destination)" },
	{ USER_STACK_GUARD, 8, "stack guard page" },
	{ 0x3000000000UL, 8, "unmapped high user address" },
};
#define NBAD (sizeof(bad_ranges) / sizeof(bad_ranges[0]))

static void
bad_read(void)
{
	int p[2];
	char c;

	expect(pipe(p) == 0, "pipe failed");
	expect(write(p[1], "x", 1) == 1, "write failed");
	for (unsigned i = 0; i < NBAD; i++) {
		const struct bad *b = &bad_ranges[i];
		long r = __sys_read(p[0], (void *)b->addr, b->n);
		expect(r == -1, "read into %s (%#lx) returned %ld", b->what, (unsigned long)b->addr, r);
	}
	expect(read(p[0], &c, 1) == 1 && c == 'x', "the byte in the pipe was lost");
}

static void
bad_write(void)
{
	int p[2];
	char buf[4];

	expect(pipe(p) == 0, "pipe failed");
	for (unsigned i = 0; i < NBAD; i++) {
		const struct bad *b = &bad_ranges[i];
		if (b->addr == VDSO_DATA)
			continue;   /* readable: writing *from* it is fine */
		long r = __sys_write(p[1], (void *)b->addr, b->n);
		expect(r == -1, "write from %s (%#lx) returned %ld", b->what, (unsigned long)b->addr, r);
		r = __sys_write(1, (void *)b->addr, b->n);
		expect(r == -1, "console write from %s returned %ld", b->what, r);
	}
	expect(write(p[1], "yz", 2) == 2, "write failed");
	expect(read(p[0], buf, sizeof(buf)) == 2 && buf[0] == 'y', "pipe holds bytes from a failed write");
}

static void
bad_pipe(void)
{
	int fd_before = dup(0);
	close(fd_before);
	for (unsigned i = 0; i < NBAD; i++) {
		const struct bad *b = &bad_ranges[i];
		expect(__sys_pipe((int *)b->addr) == -1, "pipe(%s) succeeded", b->what);
	}
	int fd_after = dup(0);
	close(fd_after);
	expect(fd_before == fd_after, "failed pipe() calls leaked descriptors");
	/* an unaligned array is fine */
	char raw[16];
	int *odd = (int *)(raw + 1);
	expect(__sys_pipe(odd) == 0, "pipe into an unaligned array failed");
}

static void
bad_exec(void)
{
	char *argv[] = { "echo", "x", NULL };
	char *bad_str[] = { "echo", (char *)KADDR_LOW, NULL };
	char longpath[MAXPATH + 10];

	for (unsigned i = 0; i < NBAD; i++) {
		const struct bad *b = &bad_ranges[i];
		expect(__sys_exec((const char *)b->addr, argv) == -1, "exec(path = %s) succeeded", b->what);
		expect(__sys_exec("echo", (char **)b->addr) == -1, "exec(argv = %s) succeeded", b->what);
	}
	expect(__sys_exec("echo", bad_str) == -1, "exec with a kernel string in argv succeeded");
	expect(__sys_exec("nosuchprogram", argv) == -1, "exec of a missing program succeeded");
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = 0;
	expect(__sys_exec(longpath, argv) == -1, "exec with an over-long path succeeded");
	/* a path whose bytes run into an unmapped page */
	uintptr_t brk = (uintptr_t)sbrk(0);
	long pad = (long)(((brk + 4095) & ~4095UL) - brk);
	char *page = sbrk(pad + 4096);
	expect(page != (char *)-1, "sbrk failed");
	char *tail = page + pad + 4096 - 10;
	memset(tail, 'e', 10);
	expect(__sys_exec(tail, argv) == -1, "exec with a path running off the heap succeeded");
	sbrk(-(pad + 4096));
}

/*
 * exec's arguments are copied in one batch; a fault in the middle of it
 * (a string in a heap page never touched, so still unmapped) is served and
 * the copies after it go on.  The child execs `true` with the empty string
 * there and a word after it; it must run.
 */
static void
exec_args_fault_midway(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	long pad = (long)(((brk + 4095) & ~4095UL) - brk);
	char *fresh = sbrk(pad + 4096);
	expect(fresh != (char *)-1, "sbrk failed");
	char *untouched = fresh + pad;          /* a page of its own, zero when first read */
	char *argv[] = { "true", untouched, "after", NULL };
	int pid = xfork();
	if (pid == 0) {
		__sys_exec("true", argv);
		_exit(99);
	}
	int st = -1;
	expect(pid > 0 && wait(&st) == pid, "fork or wait failed");
	expect(st == 0, "true with an argument in an untouched heap page: status %d, want 0", st);
	sbrk(-(pad + 4096));
}

/* The top n bytes of a fresh heap page (the next page unmapped); sbrk it back with heap_drop. */
static char *
heap_end(long n, long *grown)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	long pad = (long)(((brk + 4095) & ~4095UL) - brk);
	long size = pad + ((n + 4095) & ~4095L);
	char *base = sbrk(size);

	expect(base != (char *)-1, "sbrk of %ld bytes failed", size);
	*grown = size;
	return base + size - n;
}

/*
 * exec's limits (sched/exec.h): a Canopy program's arguments with their
 * pointers take at most a quarter of its stack; one string at most 32
 * pages, all strings with their pointers at most 2 MiB (Linux's rules).
 * Beyond, or with a vector or string running into unmapped memory, exec
 * fails and the caller goes on; the runner checks no page leaked.
 */
#define CANOPY_ARGS (USER_STACK_PAGES * 4096 / 4)

/* Does exec of echo with argv start it (in a child, its output dropped)? */
static bool
echo_runs(char **argv)
{
	int pid = xfork();

	if (pid == 0) {
		close(1);
		close(2);
		__sys_exec("echo", argv);
		_exit(99);
	}
	int st = -1;
	expect(pid > 0 && wait(&st) == pid, "fork or wait failed");
	return st != 99;
}

static void
exec_arg_limits(void)
{
	static char word[256], *argv[CANOPY_ARGS / 8];
	long grown;
	int n = 1;

	/* echo and as many 255-byte words as fill a quarter of the stack: one more is too many */
	memset(word, 'w', sizeof(word) - 1);
	argv[0] = "echo";
	while (5 + n * sizeof(word) + (n + 2) * 8 <= CANOPY_ARGS)
		argv[n++] = word;
	argv[n] = NULL;
	expect(echo_runs(argv), "exec with %d words of 255 bytes failed", n - 1);
	argv[n++] = word;
	argv[n] = NULL;
	expect(__sys_exec("echo", argv) == -1, "exec with %d words of 255 bytes succeeded", n - 1);

	/* one string of 32 pages and a byte */
	char *big = heap_end(32 * 4096 + 1, &grown);
	memset(big, 'b', 32 * 4096);
	big[32 * 4096] = 0;
	char *with_big[] = { "echo", big, NULL };
	expect(__sys_exec("echo", with_big) == -1, "exec with a 128 KiB argument succeeded");
	/* a string of two pages running off the heap: a fault past the first page copied */
	big[32 * 4096] = 'b';
	with_big[1] = big + 32 * 4096 + 1 - 8192;
	expect(__sys_exec("echo", with_big) == -1, "exec with an unterminated argument succeeded");
	sbrk(-grown);

	/* pointers alone past 2 MiB, all to one string */
	long count = (2L << 20) / 8 + 16;
	char **vec = (char **)heap_end((count + 1) * 8, &grown);
	for (long i = 0; i < count; i++)
		vec[i] = "v";
	vec[count] = NULL;
	expect(__sys_exec("echo", vec) == -1, "exec with %ld arguments succeeded", count);
	/* the same vector with no end: it runs into the unmapped page */
	vec[count] = "v";
	expect(__sys_exec("echo", vec + count - 2) == -1, "exec with an unended vector succeeded");
	sbrk(-grown);
}

/* 500 arguments reach a Canopy program: echo prints them all. */
static void
exec_many_args(void)
{
	enum { N = 500 };
	static char *argv[N + 2];
	int p[2];

	argv[0] = "echo";
	for (int i = 1; i <= N; i++)
		argv[i] = i % 2 ? "a" : "bc";
	expect(pipe(p) == 0, "pipe");
	int pid = xfork();
	if (pid == 0) {
		close(1);
		dup(p[1]);
		close(p[0]);
		close(p[1]);
		__sys_exec("echo", argv);
		_exit(99);
	}
	close(p[1]);
	char buf[512];
	long total = 0, r;
	int spaces = 0;
	while ((r = read(p[0], buf, sizeof(buf))) > 0) {
		for (long i = 0; i < r; i++)
			spaces += buf[i] == ' ';
		total += r;
	}
	close(p[0]);
	int st = -1;
	expect(wait(&st) == pid && st == 0, "echo with %d arguments: status %d", N, st);
	expect(total == N / 2 * 5 && spaces == N - 1, "echo wrote %ld bytes with %d spaces, want %d and %d",
	       total, spaces, N / 2 * 5, N - 1);
}

static void
bad_wait(void)
{
	int st = 0;
	int pid = xfork();

	if (pid == 0)
		exit(7);
	for (unsigned i = 0; i < NBAD; i++) {
		const struct bad *b = &bad_ranges[i];
		if (b->addr == 0)
			continue;   /* wait(NULL) is valid: it discards the status */
		expect(__sys_wait((int *)b->addr) == -1, "wait(%s) succeeded", b->what);
	}
	expect(wait(&st) == pid, "wait lost the child after failed calls");
	expect(st == 7, "status %d, want 7", st);
	expect(wait(&st) == -1, "wait with no children succeeded");
}

static void
bad_fd(void)
{
	const int fds[] = { -1, NOFILE, 1000, 7 };
	char c;
	struct canopy_stat st;

	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		int fd = fds[i];
		expect(__sys_read(fd, &c, 1) == -1, "read(%d) succeeded", fd);
		expect(__sys_write(fd, &c, 1) == -1, "write(%d) succeeded", fd);
		expect(__sys_close(fd) == -1, "close(%d) succeeded", fd);
		expect(__sys_dup(fd) == -1, "dup(%d) succeeded", fd);
		expect(__sys_fstat(fd, &st) == -1, "fstat(%d) succeeded", fd);
	}
	int p[2];
	expect(pipe(p) == 0, "pipe failed");
	expect(__sys_write(p[0], "x", 1) == -1, "write to a read end succeeded");
	expect(__sys_read(p[1], &c, 1) == -1, "read from a write end succeeded");
	expect(__sys_write(p[1], "x", -1) == -1, "write of -1 bytes succeeded");
	expect(__sys_read(p[0], &c, -5) == -1, "read of -5 bytes succeeded");
}

static long
raw_syscall(long num)
{
	register long a0 asm("a0") = 0;
	register long a7 asm("a7") = num;
	asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
	return a0;
}

static void
bad_misc(void)
{
	for (unsigned i = 0; i < NBAD; i++) {
		const struct bad *b = &bad_ranges[i];
		expect(__sys_fstat(0, (void *)b->addr) == -1, "fstat into %s succeeded", b->what);
		expect(__sys_sysinfo((void *)b->addr, SYSINFO_CANOPY) == -1,
		       "sysinfo into %s succeeded", b->what);
		expect(__sys_vmprint(0, (void *)b->addr, 64) == -1, "vmprint into %s succeeded", b->what);
		expect(__sys_bootargs((void *)b->addr, 4096) == -1, "bootargs into %s succeeded", b->what);
	}
	expect(__sys_kill(-1) == -1 && __sys_kill(0) == -1 && __sys_kill(999999) == -1,
	       "kill of a bad pid succeeded");
	expect(raw_syscall(200) == -1 && raw_syscall(-3) == -1 && raw_syscall(NSYSCALL) == -1,
	       "an unknown system call did not return -1");
	expect(raw_syscall(SYS_null) == 0, "SYS_null did not return 0");
	expect(__sys_vmprint(999999, (char *)&bad_ranges, 0) == -1, "vmprint of a bad pid succeeded");
}

static void
unaligned_buffers(void)
{
	static char src[3000], dst[3000];
	int p[2];

	for (int i = 0; i < 3000; i++)
		src[i] = (char)(i * 7 + 3);
	expect(pipe(p) == 0, "pipe failed");
	expect(write(p[1], src + 3, 2001) == 2001, "unaligned write failed");
	expect(read(p[0], dst + 5, 2001) == 2001, "unaligned read failed");
	expect(memcmp(src + 3, dst + 5, 2001) == 0, "data changed in an unaligned copy");
}

static void
sbrk_bad(void)
{
	char *before = sbrk(0);

	expect(__sys_sbrk((long)USER_TOP, SBRK_DEFAULT) == -1, "sbrk(USER_TOP) succeeded");
	expect(__sys_sbrk(0x7fffffffffffffffL, SBRK_DEFAULT) == -1, "sbrk(LONG_MAX) succeeded");
	expect(__sys_sbrk(-(long)USER_TOP, SBRK_DEFAULT) == -1, "sbrk(-USER_TOP) succeeded");
	expect(__sys_sbrk(-0x7fffffffffffffffL - 1, SBRK_DEFAULT) == -1, "sbrk(LONG_MIN) succeeded");
	expect(__sys_sbrk((long)(USER_STACK_GUARD - (uint64_t)before) + 4096, SBRK_DEFAULT) == -1,
	       "sbrk into the stack guard succeeded");
	expect(sbrk(0) == before, "a failed sbrk moved the break");
}

const struct test tests_syscall[] = {
	{ "syscall_bad_read", bad_read },
	{ "syscall_bad_write", bad_write },
	{ "syscall_bad_pipe", bad_pipe },
	{ "syscall_bad_exec", bad_exec },
	{ "syscall_exec_args_fault_midway", exec_args_fault_midway },
	{ "syscall_exec_arg_limits", exec_arg_limits },
	{ "syscall_exec_many_args", exec_many_args },
	{ "syscall_bad_wait", bad_wait },
	{ "syscall_bad_fd", bad_fd },
	{ "syscall_bad_misc", bad_misc },
	{ "syscall_unaligned_buffers", unaligned_buffers },
	{ "syscall_sbrk_bad", sbrk_bad },
	{ NULL, NULL },
};
