/*
 * head [-n N] [file...]: print the first N lines (10 by default) of each
 * file, or of standard input if none.  With several files, each one's
 * lines follow a "==> name <==" header.  Reading stops after line N, so
 * the writer of a pipe into head gets an error on its next write and
 * ends too.  Status 1 for a file that cannot be read, 2 for a bad
 * argument (with the usage line).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

static char buf[4096];

/* Copy the first lines lines of fd to standard output; 0, or 1 on a read error. */
static int
head_fd(int fd, const char *name, long lines)
{
	while (lines > 0) {
		long got = read(fd, buf, sizeof(buf));
		if (got < 0) {
			fprintf(stderr, "head: %s: read error\n", name);
			return 1;
		}
		if (got == 0)
			break;
		long len = 0;
		while (len < got && lines > 0) {
			char *nl = memchr(buf + len, '\n', got - len);
			len = nl ? nl - buf + 1 : got;
			if (nl)
				lines--;
		}
		write_out("head", buf, len);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	long lines = 10;
	int first = count_option("head", argc, argv, &lines);
	if (first < 0)
		usage_exit("head [-n lines] [file...]");
	return for_each_file("head", argc, argv, first, lines, head_fd);
}
