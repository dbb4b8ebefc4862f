/*
 * tail [-n N] [file...]: print the last N lines (10 by default) of each
 * file, or of standard input if none.  With several files, each one's
 * lines follow a "==> name <==" header.  Input is read to its end (a pipe
 * too) keeping only the last N lines in memory, so the input may be
 * larger than memory but those N lines may not.  A last line without a
 * newline counts as a line.  Status 1 for a file that cannot be read, 2
 * for a bad argument (with the usage line).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

#define READ_SIZE 4096

/* The end of the input read so far: data[start..end), with newlines '\n' in it. */
struct keep {
	char *data;
	size_t start, end, cap;
	long newlines;
};

/*
 * Make room for READ_SIZE more bytes at k->end: move the kept text to the
 * front, and grow the buffer so that at least half of it is free after
 * the move (each byte is then moved a bounded number of times on average).
 * -1 if memory runs out.
 */
static int
make_room(struct keep *k)
{
	size_t kept = k->end - k->start;

	if (k->end + READ_SIZE <= k->cap)
		return 0;
	if (2 * (kept + READ_SIZE) > k->cap) {
		size_t cap = 2 * (kept + READ_SIZE);
		char *data = malloc(cap);
		if (!data)
			return -1;
		if (kept)
			memcpy(data, k->data + k->start, kept);
		free(k->data);
		k->data = data;
		k->cap = cap;
	} else {
		memmove(k->data, k->data + k->start, kept);
	}
	k->start = 0;
	k->end = kept;
	return 0;
}

/* Drop whole lines from the front while more than lines newlines are kept. */
static void
trim(struct keep *k, long lines)
{
	while (k->newlines > lines) {
		char *nl = memchr(k->data + k->start, '\n', k->end - k->start);
		k->start = nl - k->data + 1;
		k->newlines--;
	}
}

/* The offset in k of the start of its last lines lines. */
static size_t
last_lines(const struct keep *k, long lines)
{
	size_t pos = k->end;

	if (lines == 0)
		return pos;
	if (pos > k->start && k->data[pos - 1] == '\n')
		pos--;          /* the last line's own newline */
	for (; pos > k->start; pos--)
		if (k->data[pos - 1] == '\n' && --lines == 0)
			break;
	return pos;
}

/* Print the last lines lines of fd; 0, or 1 on a read error or no memory. */
static int
tail_fd(int fd, const char *name, long lines)
{
	struct keep k = { 0 };
	long got;

	for (;;) {
		if (make_room(&k) < 0) {
			fprintf(stderr, "tail: %s: out of memory\n", name);
			free(k.data);
			return 1;
		}
		if ((got = read(fd, k.data + k.end, READ_SIZE)) <= 0)
			break;
		for (long i = 0; i < got; i++)
			k.newlines += k.data[k.end + i] == '\n';
		k.end += got;
		trim(&k, lines);
	}
	if (got < 0) {
		fprintf(stderr, "tail: %s: read error\n", name);
	} else {
		size_t from = last_lines(&k, lines);
		write_out("tail", k.data + from, k.end - from);
	}
	free(k.data);
	return got < 0;
}

int
main(int argc, char *argv[])
{
	long lines = 10;
	int first = count_option("tail", argc, argv, &lines);
	if (first < 0)
		usage_exit("tail [-n lines] [file...]");
	return for_each_file("tail", argc, argv, first, lines, tail_fd);
}
