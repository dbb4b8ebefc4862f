/*
 * grep pattern [file...]: print the lines that match pattern, a simple
 * regular expression: c matches itself, . any character, x* any number of
 * x, ^ at the start anchors to the line's start and $ at the end to its
 * end.  With several files each line is prefixed by its file's name.
 * Status 0 if a line matched, 1 if none did, 2 on an error.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_ATOMS 256
#define LINE_MAX_LEN 1024

struct atom {
	char c;         /* 0: any character */
	bool repeat;    /* followed by '*' */
};

static struct atom atoms[MAX_ATOMS];
static int natoms;
static bool anchored_start, anchored_end;

static int
compile(const char *re)
{
	if (*re == '^') {
		anchored_start = true;
		re++;
	}
	for (; *re; re++) {
		if (re[0] == '$' && re[1] == 0) {
			anchored_end = true;
			break;
		}
		if (natoms == MAX_ATOMS)
			return -1;
		atoms[natoms].c = *re == '.' ? 0 : *re;
		atoms[natoms].repeat = re[1] == '*';
		if (atoms[natoms].repeat)
			re++;
		natoms++;
	}
	return 0;
}

static bool
atom_matches(const struct atom *a, char c)
{
	return c != 0 && (a->c == 0 || a->c == c);
}

/* Do atoms[i..] match a prefix of s (all of s if anchored at the end)? */
static bool
match_at(int i, const char *s)
{
	for (; i < natoms; i++) {
		if (atoms[i].repeat) {
			/* try the longest run first, then shorter ones */
			const char *end = s;
			while (atom_matches(&atoms[i], *end))
				end++;
			for (;; end--) {
				if (match_at(i + 1, end))
					return true;
				if (end == s)
					return false;
			}
		}
		if (!atom_matches(&atoms[i], *s))
			return false;
		s++;
	}
	return !anchored_end || *s == 0;
}

static bool
line_matches(const char *line)
{
	if (anchored_start)
		return match_at(0, line);
	for (const char *s = line;; s++) {
		if (match_at(0, s))
			return true;
		if (*s == 0)
			return false;
	}
}

static int matched;

static int
grep_fd(int fd, const char *name)
{
	static char buf[4096];
	char line[LINE_MAX_LEN + 1];
	int len = 0;
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			bool end = buf[i] == '\n';
			if (!end)
				line[len++] = buf[i];
			if (end || len == LINE_MAX_LEN) {
				line[len] = 0;
				if (line_matches(line)) {
					matched = 1;
					printf("%s%s%s\n", name ? name : "", name ? ":" : "", line);
				}
				len = 0;
			}
		}
	}
	if (len > 0) {
		line[len] = 0;
		if (line_matches(line)) {
			matched = 1;
			printf("%s%s%s\n", name ? name : "", name ? ":" : "", line);
		}
	}
	return n < 0 ? -1 : 0;
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: grep pattern [file...]\n");
		return 2;
	}
	if (compile(argv[1]) < 0) {
		fprintf(stderr, "grep: pattern too long\n");
		return 2;
	}
	if (argc == 2)
		return grep_fd(0, NULL) < 0 ? 2 : !matched;
	for (int i = 2; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || grep_fd(fd, argc > 3 ? argv[i] : NULL) < 0) {
			fprintf(stderr, "grep: cannot read %s\n", argv[i]);
			status = 2;
		}
		if (fd >= 0)
			close(fd);
	}
	return status ? status : !matched;
}
