/*
 * What the shell's programs share (canopy.h): their options and usage
 * line, a line-count option, writing standard output or stopping, files
 * named or standard input, and where a copy or move of a file lands.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "canopy.h"

void
usage_exit(const char *use)
{
	fprintf(stderr, "usage: %s\n", use);
	exit(2);
}

int
get_options(int argc, char *argv[], const char *known, bool on[128], const char *use)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (const char *o = argv[i] + 1; *o; o++) {
			unsigned char c = *o;
			if (c >= 128 || !strchr(known, c)) {
				/* the usage line starts with the program's name */
				fprintf(stderr, "%.*s: unknown option -%c\n",
					(int)strcspn(use, " "), use, c);
				usage_exit(use);
			}
			on[c] = true;
		}
	}
	return i;
}

/* A decimal count (digits only, at most 10^15); -1 if s is not one. */
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

int
count_option(const char *prog, int argc, char *argv[], long *count)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strncmp(argv[i], "-n", 2) != 0) {
			fprintf(stderr, "%s: unknown option %s\n", prog, argv[i]);
			return -1;
		}
		const char *arg = argv[i][2] ? argv[i] + 2 : argv[++i];
		if (!arg)
			return -1;
		if ((*count = parse_count(arg)) < 0) {
			fprintf(stderr, "%s: %s: not a number of lines\n", prog, arg);
			return -1;
		}
	}
	return i;
}

void
write_out(const char *prog, const void *p, size_t n)
{
	if (n > 0 && write(1, p, n) != (long)n) {
		report_output_error(prog);
		exit(1);
	}
}

int
for_each_file(const char *prog, int argc, char *argv[], int first, long lines,
	      int (*fn)(int fd, const char *name, long lines))
{
	int status = 0, shown = 0;

	if (first == argc)
		return fn(0, "standard input", lines);
	for (int i = first; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "%s: cannot open %s\n", prog, argv[i]);
			status = 1;
			continue;
		}
		if (argc - first > 1) {
			char header[MAXARGLEN + 16];
			int n = snprintf(header, sizeof(header), "%s==> %s <==\n",
					 shown++ ? "\n" : "", argv[i]);
			write_out(prog, header, n < (int)sizeof(header) ? n : (int)sizeof(header) - 1);
		}
		status |= fn(fd, argv[i], lines);
		close(fd);
	}
	return status;
}

const char *
last_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int
target_path(const char *src, const char *dst, char *out)
{
	struct stat st;

	if (!*dst || stat(dst, &st) < 0 || !S_ISDIR(st.st_mode))
		return snprintf(out, MAXPATH, "%s", dst) < MAXPATH ? 0 : -1;
	const char *sep = dst[strlen(dst) - 1] == '/' ? "" : "/";
	return snprintf(out, MAXPATH, "%s%s%s", dst, sep, last_name(src)) < MAXPATH ? 0 : -1;
}
