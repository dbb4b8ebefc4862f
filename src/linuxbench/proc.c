/*
 * Processes: fork+exit+wait (small, and with 8 MiB of heap written
 * before the fork), the child writing all of that heap, fork+exec+wait
 * of the helper lbtrue, and exec alone (a chain of execs in one process).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lbench.h"

#define HEAP_BYTES (8L << 20)
#define PAGE 4096

static char *heap;              /* the 8 MiB the fork rows carry, or NULL */
static bool child_writes;       /* the child writes every page of heap */
static const char *failed;      /* the call that failed, or NULL */

static void
fork_wait(long n)
{
	for (long i = 0; i < n && !failed; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			if (child_writes)
				for (long off = 0; off < HEAP_BYTES; off += PAGE)
					heap[off] = 2;
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			failed = pid < 0 ? "fork" : "waitpid";
	}
}

static void
fork_row(const struct row *r, long n)
{
	failed = NULL;
	fork_wait(1);
	if (failed) {
		report_na(r->name, "%s: %s", failed, strerror(errno));
		return;
	}
	measure(r->name, US, n, fork_wait);
	if (failed)     /* the numbers stand, but say so */
		printf("lbench: %s: %s failed during the samples\n", r->name, failed);
}

static void
row_fork(const struct row *r)
{
	fork_row(r, cfg.quick ? 30 : 100);
}

/* The heap comes from malloc (glibc maps 8 MiB with mmap) and is written. */
static bool
with_heap(const struct row *r)
{
	if (!heap && !(heap = malloc(HEAP_BYTES))) {
		report_na(r->name, "malloc of 8 MiB: %s", strerror(errno));
		return false;
	}
	memset(heap, 1, HEAP_BYTES);
	return true;
}

static void
row_fork_8m(const struct row *r)
{
	if (with_heap(r))
		fork_row(r, cfg.quick ? 10 : 30);
}

static void
row_fork_8m_write(const struct row *r)
{
	if (!with_heap(r))
		return;
	child_writes = true;
	fork_row(r, cfg.quick ? 3 : 10);
	child_writes = false;
}

/* fork, exec `lbtrue chain`, wait; false if the child did not exit 0. */
static bool
spawn(const char *chain)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(cfg.exec_path, cfg.exec_path, chain, (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static void
fork_exec(long n)
{
	for (long i = 0; i < n && !failed; i++)
		if (!spawn("0"))
			failed = "fork+exec+wait";
}

static void
row_fork_exec(const struct row *r)
{
	failed = NULL;
	if (!spawn("0")) {
		report_na(r->name, "fork+exec of %s failed", cfg.exec_path);
		return;
	}
	measure(r->name, US, cfg.quick ? 20 : 60, fork_exec);
}

/* exec alone: (fork + a chain of CHAIN execs + wait) less (fork + 1 exec + wait), per exec */
#define CHAIN 20

static void
row_exec(const struct row *r)
{
	uint64_t per[MAX_SAMPLES];
	char chain[16];

	snprintf(chain, sizeof(chain), "%d", CHAIN - 1);
	if (!spawn(chain) || !spawn("0")) {
		report_na(r->name, "the exec chain of %s failed", cfg.exec_path);
		return;
	}
	for (int s = 0; s < cfg.samples; s++) {
		uint64_t t0 = now_ns();
		spawn(chain);
		uint64_t t1 = now_ns();
		spawn("0");
		uint64_t t2 = now_ns();
		int64_t d = (int64_t)(t1 - t0) - (int64_t)(t2 - t1);
		per[s] = d > 0 ? (uint64_t)d / (CHAIN - 1) : 0;
	}
	report_times(r->name, US, per, cfg.samples);
}

const struct row rows_proc[] = {
	{ "lat_proc_fork", row_fork, "fork + _exit + waitpid of a small process" },
	{ "lat_proc_fork_8m", row_fork_8m, "the same with 8 MiB of heap written before" },
	{ "lat_proc_fork_8m_write", row_fork_8m_write,
	  "the same, the child writing every page of the 8 MiB" },
	{ "lat_proc_exec", row_fork_exec, "fork + execve(lbtrue) + waitpid" },
	{ "lat_exec", row_exec, "execve alone: a chain of 20 execs less a chain of 1, per exec" },
	{ 0 }
};
