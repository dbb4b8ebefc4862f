/*
 * xv6labtests: the syscall lab.  trace(mask) makes the kernel print
 * "PID: syscall NAME -> RETURN" for each traced call, inherited by fork;
 * those lines go to the console, where tests/suite_xv6.py checks them
 * against the pids printed here ("trace-pids ...", "trace-off ...").
 * sysinfo: freemem falls and rises by exactly the pages a process takes
 * and gives back, reaches (about) zero when eager sbrk has taken all,
 * nproc counts a child, and bad pointers give -1.
 */
#include "labtests.h"

static void
trace_calls(void)
{
	CHECK(trace((1 << SYS_getpid) | (1 << SYS_close) | (1 << SYS_fork)) == 0, "trace failed");
	int me = getpid();
	close(-1);
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		getpid();
		exit(0);
	}
	wait(0);
	CHECK(trace(0) == 0, "trace(0) failed");
	printf("trace-pids %d %d\n", me, pid);
	getpid();
	close(-1);
	printf("trace-off %d\n", me);
}

static void
sysinfo_figures(void)
{
	struct sysinfo si;

	CHECK(sysinfo(&si) == 0, "sysinfo failed");
	CHECK(si.freemem > 1 * MIB && si.freemem % PGSIZE == 0, "freemem %d", (int)si.freemem);
	CHECK(si.nproc >= 3 && si.nproc <= NPROC, "nproc %d", (int)si.nproc);
}

/*
 * The lab's testmem: take every page with eager sbrk; then (almost)
 * nothing is free.  Give them back: freemem is what was taken, exactly,
 * and one more page in or out moves it by exactly PGSIZE.
 */
static void
sysinfo_memory(void)
{
	char *a = sbrk(0);
	uint64 n = 0;

	xv6t_warm_stack();
	while (sbrk(PGSIZE) != SBRK_ERROR)
		n++;
	uint64 left = xv6t_freemem();
	CHECK(left <= 2 * PGSIZE, "eager sbrk failed with %d bytes free", (int)left);
	CHECK(sbrk(-(int)(n * PGSIZE)) != SBRK_ERROR && sbrk(0) == a, "cannot give the pages back");
	uint64 f = xv6t_freemem();
	CHECK(f == left + n * PGSIZE, "freemem %d after giving back %d pages (%d before)",
	      (int)f, (int)n, (int)left);
	CHECK(sbrk(PGSIZE) != SBRK_ERROR && xv6t_freemem() == f - PGSIZE,
	      "one page in: freemem %d, wanted %d", (int)xv6t_freemem(), (int)(f - PGSIZE));
	CHECK(sbrk(-PGSIZE) != SBRK_ERROR && xv6t_freemem() == f,
	      "one page out: freemem %d, wanted %d", (int)xv6t_freemem(), (int)f);
}

static void
sysinfo_nproc(void)
{
	struct sysinfo si;
	int fds[2];
	char c;

	CHECK(pipe(fds) == 0, "pipe failed");
	sysinfo(&si);
	uint64 n = si.nproc;
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		sysinfo(&si);
		exit(si.nproc == n + 1 ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "the child did not count itself");
	sysinfo(&si);
	CHECK(si.nproc == n, "nproc %d after the child was reaped, %d before", (int)si.nproc, (int)n);
	pid = fork();
	if (pid == 0) {
		read(fds[0], &c, 1);
		exit(0);
	}
	sysinfo(&si);
	CHECK(si.nproc == n + 1, "nproc %d with a child asleep, wanted %d", (int)si.nproc,
	      (int)n + 1);
	write(fds[1], "x", 1);
	wait(0);
}

static void
sysinfo_bad_pointers(void)
{
	uint64 bad[] = { 0xeaeb0b5b00002f5eUL, KERNBASE, MAXVA - 8, 0x3fffffe000UL,
			 (uint64)sysinfo_bad_pointers };

	for (int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(sysinfo((struct sysinfo *)bad[i]) < 0, "sysinfo wrote to %p", bad[i]);
	char *lazy = sbrklazy(PGSIZE);
	CHECK(sysinfo((struct sysinfo *)lazy) == 0, "sysinfo into an untouched lazy page failed");
}

struct xv6t_test syscall_tests[] = {
	{ "trace_calls", trace_calls },
	{ "sysinfo_figures", sysinfo_figures },
	{ "sysinfo_memory", sysinfo_memory },
	{ "sysinfo_nproc", sysinfo_nproc },
	{ "sysinfo_bad_pointers", sysinfo_bad_pointers },
	{ 0, 0 },
};
