/*
 * wc [file...]: count lines, words and bytes of each file (or standard
 * input), and their totals if several.  Status 1 if a file cannot be read
 * or the output fails.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "canopy.h"

static char buf[4096];
static unsigned long total[3];

static int
count(int fd, const char *name)
{
	unsigned long lines = 0, words = 0, bytes = 0;
	bool in_word = false;
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			char c = buf[i];
			if (c == '\n')
				lines++;
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
				in_word = false;
			} else if (!in_word) {
				in_word = true;
				words++;
			}
		}
		bytes += n;
	}
	if (n < 0) {
		fprintf(stderr, "wc: %s: read error\n", name);
		return 1;
	}
	printf("%7lu %7lu %7lu %s\n", lines, words, bytes, name);
	if (!stdout_ok("wc"))
		exit(1);
	total[0] += lines;
	total[1] += words;
	total[2] += bytes;
	return 0;
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return count(0, "");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		status |= count(fd, argv[i]);
		close(fd);
	}
	if (argc > 2)
		printf("%7lu %7lu %7lu total\n", total[0], total[1], total[2]);
	return stdout_ok("wc") ? status : 1;
}
