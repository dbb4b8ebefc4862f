/*
 * head [-n N] [file...]: print the first N lines (10 by default) of each
 * file, or of standard input if none.  With several files, each one's
 * lines follow a "==> name <==" header.  Reading stops after line N, so
 * the writer of a pipe into head gets an error on its next write and
 * ends too.  Status 1 for a bad argument or a file that cannot be read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

static char buf[4096];

static void
usage(void)
{
	fprintf(stderr, "usage: head [-n lines] [file...]\n");
	exit(1);
}

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
		usage();
	int status = 0, shown = 0;

	if (first == argc)
		return head_fd(0, "standard input", lines);
	for (int i = first; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "head: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (argc - first > 1) {
			char header[MAXARGLEN + 16];
			int n = snprintf(header, sizeof(header), "%s==> %s <==\n",
					 shown++ ? "\n" : "", argv[i]);
			write_out("head", header, n < (int)sizeof(header) ? n : (int)sizeof(header) - 1);
		}
		status |= head_fd(fd, argv[i], lines);
		close(fd);
	}
	return status;
}
