/*
 * wc [-lwc] [file...]: count the lines, words and bytes of each file (or
 * of standard input), and their totals if there are several files.  The
 * options choose the counts (-l lines, -w words, -c bytes, in any mix:
 * -lw); they are printed in that order whatever the options' order, all
 * three if none is given.  Status 1 if a file cannot be read or the
 * output fails, 2 with the usage line for a bad option.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "canopy.h"

static char buf[4096];
static unsigned long total[3];  /* lines, words, bytes */
static bool shown[3];

static void
print_counts(const unsigned long counts[3], const char *name)
{
	for (int i = 0; i < 3; i++)
		if (shown[i])
			printf("%7lu ", counts[i]);
	printf("%s\n", name);
	if (!stdout_ok("wc"))
		exit(1);
}

static int
count(int fd, const char *name)
{
	unsigned long counts[3] = { 0 };
	bool in_word = false;
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			char c = buf[i];
			if (c == '\n')
				counts[0]++;
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
				in_word = false;
			} else if (!in_word) {
				in_word = true;
				counts[1]++;
			}
		}
		counts[2] += n;
	}
	if (n < 0) {
		fprintf(stderr, "wc: %s: read error\n", name);
		return 1;
	}
	print_counts(counts, name);
	for (int i = 0; i < 3; i++)
		total[i] += counts[i];
	return 0;
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "lwc", on, "wc [-lwc] [file...]");

	shown[0] = on['l'];
	shown[1] = on['w'];
	shown[2] = on['c'];
	if (!shown[0] && !shown[1] && !shown[2])
		shown[0] = shown[1] = shown[2] = true;
	if (first == argc)
		return count(0, "");
	for (int i = first; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		status |= count(fd, argv[i]);
		close(fd);
	}
	if (argc - first > 1)
		print_counts(total, "total");
	return status;
}
