/*
 * sh: the shell.
 *
 *   sh                 prompt for command lines on the console
 *   sh -c LINE [NAME [ARG...]]
 *                      run LINE; exit 0 if every command in it succeeded,
 *                      else 1 ($0 is NAME, $1... the ARGs)
 *   sh FILE [ARG...]   run FILE's lines, a script; exit with the status of
 *                      its last command (127 if FILE cannot be opened, 2
 *                      after a syntax error, which ends the script)
 *
 * A line is a list of pipelines separated by ';' (run in order) or '&'
 * (run in the background); a pipeline is commands joined by '|'; a command
 * is words with optional '<' file, '>' file and '>>' file.  Words may be
 * quoted with '...' or "..." and \ escapes one character.  A '#' that
 * starts a word starts a comment, to the end of the line.  $? (bare or
 * inside "...") is the status of the last pipeline run before this one;
 * $0..$9 are the script's name and arguments and $# how many arguments
 * there are.  A word that was only an unquoted $N with no such argument is
 * dropped.  Builtins: cd, exit.  A command name without '/' is looked up
 * in /bin, then /usr/bin (busybox's applets).
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "canopy.h"

#define MAX_TOKENS 128
#define MAX_LINE 2048
#define MAX_PIPE 16
#define STATUS_MARK '\x01'     /* stands for $? in a word until the pipeline runs */

enum kind { WORD, SEMI, AMP, PIPE, IN, OUT, APPEND, END };

struct token {
	enum kind kind;
	char *word;
};

static char line_buf[MAX_LINE];
static char word_buf[MAX_LINE * 2];
static struct token tokens[MAX_TOKENS];
static int last_status;                 /* $? */
static char expand_buf[MAX_LINE * 6];   /* each 2-byte $? becomes at most 11 */
static size_t expand_len;
static char **params;                   /* $0, $1, ...: the script and its arguments */
static int nparams;                     /* $0 included */
static int script_fd = -1;              /* the script being read: not the commands' */

#define USAGE "sh [-c line [name [arg...]] | file [arg...]]"

/* Append c to the word at *w; false (with a message) if word_buf is full. */
static bool
put_char(char **w, char c)
{
	if (*w == word_buf + sizeof(word_buf)) {
		fprintf(stderr, "sh: line too long\n");
		return false;
	}
	*(*w)++ = c;
	return true;
}

/* Does s start with $?, $# or $N? */
static bool
is_param(const char *s)
{
	return s[0] == '$' && (s[1] == '?' || s[1] == '#' || (s[1] >= '0' && s[1] <= '9'));
}

/* Append the value of $c (c: '?', '#' or a digit); $? is marked, for later. */
static bool
put_param(char **w, char c)
{
	char num[16];
	const char *v = num;

	if (c == '?')
		return put_char(w, STATUS_MARK);
	if (c == '#')
		snprintf(num, sizeof(num), "%d", nparams - 1);
	else
		v = c - '0' < nparams ? params[c - '0'] : "";
	for (; *v; v++)
		if (!put_char(w, *v))
			return false;
	return true;
}

/* Split line into tokens; -1 (with a message) on a syntax error. */
static int
tokenize(const char *s)
{
	char *w = word_buf;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (n == MAX_TOKENS - 1) {
			fprintf(stderr, "sh: too many words\n");
			return -1;
		}
		struct token *t = &tokens[n++];
		t->word = NULL;
		switch (*s) {
		case 0:
		case '#':       /* a comment, to the end of the line */
			t->kind = END;
			return n;
		case ';': t->kind = SEMI; s++; continue;
		case '&': t->kind = AMP; s++; continue;
		case '|': t->kind = PIPE; s++; continue;
		case '<': t->kind = IN; s++; continue;
		case '>':
			s++;
			t->kind = OUT;
			if (*s == '>') {
				t->kind = APPEND;
				s++;
			}
			continue;
		}
		t->kind = WORD;
		t->word = w;
		bool quoted = false, ok = true;
		while (ok && *s && !strchr(" \t\r\n;&|<>", *s)) {
			if (is_param(s)) {
				ok = put_param(&w, s[1]);
				s += 2;
			} else if (*s == '\'' || *s == '"') {
				char q = *s++;
				quoted = true;
				while (ok && *s && *s != q) {
					if (q == '"' && is_param(s)) {
						ok = put_param(&w, s[1]);
						s += 2;
					} else {
						ok = put_char(&w, *s++);
					}
				}
				if (ok && *s != q) {
					fprintf(stderr, "sh: unmatched %c\n", q);
					return -1;
				}
				s++;
			} else if (*s == '\\' && s[1]) {
				ok = put_char(&w, s[1]);
				s += 2;
			} else {
				ok = put_char(&w, *s++);
			}
		}
		if (!ok || !put_char(&w, 0))
			return -1;
		if (!quoted && *t->word == 0)
			n--;    /* only parameters, all empty: no word at all */
	}
}

struct command {
	char *argv[MAXARG + 1];
	char *in, *out;
	bool append;
};

