/*
 * cat [-n] [file...]: copy each file (standard input if none) to standard
 * output; -n puts each line's number before it, counting on across the
 * files.  If standard output fails (the reader of a pipe has gone), stop
 * at once with status 1.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "canopy.h"

#define USAGE "cat [-n] [file...]"

static char buf[4096];
static bool number;
static long lineno;             /* the last line numbered */
static bool at_line_start = true;

/* The bytes of p with a number before each line; output in buffered pieces. */
static void
write_numbered(const char *p, long n)
{
	static char out[4096 + 32];
	int len = 0;

	for (long i = 0; i < n; i++) {
		if (at_line_start) {
			len += snprintf(out + len, sizeof(out) - len, "%6ld\t", ++lineno);
			at_line_start = false;
		}
		out[len++] = p[i];
		at_line_start = p[i] == '\n';
		if (len >= 4096) {
			write_out("cat", out, len);
			len = 0;
		}
	}
	write_out("cat", out, len);
}

/* Copy fd to standard output; 0, or 1 on a read error.  Exits if the output fails. */
static int
copy(int fd, const char *name)
{
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (number)
			write_numbered(buf, n);
		else
			write_out("cat", buf, n);
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
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "n", on, USAGE);

	number = on['n'];
	if (first == argc)
		return copy(0, "standard input");
	for (int i = first; i < argc; i++) {
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
