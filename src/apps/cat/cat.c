/*
 * cat [file...]: copy each file (standard input if none) to standard
 * output.  If standard output fails (the reader of a pipe has gone), stop
 * at once with status 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "canopy.h"

static char buf[4096];

/* Copy fd to standard output; 0, or 1 on a read error.  Exits if the output fails. */
static int
copy(int fd, const char *name)
{
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(1, buf, n) != n) {
			report_output_error("cat");
			exit(1);
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: read error\n", name);
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return copy(0, "standard input");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
