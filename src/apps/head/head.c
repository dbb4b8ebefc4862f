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

/* A decimal count of lines (digits only, at most 10^15); -1 if s is not one. */
static long
parse_count(const char *s)
{
	long n = 0;

	if (*s == 0 || strlen(s) > 15)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* Read the options ("-n N", "-nN", "--"); the index of the first file. */
static int
parse_options(int argc, char *argv[], long *lines)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strncmp(argv[i], "-n", 2) != 0) {
			fprintf(stderr, "head: unknown option %s\n", argv[i]);
			usage();
		}
		const char *arg = argv[i][2] ? argv[i] + 2 : argv[++i];
		if (!arg)
			usage();
		if ((*lines = parse_count(arg)) < 0) {
			fprintf(stderr, "head: %s: not a number of lines\n", arg);
			usage();
		}
	}
	return i;
}

/* Write all n bytes to standard output; if that fails, exit with 1. */
static void
out(const char *p, size_t n)
{
	if (n > 0 && write(1, p, n) != (long)n) {
		report_output_error("head");
		exit(1);
	}
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
		out(buf, len);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	long lines = 10;
	int first = parse_options(argc, argv, &lines);
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
			out(header, n < (int)sizeof(header) ? n : (int)sizeof(header) - 1);
		}
		status |= head_fd(fd, argv[i], lines);
		close(fd);
	}
	return status;
}