/* Append n bytes to expand_buf; false (with a message) if they do not fit. */
static bool
expand_put(const char *p, size_t n)
{
	if (expand_len + n > sizeof(expand_buf)) {
		fprintf(stderr, "sh: line too long\n");
		return false;
	}
	memcpy(expand_buf + expand_len, p, n);
	expand_len += n;
	return true;
}

/* word with each $? replaced by last_status; NULL (with a message) if it does not fit. */
static char *
expand(char *word)
{
	char num[16];

	if (!strchr(word, STATUS_MARK))
		return word;
	int len = snprintf(num, sizeof(num), "%d", last_status);
	char *out = expand_buf + expand_len;
	for (const char *s = word; *s; s++) {
		if (!(*s == STATUS_MARK ? expand_put(num, len) : expand_put(s, 1)))
			return NULL;
	}
	return expand_put("", 1) ? out : NULL;
}

/* Parse one command starting at tokens[*pos]; -1 on a syntax error. */
static int
parse_command(int *pos, struct command *c)
{
	int argc = 0;

	memset(c, 0, sizeof(*c));
	for (;; (*pos)++) {
		struct token *t = &tokens[*pos];
		if (t->kind == WORD) {
			if (argc == MAXARG) {
				fprintf(stderr, "sh: too many arguments\n");
				return -1;
			}
			if (!(c->argv[argc++] = expand(t->word)))
				return -1;
		} else if (t->kind == IN || t->kind == OUT || t->kind == APPEND) {
			struct token *f = &tokens[*pos + 1];
			if (f->kind != WORD) {
				fprintf(stderr, "sh: redirection needs a file name\n");
				return -1;
			}
			char *file = expand(f->word);
			if (!file)
				return -1;
			if (t->kind == IN)
				c->in = file;
			else
				c->out = file;
			c->append = t->kind == APPEND;
			(*pos)++;
		} else {
			break;
		}
	}
	if (argc == 0) {
		fprintf(stderr, "sh: missing command\n");
		return -1;
	}
	return 0;
}

static void
redirect(int fd, const char *path, int flags)
{
	close(fd);
	if (open(path, flags) != fd) {
		fprintf(stderr, "sh: cannot open %s\n", path);
		_exit(1);
	}
}

/* Where a command without a '/' is looked for: Canopy's programs, then busybox's applets. */
static const char *const search_path[] = { "/bin", "/usr/bin" };

