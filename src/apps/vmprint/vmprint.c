/*
 * vmprint [pid]: print a process's page table (default: our own).
 * vmprint -k: print the kernel's page table (kpgtbl(), on the console).
 * The format is explained in docs/memory.md ("Reading vmprint").
 */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "canopy.h"

int
main(int argc, char *argv[])
{
	int pid = argc > 1 ? atoi(argv[1]) : 0;
	long size = 64 * 1024;

	if (argc == 2 && strcmp(argv[1], "-k") == 0) {
		fflush(stdout);
		kpgtbl();
		return 0;
	}
	if (argc > 2 || (argc > 1 && pid <= 0)) {
		fprintf(stderr, "usage: vmprint [pid | -k]\n");
		return 2;
	}
	for (;;) {
		char *buf = malloc(size);
		if (!buf) {
			fprintf(stderr, "vmprint: out of memory\n");
			return 1;
		}
		long n = vmprint(pid, buf, size);
		if (n < 0) {
			fprintf(stderr, "vmprint: no process %d\n", pid);
			return 1;
		}
		if (n < size) {         /* it all fitted */
			fflush(stdout);
			write(1, buf, n);
			return 0;
		}
		free(buf);
		size *= 4;
	}
}
