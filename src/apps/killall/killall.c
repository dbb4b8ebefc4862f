/*
 * killall: kill every process but init, the shell that ran killall and
 * killall itself, wait until they have all been reaped, then let the
 * harts idle for a few ticks (an idle hart lets go of the last page table
 * it had loaded).  Afterwards the free-page count is what it was before
 * the processes started, unless something leaked: the fault-injection
 * suite ends its workload with it.  Prints how many it killed and, if
 * some are still there after 10 seconds, how many; status 1 then (2 for
 * an argument: it takes none).
 *
 * Pids only grow, so every other live process has a pid below ours, or
 * just above it if one was forking while we started.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "canopy.h"

#define BASELINE 3              /* init, our shell, us */
#define PATIENCE_TICKS 1000     /* 10 s at 100 Hz */
#define USAGE "killall  (no arguments)"

static int
kill_others(int me, int shell)
{
	int killed = 0;

	for (int pid = 2; pid < me + 64; pid++)
		if (pid != me && pid != shell && kill(pid, SIGKILL) == 0)
			killed++;
	return killed;
}

static long
processes(void)
{
	struct sysinfo si;

	return sysinfo(&si) < 0 ? -1 : (long)si.nproc;
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };

	if (get_options(argc, argv, "", on, USAGE) != argc)
		usage_exit(USAGE);
	int me = getpid(), shell = ugetppid();
	int killed = kill_others(me, shell);
	long left = 0;

	/* again while any is left: one may have been forking */
	for (int waited = 0; waited < PATIENCE_TICKS; waited += 10) {
		if ((left = processes() - BASELINE) <= 0)
			break;
		sleep_ticks(10);
		kill_others(me, shell);
	}
	sleep_ticks(5);
	if (left > 0) {
		printf("killall: %d processes killed, %ld still there after 10 s\n", killed, left);
		return 1;
	}
	printf("killall: %d processes killed\n", killed);
	return 0;
}
