/*
 * System calls and communication: the null call, the vDSO clock, a pipe's
 * round trip and bandwidth, and a switch between two processes.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lbench.h"

/* syscall() so that no library caches the answer */
static void
null_call(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void
row_null(const struct row *r)
{
	measure(r->name, NS, cfg.quick ? 20000 : 100000, null_call);
}

static void
getpid_call(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
}

/* the call Canopy's bench app times natively: the two compare in one boot */
static void
row_getpid(const struct row *r)
{
	measure(r->name, NS, cfg.quick ? 20000 : 100000, getpid_call);
}

static void
clock_calls(long n)
{
	struct timespec ts;

	for (long i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
}

static void
row_clock(const struct row *r)
{
	measure(r->name, NS, cfg.quick ? 20000 : 100000, clock_calls);
}

/* A child that echoes each byte it reads from `in` to `out` until EOF. */
static pid_t
start_echo(int in, int out, int close1, int close2)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(close1);
		close(close2);
		while (read(in, &c, 1) == 1)
			if (write(out, &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	return pid;
}

static void
row_pipe_latency(const struct row *r)
{
	int to[2], from[2];
	uint64_t per[MAX_SAMPLES];
	long n = cfg.quick ? 500 : 2000;
	char c = 'x';

	if (pipe(to) < 0 || pipe(from) < 0) {
		report_na(r->name, "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = start_echo(to[0], from[1], to[1], from[0]);
	if (pid < 0) {
		report_na(r->name, "fork: %s", strerror(errno));
		return;
	}
	close(to[0]);
	close(from[1]);
	for (int s = -1; s < cfg.samples; s++) {     /* sample -1 warms up */
		uint64_t t0 = now_ns();
		for (long i = 0; i < n; i++)
			if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1) {
				report_na(r->name, "pipe round trip: %s", strerror(errno));
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				return;
			}
		if (s >= 0)
			per[s] = (now_ns() - t0) / n;
	}
	close(to[1]);
	close(from[0]);
	waitpid(pid, NULL, 0);
	report_times(r->name, US, per, cfg.samples);
}

#define PIPE_CHUNK 4096

/* Write `bytes` into a pipe in 4 KiB writes to a child that reads them all. */
static uint64_t
pipe_transfer(long bytes)
{
	static char buf[PIPE_CHUNK];
	int p[2];

	if (pipe(p) < 0)
		return 0;
	uint64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		long got = 0, k;
		close(p[1]);
		while ((k = read(p[0], buf, sizeof(buf))) > 0)
			got += k;
		_exit(got == bytes ? 0 : 1);
	}
	close(p[0]);
	for (long done = 0; pid > 0 && done < bytes; done += PIPE_CHUNK)
		if (write(p[1], buf, PIPE_CHUNK) != PIPE_CHUNK)
			break;
	close(p[1]);
	int status = 1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	uint64_t t = now_ns() - t0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : 0;
}

static void
row_pipe_bandwidth(const struct row *r)
{
	uint64_t ns[MAX_SAMPLES];
	long bytes = (cfg.quick ? 4L : 16L) << 20;

	pipe_transfer(bytes / 8);
	for (int s = 0; s < cfg.samples; s++)
		if (!(ns[s] = pipe_transfer(bytes))) {
			report_na(r->name, "the transfer through the pipe failed");
			return;
		}
	report_throughput(r->name, bytes, ns, cfg.samples);
}

/*
 * Two processes take turns through a shared word: each waits (yielding)
 * until the word names it, then hands the turn over and yields.  On one
 * hart every turn is one switch; a yield that does not switch only makes
 * the row slower, never faster.
 */
static void
take_turns(volatile long *turn, long me, long n)
{
	for (long i = 0; i < n; i++) {
		while (*turn != me)
			sched_yield();
		*turn = !me;
		sched_yield();
	}
}

static void
row_context_switch(const struct row *r)
{
	uint64_t per[MAX_SAMPLES];
	long n = cfg.quick ? 500 : 2000;
	volatile long *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (turn == MAP_FAILED) {
		report_na(r->name, "mmap MAP_SHARED|MAP_ANONYMOUS: %s", strerror(errno));
		return;
	}
	for (int s = -1; s < cfg.samples; s++) {
		*turn = 0;
		uint64_t t0 = now_ns();
		pid_t pid = fork();
		if (pid == 0) {
			take_turns(turn, 1, n);
			_exit(0);
		}
		if (pid < 0) {
			report_na(r->name, "fork: %s", strerror(errno));
			return;
		}
		take_turns(turn, 0, n);
		waitpid(pid, NULL, 0);
		if (s >= 0)
			per[s] = (now_ns() - t0) / (2 * n);
	}
	munmap((void *)turn, 4096);
	report_times(r->name, US, per, cfg.samples);
}

const struct row rows_sys[] = {
	{ "lat_syscall_null", row_null, "getppid through syscall(): a trap and back" },
	{ "lat_syscall_getpid", row_getpid, "getpid through syscall()" },
	{ "lat_clock_gettime", row_clock, "clock_gettime(CLOCK_MONOTONIC): the vDSO, no trap" },
	{ "lat_pipe", row_pipe_latency, "1-byte round trip through two pipes, two processes" },
	{ "bw_pipe", row_pipe_bandwidth, "16 MiB (quick: 4) in 4 KiB writes to a reading child" },
	{ "lat_ctx", row_context_switch, "one switch between two processes taking turns "
	  "(sched_yield, a shared word); includes a fork and wait per sample" },
	{ 0 }
};
