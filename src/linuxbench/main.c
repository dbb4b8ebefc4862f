/*
 * lbench [quick] [dir=PATH] [exec=PATH] [ROW...]: run every row (or the
 * rows whose names start with one of the ROW words) and print BENCH
 * lines; `lbench list` names the rows; `lbench ops WHAT N` (ops.c) does
 * N operations untimed, for counting QEMU's events.  dir is where the file rows write
 * (default /tmp), exec the helper program the exec rows run (default:
 * lbtrue beside this program).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lbench.h"

struct config cfg = { .dir = "/tmp" };

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void
measure(const char *name, enum unit unit, long n, void (*fn)(long n))
{
	uint64_t tenths[MAX_SAMPLES];

	fn(n / 10 + 1);         /* warm-up: caches, lazy pages, the TLB */
	for (int s = 0; s < cfg.samples; s++) {
		uint64_t t0 = now_ns();
		fn(n);
		tenths[s] = (now_ns() - t0) * 10 / n;
	}
	report_tenths(name, unit, tenths, cfg.samples);
}

bool
in_child(void (*fn)(void *), void *arg, char *why, int len)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(why, len, "waitpid: %s", strerror(errno));
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, len, "the child ended with status 0x%x", status);
		return false;
	}
	return true;
}

static const struct row *const tables[] = { rows_sys, rows_proc, rows_mem, rows_file };

static bool
wanted(const char *name, char **words, int nwords)
{
	if (nwords == 0)
		return true;
	for (int i = 0; i < nwords; i++)
		if (strncmp(name, words[i], strlen(words[i])) == 0)
			return true;
	return false;
}

/* The helper beside this program: argv[0]'s folder + "/lbtrue". */
static char *
helper_beside(const char *argv0)
{
	static char path[256];
	const char *slash = strrchr(argv0, '/');
	int dir = slash ? (int)(slash - argv0) : 1;

	snprintf(path, sizeof(path), "%.*s/lbtrue", dir, slash ? argv0 : ".");
	return path;
}

int
main(int argc, char **argv)
{
	char *words[32];
	int nwords = 0;
	struct utsname u;

	cfg.exec_path = helper_beside(argv[0]);
	if (argc == 4 && strcmp(argv[1], "ops") == 0)
		return ops(argv[2], atol(argv[3]));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "quick") == 0)
			cfg.quick = true;
		else if (strncmp(argv[i], "dir=", 4) == 0)
			cfg.dir = argv[i] + 4;
		else if (strncmp(argv[i], "exec=", 5) == 0)
			cfg.exec_path = argv[i] + 5;
		else if (strcmp(argv[i], "list") == 0) {
			for (unsigned t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
				for (const struct row *r = tables[t]; r->name; r++)
					printf("%-24s %s\n", r->name, r->what);
			return 0;
		} else if (nwords < 32)
			words[nwords++] = argv[i];
	}
	cfg.samples = cfg.quick ? 3 : 7;
	cfg.file_samples = cfg.quick ? 1 : cfg.samples;
	uname(&u);
	printf("BENCH-START lbench %s %s\n", u.sysname, u.release);
	fflush(stdout);
	for (unsigned t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct row *r = tables[t]; r->name; r++)
			if (wanted(r->name, words, nwords))
				r->run(r);
	printf("BENCH-END\n");
	fflush(stdout);
	return 0;
}
