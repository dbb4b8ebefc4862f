/*
 * xv6usertests: processes and pipes, as stock usertests checks them:
 * fork, exit status and wait; reparenting to init; many forks at once and
 * a full process table; kill (a spinning, a sleeping and a blocked child
 * all end with status -1); pipes carrying data in odd sizes; a file
 * descriptor shared across fork.
 */
#include "xv6ut.h"

/* Children exit with distinct statuses; wait hands each back once. */
static void
fork_wait_status(void)
{
	int pids[10], seen[10] = { 0 };

	for (int i = 0; i < 10; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0, "fork %d failed", i);
		if (pids[i] == 0)
			exit(i + 3);
	}
	for (int n = 0; n < 10; n++) {
		int status, pid = wait(&status);
		int i = 0;
		while (i < 10 && pids[i] != pid)
			i++;
		CHECK(i < 10, "wait returned %d, not a child", pid);
		CHECK(!seen[i] && status == i + 3, "child %d: status %d, wanted %d", i, status, i + 3);
		seen[i] = 1;
	}
	CHECK(wait(0) == -1, "wait with no children did not fail");
}

/* exitwait: a hundred fork/exit/wait rounds, wait(0) included. */
static void
exit_wait(void)
{
	for (int i = 0; i < 100; i++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed at %d", i);
		if (pid == 0)
			exit(i);
		int status = -5;
		if (i % 2)
			CHECK(wait(0) == pid, "wait(0) did not return the child");
		else
			CHECK(wait(&status) == pid && status == i, "status %d, wanted %d", status, i);
	}
}

/* reparent: a grandchild outlives its parent; init reaps it, not us. */
static void
reparent(void)
{
	for (int i = 0; i < 40; i++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			if (fork() == 0) {
				pause(1);
				exit(0);
			}
			exit(0);
		}
		CHECK(wait(0) == pid, "wait did not return the child");
	}
	CHECK(wait(0) == -1, "a grandchild was handed to us, not to init");
}

/* forkfork: four processes forking and waiting at once. */
static void
fork_fork(void)
{
	for (int i = 0; i < 4; i++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			for (int j = 0; j < 60; j++) {
				int c = fork();
				if (c < 0)
					exit(1);
				if (c == 0)
					exit(0);
				wait(0);
			}
			exit(0);
		}
	}
	for (int i = 0; i < 4; i++) {
		int status;
		wait(&status);
		CHECK(status == 0, "a forking child failed");
	}
}

/* forktest: fork until the table is full; fork fails cleanly; reap all. */
static void
fork_until_full(void)
{
	int n;

	for (n = 0; n < 1000; n++) {
		int pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			exit(0);
	}
	CHECK(n > 0 && n < NPROC, "%d forks succeeded (NPROC %d)", n, NPROC);
	for (int i = 0; i < n; i++)
		CHECK(wait(0) >= 0, "wait failed after %d of %d", i, n);
	CHECK(wait(0) == -1, "wait found an extra child");
}

static void
spin(void)
{
	for (;;)
		getpid();
}

/* killstatus: a killed child's status is -1, whatever it was doing. */
static void
kill_status(void)
{
	for (int i = 0; i < 20; i++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0)
			spin();
		pause(1);
		CHECK(kill(pid) == 0, "kill failed");
		int status = 0;
		CHECK(wait(&status) == pid && status == -1, "status %d, wanted -1", status);
	}
	CHECK(kill(-1) < 0 && kill(123456) < 0, "kill of no such process succeeded");
}

/* A child asleep, or blocked reading an empty pipe, dies when killed. */
static void
kill_blocked(void)
{
	int fds[2];

	CHECK(pipe(fds) == 0, "pipe failed");
	for (int kind = 0; kind < 2; kind++) {
		int pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			char c;
			if (kind == 0)
				pause(100000);
			else
				read(fds[0], &c, 1);
			exit(0);
		}
		pause(2);
		int t0 = uptime(), status = 0;
		CHECK(kill(pid) == 0, "kill failed");
		CHECK(wait(&status) == pid && status == -1, "%s child: status %d",
		      kind ? "blocked" : "sleeping", status);
		CHECK(uptime() - t0 < 100, "the killed child took %d ticks to die", uptime() - t0);
	}
}

/* preempt: spinning children do not keep the parent from running. */
static void
preempt(void)
{
	int pids[3], fds[2];
	char c;

	CHECK(pipe(fds) == 0, "pipe failed");
	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0, "fork failed");
		if (pids[i] == 0) {
			if (i == 2)
				write(fds[1], "x", 1);
			spin();
		}
	}
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1, "the third child never ran");
	for (int i = 0; i < 3; i++)
		kill(pids[i]);
	for (int i = 0; i < 3; i++)
		wait(0);
}

/* pipe1: 5 writes of 1033 bytes, read in growing pieces, in order. */
static void
pipe_data(void)
{
	static char buf[8192];
	int fds[2], seq = 0, total = 0, n, want = 1;

	CHECK(pipe(fds) == 0, "pipe failed");
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		close(fds[0]);
		for (int i = 0; i < 5; i++) {
			for (int j = 0; j < 1033; j++)
				buf[j] = seq++;
			if (write(fds[1], buf, 1033) != 1033)
				exit(1);
		}
		exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, want)) > 0) {
		for (int i = 0; i < n; i++)
			CHECK((buf[i] & 0xff) == (seq++ & 0xff), "byte %d out of order", total + i);
		total += n;
		want = want * 2 > (int)sizeof(buf) ? (int)sizeof(buf) : want * 2;
	}
	CHECK(total == 5 * 1033, "read %d bytes, wanted %d", total, 5 * 1033);
	int status;
	wait(&status);
	CHECK(status == 0, "the writer failed");
}

/* A write to a pipe nobody can read fails; a read with no writer sees EOF. */
static void
pipe_ends(void)
{
	int fds[2];
	char c;

	CHECK(pipe(fds) == 0, "pipe failed");
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 0, "read with no writer did not return 0");
	close(fds[0]);
	CHECK(pipe(fds) == 0, "pipe failed");
	close(fds[0]);
	CHECK(write(fds[1], "x", 1) == -1, "write with no reader did not fail");
	close(fds[1]);
}

/* sharedfd: parent and child append through one descriptor; nothing lost. */
static void
shared_fd(void)
{
	char buf[10];
	int fd = open("sharedfd", O_CREATE | O_TRUNC | O_RDWR);

	CHECK(fd >= 0, "cannot create sharedfd");
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	memset(buf, pid == 0 ? 'c' : 'p', sizeof(buf));
	for (int i = 0; i < 100; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			FAIL("write failed");
	if (pid == 0)
		exit(0);
	int status;
	wait(&status);
	close(fd);
	CHECK(status == 0, "the child failed");
	fd = open("sharedfd", O_RDONLY);
	int nc = 0, np = 0, n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (int i = 0; i < n; i++)
			nc += buf[i] == 'c', np += buf[i] == 'p';
	close(fd);
	unlink("sharedfd");
	CHECK(nc == 1000 && np == 1000, "%d bytes from the child, %d from the parent", nc, np);
}

struct xv6t_test proc_tests[] = {
	{ "fork_wait_status", fork_wait_status },
	{ "exit_wait", exit_wait },
	{ "reparent", reparent },
	{ "fork_fork", fork_fork },
	{ "fork_until_full", fork_until_full },
	{ "kill_status", kill_status },
	{ "kill_blocked", kill_blocked },
	{ "preempt", preempt },
	{ "pipe_data", pipe_data },
	{ "pipe_ends", pipe_ends },
	{ "shared_fd", shared_fd },
	{ 0, 0 },
};
