/*
 * lbtrue [N]: the program lbench's exec rows run.  With no argument (or
 * 0) it exits 0 at once; with N > 0 it execs itself (argv[0], a full
 * path) with N-1, so one process makes a chain of N execs (the
 * exec-alone row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	char next[24];

	if (n <= 0)
		return 0;
	snprintf(next, sizeof(next), "%ld", n - 1);
	execl(argv[0], argv[0], next, (char *)NULL);
	perror("lbtrue: exec");
	return 1;
}
