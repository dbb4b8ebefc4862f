/*
 * forktest: fork until the process table is full, then reap every child.
 * Checks that fork fails cleanly (-1) when there is no slot, that every
 * child is waited for exactly once, and that wait then reports no
 * children.  Prints "forktest: ok" and exits 0 when all holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"

#define MAX_TRIES 1000

int
main(void)
{
	int n, status;

	for (n = 0; n < MAX_TRIES; n++) {
		int pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			exit(n % 7);    /* a zombie until reaped: it keeps its slot */
	}
	if (n == MAX_TRIES || n == 0) {
		printf("forktest: forked %d times: fork never failed or never worked\n", n);
		return 1;
	}
	int reaped = 0, sum = 0;
	for (int i = 0; i < n; i++) {
		if (wait(&status) < 0) {
			printf("forktest: wait failed after %d of %d children\n", i, n);
			return 1;
		}
		reaped++;
		sum += status;
	}
	int expected = 0;
	for (int i = 0; i < n; i++)
		expected += i % 7;
	if (wait(&status) != -1 || sum != expected) {
		printf("forktest: an extra child, or exit statuses lost (sum %d, want %d)\n", sum,
		       expected);
		return 1;
	}
	/* and the table is usable again */
	int pid = fork();
	if (pid == 0)
		exit(0);
	if (pid < 0 || wait(&status) != pid) {
		printf("forktest: cannot fork after reaping\n");
		return 1;
	}
	printf("forktest: ok (%d children at once)\n", reaped);
	return 0;
}
