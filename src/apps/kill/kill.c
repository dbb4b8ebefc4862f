/* kill PID...: kill each process; status 1 if any could not be killed. */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: kill pid...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (*argv[i] == 0 || *end != 0 || pid <= 0) {
			fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (kill((int)pid, SIGKILL) < 0) {
			fprintf(stderr, "kill: %ld: no such process\n", pid);
			status = 1;
		}
	}
	return status;
}
