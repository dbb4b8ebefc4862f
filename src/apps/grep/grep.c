/*
 * grep [-ncvi] pattern [file...]: print the lines that match pattern, a
 * simple regular expression: c matches itself, . any character, x* any
 * number of x, ^ at the start anchors to the line's start and $ at the end
 * to its end.  -n puts each line's number before it, -v selects the lines
 * that do not match, -c prints only how many lines were selected, -i
 * ignores case (A matches a and a matches A); they combine (-inv).  With several files each line (or count) is prefixed by
 * its file's name and ':'.  Status 0 if a line was selected, 1 if none
 * was, 2 on an error (a bad option too, as in other greps: 1 would read
 * as "no match").
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

#define MAX_ATOMS 256
#define LINE_MAX_LEN 1024

struct atom {
	char c;         /* 0: any character */
	bool repeat;    /* followed by '*' */
};

static struct atom atoms[MAX_ATOMS];
static int natoms;
static bool anchored_start, anchored_end;

/* Options: -n line numbers, -v select lines that do not match, -c count only, -i any case. */
static bool opt_number, opt_invert, opt_count, opt_icase;

/* c as compared: folded to lower case under -i (pattern and line alike) */
static char
fold(char c)
{
	return opt_icase ? (char)tolower((unsigned char)c) : c;
}

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
		atoms[natoms].c = *re == '.' ? 0 : fold(*re);
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
	return c != 0 && (a->c == 0 || a->c == fold(c));
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

static bool selected_any;

#define USAGE "grep [-ncvi] pattern [file...]  (-n numbers, -v non-matching, -c count, -i any case)"

/* One line of fd (number lineno): print it if selected; true if selected. */
static bool
select_line(const char *line, long lineno, const char *name)
{
	if (line_matches(line) == opt_invert)
		return false;
	selected_any = true;
	if (opt_count)
		return true;
	if (name)
		printf("%s:", name);
	if (opt_number)
		printf("%ld:", lineno);
	printf("%s\n", line);
	if (!stdout_ok("grep"))
		exit(2);
	return true;
}

/*
 * Print the selected lines of fd (prefixed with name unless NULL), or
 * their count with -c.  A line longer than LINE_MAX_LEN is taken in
 * pieces (each with the line's number).  0, or -1 on a read error.
 */
static int
grep_fd(int fd, const char *name)
{
	static char buf[4096];
	char line[LINE_MAX_LEN + 1];
	int len = 0;
	long n, lineno = 1, count = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			bool end = buf[i] == '\n';
			if (!end)
				line[len++] = buf[i];
			if (end || len == LINE_MAX_LEN) {
				line[len] = 0;
				count += select_line(line, lineno, name);
				lineno += end;
				len = 0;
			}
		}
	}
	if (len > 0) {
		line[len] = 0;
		count += select_line(line, lineno, name);
	}
	if (n < 0)
		return -1;
	if (opt_count) {
		printf("%s%s%ld\n", name ? name : "", name ? ":" : "", count);
		if (!stdout_ok("grep"))
			exit(2);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "ncvi", on, USAGE);

	opt_number = on['n'];
	opt_invert = on['v'];
	opt_count = on['c'];
	opt_icase = on['i'];
	if (first >= argc)
		usage_exit(USAGE);
	if (compile(argv[first]) < 0) {
		fprintf(stderr, "grep: pattern too long\n");
		return 2;
	}
	if (first + 1 == argc) {
		if (grep_fd(0, NULL) < 0) {
			fprintf(stderr, "grep: standard input: read error\n");
			return 2;
		}
		return !selected_any;
	}
	bool several = argc - first > 2;
	for (int i = first + 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "grep: cannot open %s\n", argv[i]);
			status = 2;
			continue;
		}
		if (grep_fd(fd, several ? argv[i] : NULL) < 0) {
			fprintf(stderr, "grep: %s: read error\n", argv[i]);
			status = 2;
		}
		close(fd);
	}
	return status ? status : !selected_any;
}
