/*
 * timeout SECONDS command [arg...]: run the command; if it has not ended
 * after SECONDS, kill it and exit with 124.  If it still has not ended 2
 * seconds after the kill (stuck in the kernel, where a kill cannot reach
 * it), say so and exit with 125.  Otherwise exit with the command's status.
 * A bad argument: the usage line and status 2 (there are no options; the
 * command's own options come after SECONDS).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"

#define USAGE "timeout seconds command [arg...]"

static int
start_timer(double seconds)
{
	int pid = fork();

	if (pid == 0)
		_exit(sleep_ticks((int)(seconds * vdso()->tick_hz + 0.5)) < 0);
	return pid;
}

static int
start_command(char *argv[])
{
	char path[MAXPATH];
	int pid = fork();

	if (pid == 0) {
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
		exec(path, argv);
		exec(argv[0], argv);
		fprintf(stderr, "timeout: %s: not found\n", argv[0]);
		_exit(127);
	}
	return pid;
}

/* Wait until cmd or timer ends; true if cmd did, with its status in *status. */
static bool
cmd_ends_first(int cmd, int timer, int *status)
{
	for (;;) {
		int st, pid = wait(&st);
		if (pid < 0 || pid == timer)
			return false;
		if (pid == cmd) {
			*status = st;
			return true;
		}
	}
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "", on, USAGE);
	char *end;
	int status;

	double seconds = argc - first >= 2 ? strtod(argv[first], &end) : -1;
	if (argc - first < 2 || end == argv[first] || *end != 0 || seconds < 0 || seconds > 1e6)
		usage_exit(USAGE);
	argv += first - 1;      /* argv[1]: SECONDS, argv[2]: the command */
	int cmd = start_command(argv + 2);
	int timer = start_timer(seconds);
	if (cmd < 0 || timer < 0) {
		fprintf(stderr, "timeout: fork failed\n");
		return 2;
	}
	if (cmd_ends_first(cmd, timer, &status)) {
		kill(timer, SIGKILL);
		wait(NULL);
		return status;
	}
	fprintf(stderr, "timeout: %s ran %s s: killed\n", argv[2], argv[1]);
	kill(cmd, SIGKILL);
	int grace = start_timer(2);
	if (cmd_ends_first(cmd, grace, &status)) {
		kill(grace, SIGKILL);
		wait(NULL);
		return 124;
	}
	fprintf(stderr, "timeout: %s did not end after the kill\n", argv[2]);
	return 125;
}
