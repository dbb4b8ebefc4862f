/*
 * Processes and pipes: pipe throughput and round trips between two
 * processes, fork+exit+wait of a small process and of one with 8 MiB of
 * touched heap (and the pages each fork allocates), fork+exec+wait.
 */
#include <sys/wait.h>
#include "bench.h"

#define CHUNK 4096

static char chunk[CHUNK];

/* A child that reads the pipe to its end; exits 0 if it got `expect` bytes. */
static void
drain(int fd, uint64_t expect)
{
	uint64_t got = 0;
	long n;

	while ((n = __sys_read(fd, chunk, CHUNK)) > 0)
		got += (uint64_t)n;
	__sys_exit(got == expect ? 0 : 1);
}

static void
row_pipe(const struct row *r)
{
	uint64_t total = (quick ? 16 : 64) << 20;
	int samples = 3;
	uint64_t ns[MAX_SAMPLES];

	for (int s = 0; s < samples; s++) {
		int p[2];
		if (pipe(p) < 0) {
			report_na(r->name, "pipe failed");
			return;
		}
		int pid = fork();
		if (pid == 0) {
			close(p[1]);
			drain(p[0], total);
		}
		close(p[0]);
		uint64_t t0 = now_ns();
		for (uint64_t done = 0; done < total; done += CHUNK)
			if (__sys_write(p[1], chunk, CHUNK) != CHUNK) {
				report_na(r->name, "short write");
				return;
			}
		close(p[1]);
		int status;
		wait(&status);
		ns[s] = now_ns() - t0;
		if (status != 0) {
			report_na(r->name, "the reader lost bytes");
			return;
		}
	}
	report_throughput(r->name, total, ns, samples);
}

static int ping[2], pong[2];

static void
pingpong(long n)
{
	char c = 'x';

	for (long i = 0; i < n; i++) {
		__sys_write(ping[1], &c, 1);
		__sys_read(pong[0], &c, 1);
	}
}

static void
row_pingpong(const struct row *r)
{
	if (pipe(ping) < 0 || pipe(pong) < 0) {
		report_na(r->name, "pipe failed");
		return;
	}
	int pid = fork();
	if (pid == 0) {
		char c;
		close(ping[1]);
		while (__sys_read(ping[0], &c, 1) == 1)
			__sys_write(pong[1], &c, 1);
		__sys_exit(0);
	}
	close(ping[0]);
	measure(r->name, US, quick ? 5 : 9, quick ? 200 : 1000, pingpong);
	close(ping[1]);
	wait(NULL);
}

static void
fork_exit_wait(long n)
{
	for (long i = 0; i < n; i++) {
		long pid = __sys_fork();
		if (pid == 0)
			__sys_exit(0);
		__sys_wait(NULL);
	}
}

/*
 * Pages allocated by one fork, counted once the child has run (and made
 * the copies it needs to start) and waits: the parent's free-page count
 * before the fork minus the count then.
 */
static long
fork_pages(void)
{
	int ready[2], go[2];
	char c = 0;

	if (pipe(ready) < 0 || pipe(go) < 0)
		return -1;
	uint64_t before = free_pages();
	long pid = __sys_fork();
	if (pid == 0) {
		__sys_write(ready[1], &c, 1);
		__sys_read(go[0], &c, 1);
		__sys_exit(0);
	}
	__sys_read(ready[0], &c, 1);
	long pages = (long)before - (long)free_pages();
	__sys_write(go[1], &c, 1);
	__sys_wait(NULL);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	return pages;
}

static void
row_fork(const struct row *r)
{
	measure(r->name, US, quick ? 5 : 9, quick ? 20 : 100, fork_exit_wait);
	report_pages("fork_small_pages", fork_pages());
}

static void
row_fork_8m(const struct row *r)
{
	uint64_t size = 8 << 20;
	char *heap = sbrk((long)size);

	if (heap == (char *)-1) {
		report_na(r->name, "sbrk of 8 MiB failed");
		return;
	}
	for (uint64_t off = 0; off < size; off += 4096)
		heap[off] = 1;
	long pages = fork_pages();
	if ((design() & DESIGN_COW) && pages >= (long)(size / 4096)) {
		report_na(r->name, "COW=1 but fork copied all %ld pages: copy-on-write is not in this "
			  "kernel yet", pages);
		report_na("fork_8m_pages", "copy-on-write is not in this kernel yet");
		return;
	}
	measure(r->name, US, quick ? 3 : 7, quick ? 3 : 10, fork_exit_wait);
	report_pages("fork_8m_pages", pages);
}

