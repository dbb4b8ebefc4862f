/*
 * bench [quick] [ROW...]: run every row (or those named, or those whose
 * names start with a given prefix) and print BENCH lines; `bench list`
 * names the rows.  Each row runs in a child of its own, so one that
 * fails or is killed (say, out of memory) is reported n/a and the others
 * still run; its heap never affects the next row.
 */
#include <sys/wait.h>
#include "bench.h"

bool quick;

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t
free_pages(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return 0;
	return si.free_pages;
}

uint64_t
design(void)
{
	return vdso()->design;
}

void
measure(const char *name, enum unit unit, int samples, long n, void (*fn)(long n))
{
	uint64_t v[MAX_SAMPLES];

	if (samples > MAX_SAMPLES)
		samples = MAX_SAMPLES;
	fn(n / 8 + 1);          /* warm-up: caches, TLB, first-touch of the stack */
	for (int i = 0; i < samples; i++) {
		uint64_t t0 = now_ns();
		fn(n);
		uint64_t t1 = now_ns();
		v[i] = (t1 - t0) * 10 / (uint64_t)n;
	}
	report_tenths(name, unit, v, samples);
}

void
report_pages(const char *name, long pages)
{
	report_count(name, "pages", pages);
}

static const struct row *const tables[] = { rows_syscall, rows_proc, rows_mem, rows_file };
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static bool
selected(const char *name, int argc, char *argv[], int first)
{
	if (first >= argc)
		return true;
	for (int i = first; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return true;
	return false;
}

static void
run_row(const struct row *r)
{
	fflush(stdout);
	int pid = fork();
	if (pid < 0) {
		report_na(r->name, "fork failed");
		return;
	}
	if (pid == 0) {
		r->run(r);
		fflush(stdout);
		__sys_exit(0);
	}
	int status = 0;
	if (wait(&status) < 0 || status != 0)
		report_na(r->name, "the row's process %s (status %d)",
			  status == -1 ? "was killed" : "failed", status);
}

/*
 * bench ops getpid N | bench ops pipe N: N getpid() calls, or N 4 KiB
 * writes through a pipe to a child that reads them, untimed: tools/bench.py
 * counts QEMU's TLB flushes and fills in such a boot, less one with N = 0,
 * per operation.  Exit status 1 on a bad request.
 */
static int
ops(const char *what, long n)
{
	static char buf[4096];
	int fds[2];

	if (strcmp(what, "getpid") == 0) {
		for (long i = 0; i < n; i++)
			__sys_getpid();
		return 0;
	}
	if (strcmp(what, "pipe") != 0 || pipe(fds) < 0)
		return 1;
	int pid = fork();
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], buf, sizeof(buf)) > 0)
			;
		exit(0);
	}
	close(fds[0]);
	for (long i = 0; i < n && pid > 0; i++)
		if (write(fds[1], buf, sizeof(buf)) != (int)sizeof(buf))
			return 1;
	close(fds[1]);
	return pid > 0 && wait(NULL) == pid ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	int first = 1;

	if (argc == 4 && strcmp(argv[1], "ops") == 0)
		return ops(argv[2], atol(argv[3]));

	if (argc > 1 && strcmp(argv[1], "list") == 0) {
		for (unsigned t = 0; t < NTABLES; t++)
			for (const struct row *r = tables[t]; r->name; r++)
				printf("%-20s %s\n", r->name, r->what);
		return 0;
	}
	/* bench touch MIB: touch each page of MIB fresh MiB once (tools/bench.py counts TLB fills) */
	if (argc == 3 && strcmp(argv[1], "touch") == 0) {
		long n = atol(argv[2]) << 20;
		char *p = n > 0 ? sbrk(n) : NULL;
		if (n > 0 && p == (char *)-1)
			return 1;
		for (long off = 0; off < n; off += 4096)
			p[off] = 1;
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "quick") == 0) {
		quick = true;
		first = 2;
	}
	printf("BENCH-START design %llu quick %d\n", (unsigned long long)design(), quick);
	for (unsigned t = 0; t < NTABLES; t++)
		for (const struct row *r = tables[t]; r->name; r++)
			if (selected(r->name, argc, argv, first))
				run_row(r);
	printf("BENCH-END\n");
	return 0;
}
