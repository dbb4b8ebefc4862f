/*
 * stressfs [procs [kib]]: several processes (default 4) each write a file
 * of kib KiB (default 256) in pieces of odd sizes, all at once, then read
 * their files back and check every byte.  Prints "stressfs: ok" and
 * exits 0 if all is well.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"

static char buf[4096];

static uint8_t
byte_at(int who, long off)
{
	return (uint8_t)(off * 13 + (off >> 10) + who * 71);
}

static int
work(int who, long size)
{
	char name[32];
	long off = 0;

	snprintf(name, sizeof(name), "/tmp/stressfs.%d.%d", ugetppid(), who);  /* instances may overlap */
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC);
	if (fd < 0)
		return 1;
	for (int piece = 1; off < size; piece++) {
		long n = 1 + (piece * 733 + who * 101) % (long)sizeof(buf);
		if (n > size - off)
			n = size - off;
		for (long i = 0; i < n; i++)
			buf[i] = (char)byte_at(who, off + i);
		if (write(fd, buf, n) != n)
			return 2;
		off += n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		return 3;
	for (off = 0; off < size;) {
		long n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return 4;
		for (long i = 0; i < n; i++)
			if ((uint8_t)buf[i] != byte_at(who, off + i))
				return 5;
		off += n;
	}
	close(fd);
	return unlink(name) < 0 ? 6 : 0;
}

int
main(int argc, char *argv[])
{
	int procs = argc > 1 ? atoi(argv[1]) : 4;
	long size = (argc > 2 ? atol(argv[2]) : 256) * 1024;
	int bad = 0, status;

	if (procs < 1 || procs > 32 || size < 1) {
		fprintf(stderr, "usage: stressfs [procs (1..32) [kib]]\n");
		return 2;
	}
	for (int p = 0; p < procs; p++) {
		int pid = fork();
		if (pid < 0) {
			printf("stressfs: fork failed\n");
			return 1;
		}
		if (pid == 0)
			exit(work(p, size));
	}
	for (int p = 0; p < procs; p++) {
		if (wait(&status) < 0 || status != 0) {
			printf("stressfs: a writer failed (status %d)\n", status);
			bad = 1;
		}
	}
	if (!bad)
		printf("stressfs: ok (%d processes, %ld KiB each)\n", procs, size / 1024);
	return bad;
}
