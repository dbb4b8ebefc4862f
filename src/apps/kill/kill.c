/*
 * kill [-9] PID...: kill each process; status 1 if any could not be
 * killed.  Canopy has one signal, so every kill is a SIGKILL and -9 is
 * taken only for habit's sake.  Init (pid 1) cannot be killed: the kernel
 * refuses, and kill says so rather than "no such process".
 */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include "canopy.h"

#define USAGE "kill [-9] pid..."

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "9", on, USAGE);

	if (first == argc)
		usage_exit(USAGE);
	for (int i = first; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (*argv[i] == 0 || *end != 0 || pid <= 0) {
			fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (pid == 1) {
			fprintf(stderr, "kill: 1: init cannot be killed\n");
			status = 1;
		} else if (kill((int)pid, SIGKILL) < 0) {
			fprintf(stderr, "kill: %ld: no such process\n", pid);
			status = 1;
		}
	}
	return status;
}