/* In the child: set up redirections and exec; never returns. */
static void
run_command(struct command *c)
{
	char path[MAXPATH];

	if (script_fd >= 0)
		close(script_fd);
	if (c->in)
		redirect(0, c->in, O_RDONLY);
	if (c->out)
		redirect(1, c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC));
	if (!strchr(c->argv[0], '/')) {
		for (unsigned i = 0; i < sizeof(search_path) / sizeof(search_path[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", search_path[i], c->argv[0]);
			exec(path, c->argv);
		}
	}
	exec(c->argv[0], c->argv);
	fprintf(stderr, "sh: %s: not found\n", c->argv[0]);
	_exit(127);
}

/* cd and exit run in the shell itself; true if c was one of them. */
static bool
builtin(struct command *c, int *status)
{
	if (strcmp(c->argv[0], "cd") == 0) {
		const char *dir = c->argv[1] ? c->argv[1] : "/";
		*status = chdir(dir) < 0;
		if (*status)
			fprintf(stderr, "sh: cd: cannot enter %s\n", dir);
		return true;
	}
	if (strcmp(c->argv[0], "exit") == 0)
		exit(c->argv[1] ? atoi(c->argv[1]) : 0);
	return false;
}

/*
 * Run the pipeline at tokens[*pos].  In the foreground, wait for all of
 * it and return the last command's status; in the background, return 0.
 */
static int
run_pipeline(int *pos, bool background, bool *syntax_error)
{
	struct command cmds[MAX_PIPE];
	int n = 0, status = 0;

	expand_len = 0;
	for (;;) {
		if (n == MAX_PIPE) {
			fprintf(stderr, "sh: pipeline too long\n");
			*syntax_error = true;
			return 1;
		}
		if (parse_command(pos, &cmds[n++]) < 0) {
			*syntax_error = true;
			return 1;
		}
		if (tokens[*pos].kind != PIPE)
			break;
		(*pos)++;
	}
	if (n == 1 && !background && builtin(&cmds[0], &status))
		return status;

	int pids[MAX_PIPE];
	int prev_read = -1;
	for (int i = 0; i < n; i++) {
		int p[2] = { -1, -1 };
		if (i + 1 < n && pipe(p) < 0) {
			fprintf(stderr, "sh: pipe failed\n");
			n = i;
			status = 1;
			break;
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			__sys_setpgid(0, i == 0 ? 0 : pids[0]);      /* the job's own group */
			if (prev_read >= 0) {
				close(0);
				dup(prev_read);
				close(prev_read);
			}
			if (p[1] >= 0) {
				close(1);
				dup(p[1]);
				close(p[0]);
				close(p[1]);
			}
			run_command(&cmds[i]);
		}
		if (pids[i] > 0)
			__sys_setpgid(pids[i], pids[0]);        /* both sides: whichever runs first */
		if (prev_read >= 0)
			close(prev_read);
		if (p[1] >= 0)
			close(p[1]);
		prev_read = p[0];
		if (pids[i] < 0) {
			fprintf(stderr, "sh: fork failed\n");
			n = i;
			status = 1;
			break;
		}
	}
	if (prev_read >= 0)
		close(prev_read);
	if (background) {
		if (n > 0)
			printf("[%d]\n", pids[n - 1]);
		return status;
	}
	/* the job has the console's ^C and ^Z while it runs; then whoever had them */
	long had = n > 0 ? __sys_tcsetpgrp(pids[0]) : -1;
	/* wait for our pids; other children (background jobs) are just reaped */
	for (int left = n; left > 0;) {
		int st, pid = wait(&st);
		if (pid < 0)
			break;
		for (int i = 0; i < n; i++) {
			if (pids[i] == pid) {
				left--;
				if (i == n - 1)
					status = st;
			}
		}
	}
	if (had >= 0)
		__sys_tcsetpgrp((int)had);
	return status;
}

/*
 * Run a whole line: 0 if every foreground pipeline succeeded, 1 if one
 * did not, -1 on a syntax error (which ends the line there).
 */
static int
run_line(const char *line)
{
	int result = 0;

	if (tokenize(line) < 0) {
		last_status = 2;
		return -1;
	}
	for (int pos = 0; tokens[pos].kind != END;) {
		if (tokens[pos].kind == SEMI || tokens[pos].kind == AMP) {
			pos++;
			continue;
		}
		/* find how this pipeline ends, to know if it is backgrounded */
		int end = pos;
		while (tokens[end].kind != END && tokens[end].kind != SEMI && tokens[end].kind != AMP)
			end++;
		bool background = tokens[end].kind == AMP;
		bool syntax_error = false;
		int status = run_pipeline(&pos, background, &syntax_error);
		last_status = syntax_error ? 2 : status;
		if (syntax_error)
			return -1;
		if (status != 0)
			result = 1;
	}
	return result;
}

/* The next line of script fd in line_buf, without its newline: 1, 0 at the end, -1 if too long. */
static int
read_script_line(int fd)
{
	static char buf[512];
	static int pos, len;
	size_t n = 0;

	for (;;) {
		if (pos == len) {
			pos = 0;
			if ((len = read(fd, buf, sizeof(buf))) <= 0) {
				len = 0;
				line_buf[n] = 0;
				return n > 0;   /* the last line may lack its newline */
			}
		}
		char c = buf[pos++];
		if (c == '\n')
			break;
		if (n == sizeof(line_buf) - 1)
			return -1;
		line_buf[n++] = c;
	}
	line_buf[n] = 0;
	return 1;
}

/* sh FILE: run its lines; the last command's status, as the script's own. */
static int
run_script(const char *file)
{
	int lineno = 0, r;

	if ((script_fd = open(file, O_RDONLY)) < 0) {
		fprintf(stderr, "sh: cannot open %s\n", file);
		return 127;     /* as for a command that is not found */
	}
	while ((r = read_script_line(script_fd)) > 0) {
		lineno++;
		if (run_line(line_buf) < 0)
			break;
	}
	if (r < 0)
		fprintf(stderr, "sh: %s: line %d is too long\n", file, lineno + 1);
	else if (r > 0)
		fprintf(stderr, "sh: %s: stopped at line %d\n", file, lineno);
	close(script_fd);
	return r != 0 ? 2 : last_status;
}

/*
 * Read a line of standard input into line_buf; false at its end.  A line longer than
 * MAX_LINE - 1 characters (its newline not counted) is skipped whole, with
 * a message, and comes back empty: no part of it may run as a command.  The
 * console refuses such lines itself; this is for a script or a pipe.
 */
static bool
read_input_line(void)
{
	if (!fgets(line_buf, sizeof(line_buf), stdin))
		return false;
	size_t len = strlen(line_buf);
	if (len < sizeof(line_buf) - 1 || line_buf[len - 1] == '\n')
		return true;
	int c = getchar();          /* the buffer is full: is the line complete? */
	if (c == '\n' || c == EOF)
		return true;
	while (c != '\n' && c != EOF)
		c = getchar();
	fprintf(stderr, "sh: line too long (over %d characters): discarded\n", MAX_LINE - 1);
	line_buf[0] = '\0';
	return true;
}

int
main(int argc, char *argv[])
{
	static char *no_params[] = { "sh" };
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "c", on, USAGE);

	params = no_params;
	nparams = 1;
	if (on['c']) {
		if (first == argc)
			usage_exit(USAGE);
		if (argc - first > 1) {
			params = argv + first + 1;
			nparams = argc - first - 1;
		}
		return run_line(argv[first]) == 0 ? 0 : 1;
	}
	if (first < argc) {
		params = argv + first;
		nparams = argc - first;
		return run_script(argv[first]);
	}
	for (;;) {
		printf("$ ");
		fflush(stdout);
		if (!read_input_line())
			break;
		run_line(line_buf);
	}
	return 0;
}