static char *heap_8m;

/* fork; the child writes every page of the 8 MiB heap, exits; wait. */
static void
fork_write_exit_wait(long n)
{
	for (long i = 0; i < n; i++) {
		long pid = __sys_fork();
		if (pid == 0) {
			for (long off = 0; off < (8L << 20); off += 4096)
				heap_8m[off] = 2;
			__sys_exit(0);
		}
		__sys_wait(NULL);
	}
}

/*
 * The same heap, written by the child: with copy-on-write every page is
 * copied in a fault (each followed by a one-page TLB flush); without it,
 * fork copied them all already.
 */
static void
row_fork_8m_write(const struct row *r)
{
	uint64_t size = 8 << 20;

	if (!heap_8m && (heap_8m = sbrk((long)size)) == (char *)-1) {
		heap_8m = NULL;
		report_na(r->name, "sbrk of 8 MiB failed");
		return;
	}
	for (uint64_t off = 0; off < size; off += 4096)
		heap_8m[off] = 1;
	measure(r->name, US, quick ? 3 : 7, quick ? 2 : 5, fork_write_exit_wait);
}

static char *true_argv[] = { "true", NULL };
/* the same through a Linux program: Debian's busybox, 1.5 MB, static */
static char *busybox_argv[] = { "sh", "-c", "true", NULL };
#define BUSYBOX "/bin/busybox"

/* fork, exec path in the child, wait: the status if want_status, else 0 */
static int
fork_exec_once(const char *path, char **argv, bool want_status)
{
	int status = 0;
	long pid = __sys_fork();

	if (pid == 0) {
		__sys_exec(path, argv);
		__sys_exit(127);
	}
	__sys_wait(want_status ? &status : NULL);
	return status;
}

/* The same loop as fork_exit_wait, with an exec: wait(NULL) in both. */
static void
fork_exec_wait(long n)
{
	for (long i = 0; i < n; i++)
		fork_exec_once("true", true_argv, false);
}

static void
fork_exec_busybox_wait(long n)
{
	for (long i = 0; i < n; i++)
		fork_exec_once(BUSYBOX, busybox_argv, false);
}

static void
row_fork_exec(const struct row *r)
{
	/* the exec must work: checked once, outside the timed loop */
	int status = fork_exec_once("true", true_argv, true);
	if (status != 0) {
		report_na(r->name, "fork+exec of true: status %d", status);
		return;
	}
	measure(r->name, US, quick ? 5 : 9, quick ? 10 : 50, fork_exec_wait);
}

static void
row_fork_exec_busybox(const struct row *r)
{
	int status = fork_exec_once(BUSYBOX, busybox_argv, true);
	if (status != 0) {
		report_na(r->name, BUSYBOX " sh -c true: status %d (not on this disk?)", status);
		return;
	}
	measure(r->name, US, quick ? 5 : 9, quick ? 5 : 20, fork_exec_busybox_wait);
	struct sysinfo before, after;
	if (sysinfo(&before) == 0 && fork_exec_once(BUSYBOX, busybox_argv, true) == 0 &&
	    sysinfo(&after) == 0)
		report_count("fork_exec_busybox_faults", "faults", after.page_faults - before.page_faults);
}

const struct row rows_proc[] = {
	{ "pipe_throughput", row_pipe, "64 MiB through a pipe in 4 KiB writes, to another process" },
	{ "pipe_pingpong", row_pingpong, "1-byte round trip between two processes over two pipes" },
	{ "fork_small", row_fork, "fork+exit+wait of this small process (and pages per fork)" },
	{ "fork_8m", row_fork_8m, "fork+exit+wait with 8 MiB of touched heap (and pages per fork)" },
	{ "fork_8m_write", row_fork_8m_write, "fork, the child writes all of an 8 MiB heap, exit, wait" },
	{ "fork_exec", row_fork_exec, "fork+exec(true)+wait" },
	{ "fork_exec_busybox", row_fork_exec_busybox, "fork+exec(busybox sh -c true)+wait: a Linux program" },
	{ NULL, NULL, NULL },
};
