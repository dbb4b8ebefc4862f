/* Processes: fork, exit, wait, kill, exec, orphans, sleep. */
#include "utest.h"

static void
fork_exit_wait(void)
{
	int st = -5;
	int pid = xfork();

	if (pid == 0)
		exit(42);
	expect(pid > 0, "fork returned %d", pid);
	expect(wait(&st) == pid, "wait returned another pid");
	expect(st == 42, "exit status %d, want 42", st);
	expect(wait(&st) == -1, "wait with no children did not fail");
	expect(wait(NULL) == -1, "wait(NULL) with no children did not fail");
}

static void
fork_many(void)
{
	enum { N = 40 };
	int pids[N], seen[N] = { 0 };

	for (int i = 0; i < N; i++) {
		pids[i] = xfork();
		if (pids[i] == 0)
			exit(i);
	}
	for (int i = 0; i < N; i++) {
		int st, pid = wait(&st);
		expect(pid > 0, "wait %d failed", i);
		expect(st >= 0 && st < N && pids[st] == pid, "pid %d exited with %d", pid, st);
		seen[st]++;
	}
	for (int i = 0; i < N; i++)
		expect(seen[i] == 1, "child %d reaped %d times", i, seen[i]);
	expect(wait(NULL) == -1, "an extra child appeared");
}

static void
fork_memory_is_separate(void)
{
	static volatile int shared = 1;
	int to_parent[2], to_child[2];
	char c;

	expect(pipe(to_parent) == 0 && pipe(to_child) == 0, "pipe failed");
	int pid = xfork();
	if (pid == 0) {
		shared = 2;
		write(to_parent[1], "w", 1);
		read(to_child[0], &c, 1);      /* wait for the parent's change */
		exit(shared == 2 ? 0 : 1);
	}
	read(to_parent[0], &c, 1);
	expect(shared == 1, "the child's write showed in the parent");
	shared = 3;
	write(to_child[1], "p", 1);
	int st;
	wait(&st);
	expect(st == 0, "the parent's write showed in the child");
}

static void
orphan_goes_to_init(void)
{
	int p[2];
	char verdict = '?';

	expect(pipe(p) == 0, "pipe failed");
	int pid = xfork();
	if (pid == 0) {
		if (fork() == 0) {
			/* grandchild: wait to be orphaned, then report */
			int ok = 0;
			for (int i = 0; i < 500 && !ok; i++) {
				ok = ugetppid() == 1;
				if (!ok)
					sleep_ticks(1);
			}
			write(p[1], ok ? "y" : "n", 1);
			exit(0);
		}
		exit(0);
	}
	close(p[1]);
	wait(NULL);
	expect(read(p[0], &verdict, 1) == 1, "the grandchild never reported");
	expect(verdict == 'y', "the orphan's parent never became init (pid 1)");
}

static void
kill_sleeping_child(void)
{
	int st = 0;
	int pid = xfork();

	if (pid == 0) {
		sleep_ticks(100000);
		exit(0);
	}
	sleep_ticks(2);
	expect(kill(pid, 9) == 0, "kill failed");
	expect(wait(&st) == pid, "wait failed");
	expect(st == -1, "killed child's status %d, want -1", st);
}

static void
kill_running_child(void)
{
	int st = 0;
	int pid = xfork();

	if (pid == 0)
		for (;;)
			;
	sleep_ticks(2);
	expect(kill(pid, 9) == 0, "kill failed");
	expect(wait(&st) == pid, "wait failed");
	expect(st == -1, "killed child's status %d, want -1", st);
}

