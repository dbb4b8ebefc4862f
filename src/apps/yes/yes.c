/*
 * yes [word...]: print the words (or "y") on one line, again and again,
 * until standard output fails (the reader of the pipe has gone): then
 * exit with status 1.  A producer for testing pipelines such as
 * `yes | head`.  No options: `yes -- -x` repeats -x.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

#define CHUNK 4096

/* The line to repeat: the words separated by spaces, then a newline. */
static char *
make_line(int argc, char *argv[], size_t *len)
{
	size_t n = argc < 2 ? 2 : 0;

	for (int i = 1; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *line = malloc(n + 1);
	if (!line)
		return NULL;
	strcpy(line, argc < 2 ? "y\n" : "");
	for (int i = 1; i < argc; i++) {
		strcat(line, argv[i]);
		strcat(line, i + 1 < argc ? " " : "\n");
	}
	*len = n;
	return line;
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "", on, "yes [word...]");
	size_t len;
	char *line = make_line(argc - first + 1, argv + first - 1, &len);

	if (!line) {
		fprintf(stderr, "yes: out of memory\n");
		return 1;
	}
	/* as many whole copies as fit in a chunk (at least one): fewer writes */
	size_t copies = len < CHUNK ? CHUNK / len : 1;
	char *chunk = malloc(copies * len);
	if (!chunk) {
		fprintf(stderr, "yes: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < copies; i++)
		memcpy(chunk + i * len, line, len);
	for (;;) {
		if (write(1, chunk, copies * len) != (long)(copies * len)) {
			report_output_error("yes");
			return 1;
		}
	}
}
