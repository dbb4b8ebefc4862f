/*
 * init, pid 1: runs the shell on the console and reaps every orphan.
 *
 * Interactive: start sh, and start it again whenever it exits; with
 * "shell=busybox" on the kernel command line (scons run's default),
 * busybox's sh instead, if /bin/busybox runs (else Canopy's, saying so).
 * With "cmd=LINE" on the kernel command line (scons run CMD=...; it runs
 * to the end of the line): run `sh -c LINE` once, then power off with
 * status 0 if every command succeeded and 1 if not (saying so, with sh's
 * status: -1 if sh itself was killed), so the host learns the outcome.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"

static char cmdline[2048];

static int
spawn_shell(char *const argv[], bool busybox)
{
	int pid = fork();

	if (pid < 0) {
		printf("init: fork failed\n");
		return -1;
	}
	if (pid == 0) {
		if (busybox) {
			exec("/bin/busybox", argv);
			printf("init: cannot run /bin/busybox: starting Canopy's sh\n");
		}
		exec("/bin/sh", argv);
		exec("sh", argv);       /* the kernel's own copy, if /bin/sh is damaged */
		printf("init: cannot exec sh\n");
		_exit(1);
	}
	return pid;
}

/* Reap children until `pid` exits; its status, or -1. */
static int
wait_for(int pid)
{
	int status;

	for (;;) {
		int w = wait(&status);
		if (w < 0)
			return -1;
		if (w == pid)
			return status;
	}
}

int
main(void)
{
	char *cmd = NULL;
	if (bootargs(cmdline, sizeof(cmdline)) > 0) {
		if (strncmp(cmdline, "cmd=", 4) == 0)
			cmd = cmdline + 4;
		else if ((cmd = strstr(cmdline, " cmd=")))
			cmd += 5;
	}
	if (cmd) {
		char *argv[] = { "sh", "-c", cmd, NULL };
		int status = wait_for(spawn_shell(argv, false));
		if (status != 0)
			printf("init: the command line failed: sh exited with status %d\n", status);
		poweroff(status == 0 ? POWEROFF_OK : POWEROFF_FAIL);
	}
	bool busybox = strncmp(cmdline, "shell=busybox", 13) == 0 || strstr(cmdline, " shell=busybox");
	for (;;) {
		char *argv[] = { "sh", NULL };
		int pid = spawn_shell(argv, busybox);
		if (pid < 0) {
			sleep_ticks(100);
			continue;
		}
		int status = wait_for(pid);
		printf("init: shell exited with status %d, restarting\n", status);
	}
}