/* exec echo with arguments and read what it prints. */
static void
exec_passes_arguments(void)
{
	int p[2];
	char buf[64] = { 0 };

	expect(pipe(p) == 0, "pipe failed");
	int pid = xfork();
	if (pid == 0) {
		close(1);
		dup(p[1]);
		char *argv[] = { "echo", "alpha", "", "gamma delta", NULL };
		exec("echo", argv);
		exit(99);
	}
	close(p[1]);
	int n = 0, r;
	while ((r = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	int st;
	wait(&st);
	expect(st == 0, "echo exited with %d", st);
	expect(strcmp(buf, "alpha  gamma delta\n") == 0, "echo printed \"%s\"", buf);
}

static void
exec_failure_keeps_process(void)
{
	char *argv[] = { "nosuch", NULL };
	static int marker = 1234;

	expect(exec("nosuch", argv) == -1, "exec of a missing program succeeded");
	expect(exec("/bin/", argv) == -1, "exec of a directory-like path succeeded");
	expect(marker == 1234, "the process changed after a failed exec");
}

static void
exec_by_bin_path(void)
{
	int pid = xfork();

	if (pid == 0) {
		int devnull[2];
		pipe(devnull);
		close(1);
		dup(devnull[1]);
		char *argv[] = { "echo", "x", NULL };
		exec("/bin/echo", argv);
		exit(99);
	}
	int st;
	wait(&st);
	expect(st == 0, "exec(\"/bin/echo\") child exited with %d", st);
}

static void
deref_null(void)
{
	*(volatile int *)0 = 1;
}

static void
faulting_child_has_status_minus_one(void)
{
	int st = run_in_child(deref_null);
	expect(st == -1, "a child that dereferenced null exited with %d", st);
}

static void
getpid_and_parent(void)
{
	int me = getpid();
	int pid = xfork();

	if (pid == 0)
		exit(getpid() != me && ugetppid() == me ? 0 : 1);
	int st;
	wait(&st);
	expect(st == 0, "child's getpid/ppid wrong");
	expect(getpid() == me, "getpid changed");
}

static void
sleep_sleeps(void)
{
	long t0 = uptime();
	expect(sleep_ticks(3) == 0, "sleep failed");
	long t1 = uptime();
	expect(t1 - t0 >= 3, "slept %ld ticks, asked for 3", t1 - t0);
	expect(sleep_ticks(0) == 0 && sleep_ticks(-5) == 0, "sleep(0) or sleep(-5) failed");
}

/* Nobody may kill init: it reaps every orphan and keeps the shell going. */
static void
kill_init_refused(void)
{
	expect(kill(1, 9) == -1, "kill(1) succeeded");
	sleep_ticks(2);         /* were init killed, it would die (and panic) by now */
	expect(kill(1, 9) == -1, "second kill(1) succeeded");
}

/*
 * A child killed before it first runs never reaches user mode: it exits
 * with -1, not with the status it would have given.  On one hart the
 * parent runs on after fork, so the kill nearly always comes first; with
 * more harts the child may start at once elsewhere, and either is right.
 */
static void
killed_before_first_run(void)
{
	enum { N = 40 };
	int before = 0;

	for (int i = 0; i < N; i++) {
		int pid = xfork();
		if (pid == 0)
			__sys_exit(7);  /* its first system call: nothing runs before */
		expect(pid > 0, "fork failed");
		int killed = kill(pid, 9) == 0;     /* -1: it has exited already */
		int st = wait_for(pid);
		expect(st == 7 || (killed && st == -1), "status %d (kill %s)", st,
		       killed ? "succeeded" : "failed");
		before += st == -1;
	}
	if (info().ncpu == 1)
		expect(before >= N / 2, "only %d of %d children killed before they ran exited -1",
		       before, N);
}

const struct test tests_proc[] = {
	{ "proc_kill_init_refused", kill_init_refused },
	{ "proc_killed_before_first_run", killed_before_first_run },
	{ "proc_fork_exit_wait", fork_exit_wait },
	{ "proc_fork_many", fork_many },
	{ "proc_fork_memory_is_separate", fork_memory_is_separate },
	{ "proc_orphan_goes_to_init", orphan_goes_to_init },
	{ "proc_kill_sleeping", kill_sleeping_child },
	{ "proc_kill_running", kill_running_child },
	{ "proc_exec_arguments", exec_passes_arguments },
	{ "proc_exec_failure_keeps_process", exec_failure_keeps_process },
	{ "proc_exec_bin_path", exec_by_bin_path },
	{ "proc_fault_status", faulting_child_has_status_minus_one },
	{ "proc_getpid", getpid_and_parent },
	{ "proc_sleep", sleep_sleeps },
	{ NULL, NULL },
};
