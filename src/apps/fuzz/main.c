/*
 * fuzz [seed=S] [calls=N] [workers=W] [k=K] [deadline=T] [reset=R]
 *      [worker=W batch=B] [linux] [verbose] [trace] [watch=T] [skip=name,...]
 *
 * A seeded system-call fuzzer.  W workers (default 6) run at least N
 * calls (default 100000) in all, in batches of K (default 64) calls, each
 * batch in a fresh child killed if it runs longer than T seconds (default
 * 1).  Prints "fuzz: seed S" first and, at the end, "fuzz: N calls, seed
 * S, ok" when no check failed: every call's result was possible, every
 * child ended (none stuck in the kernel after a kill), every process is
 * gone and the free-page count is back where it was.  Otherwise
 * "fuzz: FAIL ..." lines name the problem and the call, and the last line
 * says FAILED; the exit status is then 1.
 *
 * worker=W batch=B runs that one batch alone (as worker W with the same
 * seed would), and verbose prints each call before it is made: the way to
 * find the call that crashed the kernel.  A batch's calls depend only on
 * the seed, k, and the worker's and the batch's numbers.  A worker's folder is made afresh every R batches
 * (default 8), so a replay runs the batches since the last reset first,
 * quietly, for the folder to hold what it held.  trace prints
 * the pid of each batch's child as it starts, so a panic report naming a
 * pid names the batch.  A watchdog says "fuzz: FAIL (hang)" when no
 * process has changed state for 20 s; watch=T makes it print the free
 * pages and every process's state every T ticks.  skip= leaves out checks that a known bug fails
 * (wrote-unwritable, read-unreadable, path-unreadable, past-top,
 * byte-count, break, vdso, text, result, selftest, errno), the plan that removes
 * the current folder (rmdir-plan), or exec of a program that exists
 * (exec: the path becomes one that fails), to look past them.
 *
 * linux makes the calls Linux's: each batch is the Linux image
 * LINUX_BATCH (src/apps/fuzz/linux, linux.c here), with the same
 * workers, deadlines, replays and end checks around it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

#define MAX_NAMES 128
#define SETTLE_TICKS 2000       /* 20 s for orphans to be reaped */
#define HANG_SECONDS 20         /* no process changing state this long: a hang */

struct options opt = {
	.calls = 100000, .workers = 6, .k = 64, .deadline = 100, .only_worker = 0,
	.only_batch = -1, .reset = 8,
};
uint64_t text_hash;
uint64_t arg_area;

/* What / and /tmp held before the run: the rest is removed after it. */
static char root_names[MAX_NAMES][DIRSIZ + 1], tmp_names[MAX_NAMES][DIRSIZ + 1];
static int n_root_names, n_tmp_names;
static struct worker_summary sums[FUZZ_MAX_WORKERS];

const struct skip_name skip_names[] = {
	{ "wrote-unwritable", 1u << WHY_WROTE_UNWRITABLE },
	{ "read-unreadable", 1u << WHY_READ_UNREADABLE },
	{ "path-unreadable", 1u << WHY_PATH_UNREADABLE },
	{ "past-top", 1u << WHY_PAST_USER_TOP },
	{ "byte-count", 1u << WHY_TOO_MANY_BYTES },
	{ "break", 1u << WHY_BAD_BREAK },
	{ "vdso", 1u << WHY_VDSO_CHANGED },
	{ "text", 1u << WHY_TEXT_CHANGED },
	{ "result", 1u << WHY_BAD_RESULT },
	{ "selftest", 1u << WHY_SELFTEST },
	{ "errno", 1u << WHY_BAD_ERRNO },
	{ "rmdir-plan", SKIP_PLAN_RMDIR },
	{ "exec", SKIP_EXEC },
	{ NULL, 0 },
};

/* skip=a,b,...: the bits of the names; false if one is unknown. */
static bool
parse_skip(const char *list)
{
	char word[32];

	while (*list) {
		size_t n = strcspn(list, ",");
		const struct skip_name *s = skip_names;
		snprintf(word, sizeof(word), "%.*s", (int)n, list);
		while (s->name && strcmp(s->name, word) != 0)
			s++;
		if (!s->name)
			return false;
		opt.skip |= s->bit;
		list += n + (list[n] == ',');
	}
	return true;
}

static bool
number(const char *arg, const char *key, uint64_t *v)
{
	return draw_number(arg, key, v);
}

/* Parse the words; false on any word that is not an option. */
static const char *bad_word;    /* the argument parse() did not take */

static bool
parse(int argc, char *argv[])
{
	bool seeded = false;
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (number(a, "seed", &v)) {
			opt.seed = v;
			seeded = true;
		} else if (number(a, "calls", &v) && v > 0) {
			opt.calls = (long)v;
		} else if (number(a, "workers", &v) && v >= 1 && v <= FUZZ_MAX_WORKERS) {
			opt.workers = (int)v;
		} else if (number(a, "k", &v) && v >= 1 && v <= FUZZ_MAX_K) {
			opt.k = (int)v;
		} else if (number(a, "deadline", &v) && v >= 1 && v <= 3600) {
			opt.deadline = (int)(v * vdso()->tick_hz);
		} else if (number(a, "watch", &v) && v <= 100000) {
			opt.watch = (int)v;
		} else if (number(a, "reset", &v)) {
			opt.reset = (int)v;
		} else if (number(a, "worker", &v) && v < FUZZ_MAX_WORKERS) {
			opt.only_worker = (int)v;
		} else if (number(a, "batch", &v)) {
			opt.only_batch = (long)v;
		} else if (strcmp(a, "verbose") == 0) {
			opt.verbose = true;
		} else if (strcmp(a, "linux") == 0) {
			opt.linux = true;
		} else if (strcmp(a, "trace") == 0) {
			opt.trace = true;
		} else if (strncmp(a, "skip=", 5) == 0) {
			if (!parse_skip(a + 5)) {
				bad_word = a;
				return false;
			}
		} else {
			bad_word = a;
			return false;
		}
	}
	if (!seeded)
		opt.seed = mix64(rdtime() ^ ((uint64_t)ugetpid() << 32)) % 1000000000000UL;
	return true;
}

/*
 * The free pages, once the page cache has given back what nothing maps
 * (files the run wrote and programs it ran leave cached pages behind).
 */
static uint64_t
free_pages(void)
{
	struct sysinfo si;

	__sys_selftest(SELFTEST_DROP_CACHES, 0);
	__sys_sysinfo(&si, SYSINFO_CANOPY);     /* may itself copy a page shared with a child */
	__sys_sysinfo(&si, SYSINFO_CANOPY);
	return si.free_pages;
}

/*
 * The free-page count once it has settled: a hart lets go of the last
 * table it ran after a tick of idleness, so wait a few ticks for the
 * count to reach want (0: for it to stop rising).  More pages than before
 * is no leak: a hart may have held a page of a process ended before.
 */
static uint64_t
settled_free_pages(uint64_t want)
{
	uint64_t n = free_pages(), m;

	for (int i = 0; i < 100; i++) {
		if (want ? n >= want : i >= 3)
			break;
		__sys_sleep(2);
		m = free_pages();
		n = m > n || want ? m : n;
	}
	return n;
}

static uint64_t
nproc(void)
{
	struct sysinfo si;

	__sys_sysinfo(&si, SYSINFO_CANOPY);
	return si.nproc;
}

static bool
listed(char names[][DIRSIZ + 1], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * Remove from folder d whatever is not among the n names it held before
 * (MAX_NAMES at a time, until a round removes nothing).  How many went.
 */
static int
clean_folder(const char *d, char before[][DIRSIZ + 1], int n)
{
	char now[MAX_NAMES][DIRSIZ + 1];
	int removed = 0, round;

	if (__sys_chdir(d) < 0)
		return 0;
	do {
		round = 0;
		int m = dir_names(".", now, MAX_NAMES);
		for (int i = 0; i < m; i++)
			if (!listed(before, n, now[i]) && rm_tree(now[i]))
				round++;
		removed += round;
	} while (round > 0);
	__sys_chdir("/");
	return removed;
}

/* " pid:state" for every process (state: U R S Z, and r for running). */
static const char *
process_states(void)
{
	static struct procinfo pi[NPROC];
	static char text[NPROC * 12];
	int n = (int)__sys_procinfo(pi, NPROC), len = 0;

	text[0] = 0;
	for (int i = 0; i < n && len < (int)sizeof(text) - 12; i++)
		len += snprintf(text + len, sizeof(text) - len, " %d:%c", pi[i].pid,
				" USRrZ"[pi[i].state <= 5 ? pi[i].state : 0]);
	return text;
}

/*
 * The watchdog, a process of its own beside the workers.  Every second it
 * looks at every process's state; if none has changed for HANG_SECONDS
 * (a healthy run ends a batch or a deadline every second), the kernel is
 * stuck: it says so once, with the processes, so that the host need not
 * wait for its timeout (no worker can: in a file-system deadlock even
 * exit blocks, so the workers' timers never end).  With watch=T it also
 * prints the free pages and the processes every T ticks.  Uses no file
 * system call: the console is a device.
 */
static int
start_watchdog(void)
{
	int pid = (int)__sys_fork();

	if (pid != 0)
		return pid;
	static char last[NPROC * 12];
	int still = 0, since_print = 0;
	for (;;) {
		int step = opt.watch && opt.watch < 100 ? opt.watch : 100;
		__sys_sleep(step);
		const char *now = process_states();
		still = strcmp(now, last) == 0 ? still + step : 0;
		strcpy(last, now);
		if (still >= HANG_SECONDS * 100 && still < HANG_SECONDS * 100 + step)
			printf("fuzz: FAIL (hang): no process has changed state for %d s:%s\n",
			       HANG_SECONDS, now);
		since_print += step;
		if (opt.watch && since_print >= opt.watch) {
			struct sysinfo si;
			__sys_sysinfo(&si, SYSINFO_CANOPY);
			printf("fuzz: watch: %lu free pages, %lu processes:%s\n",
			       (unsigned long)si.free_pages, (unsigned long)si.nproc, now);
			since_print = 0;
		}
	}
}

/* Start the workers; they write their summaries on fd. */
static int
start_workers(int fd)
{
	long quota = (opt.calls + opt.workers - 1) / opt.workers;
	int started = 0;

	for (int w = 0; w < opt.workers; w++) {
		if (opt.only_batch >= 0 && w != opt.only_worker)
			continue;
		int pid = (int)__sys_fork();
		if (pid < 0) {
			printf("fuzz: FAIL: cannot start worker %d\n", w);
			continue;
		}
		if (pid == 0) {
			struct worker_summary s;
			int failures = worker_main(w, quota, &s);
			s.failures = failures;
			__sys_write(fd, &w, sizeof(w));
			__sys_write(fd, &s, sizeof(s));
			__sys_exit(failures ? 1 : 0);
		}
		started++;
	}
	return started;
}

/* Collect the summaries of n workers from fd; false if one is missing. */
static bool
collect(int fd, int n)
{
	int w;

	for (int i = 0; i < n; i++) {
		if (__sys_read(fd, &w, sizeof(w)) != sizeof(w) || w < 0 || w >= FUZZ_MAX_WORKERS ||
		    __sys_read(fd, &sums[w], sizeof(sums[w])) != sizeof(sums[w]))
			return false;
	}
	return true;
}

/* Which calls the children killed at the deadline were in (most blocked on a pipe). */
static void
print_deadlines(const struct worker_summary *all)
{
	char line[400];
	int n = snprintf(line, sizeof(line), "fuzz: killed at the deadline in:");

	for (int i = 0; i < DEADLINE_NAMES && n < (int)sizeof(line); i++)
		if (all->deadline_in[i].n)
			n += snprintf(line + n, sizeof(line) - n, " %.*s %ld",
				      (int)sizeof(all->deadline_in[i].name), all->deadline_in[i].name,
				      all->deadline_in[i].n);
	if (all->deadline_kills)
		printf("%s\n", line);
}

/* Wait for the processes left (orphans init reaps) to go. */
static bool
settle(uint64_t want)
{
	for (int t = 0; t < SETTLE_TICKS; t += 5) {
		if (nproc() <= want)
			return true;
		__sys_sleep(5);
	}
	return false;
}

int
main(int argc, char *argv[])
{
	int p[2];
	if (argc < 1 || strcmp(argv[0], "fuzz") != 0 || !parse(argc, argv)) {
		/* also what a copy of this program exec'd by a fuzzed call does */
		if (bad_word)
			fprintf(stderr, "fuzz: not understood, or out of range: %s (workers 1..%d, "
				"k 1..%d, deadline 1..3600 s)\n", bad_word, FUZZ_MAX_WORKERS, FUZZ_MAX_K);
		fprintf(stderr, "usage: fuzz [seed=S] [calls=N] [workers=W] [k=K] [deadline=T] "
			"[reset=R] [worker=W batch=B] [linux] [verbose] [trace] [watch=T] [skip=check,...]\n");
		return 2;
	}
	/* above main's frame: the argument strings, not used after parse() */
	arg_area = USER_STACK_TOP - 256;
	if ((uint64_t)argv > arg_area)
		arg_area = ((uint64_t)argv + 15) & ~15UL;
	printf("fuzz: seed %lu\n", (unsigned long)opt.seed);
	printf("fuzz: %s%d workers, %d calls per batch, deadline %d ticks, folder reset every %d "
	       "batches, design %s%s%s\n", opt.linux ? "Linux system calls (" LINUX_BATCH "), " : "",
	       opt.only_batch >= 0 ? 1 : opt.workers, opt.k,
	       opt.deadline, opt.reset, vdso()->design & DESIGN_KPTI ? "kpti " : "",
	       vdso()->design & DESIGN_LAZY ? "lazy " : "", vdso()->design & DESIGN_COW ? "cow" : "");
	text_hash = hash_text();
	n_root_names = dir_names("/", root_names, MAX_NAMES);
	n_tmp_names = dir_names("/tmp", tmp_names, MAX_NAMES);
	uint64_t procs_before = nproc();
	uint64_t free_before = settled_free_pages(0);
	uint64_t t0 = uptime_ns();

	int watcher = start_watchdog();
	if (__sys_pipe(p) < 0) {
		printf("fuzz: FAIL: pipe\n");
		return 1;
	}
	int started = start_workers(p[1]);
	__sys_close(p[1]);
	bool complete = collect(p[0], started);
	__sys_close(p[0]);
	if (watcher > 0)
		__sys_kill(watcher);
	int workers_failed = 0;
	for (int s, pid; (pid = (int)__sys_wait(&s)) >= 0;)
		workers_failed += s != 0 && pid != watcher;
	uint64_t ns = uptime_ns() - t0;
	if (opt.linux)
		linux_tty_repair();

	bool settled = settle(procs_before);
	int removed = clean_folder("/", root_names, n_root_names) +
		      clean_folder("/tmp", tmp_names, n_tmp_names);
	uint64_t free_after = settled_free_pages(free_before);

	struct worker_summary all = { 0 };
	for (int w = 0; w < FUZZ_MAX_WORKERS; w++) {
		all.calls += sums[w].calls;
		all.batches += sums[w].batches;
		all.deadline_kills += sums[w].deadline_kills;
		all.faulted += sums[w].faulted;
		all.failures += sums[w].failures;
		for (int i = 0; i < DEADLINE_NAMES; i++)
			if (sums[w].deadline_in[i].n)
				count_deadline(&all, sums[w].deadline_in[i].name,
					       sums[w].deadline_in[i].n);
	}
	unsigned long ms = (unsigned long)(ns / 1000000);
	printf("fuzz: %ld calls in %lu.%02lu s (%lu calls/s), %ld batches: %ld ended killed, "
	       "%ld killed at the deadline; %d names removed from / and /tmp\n",
	       all.calls, ms / 1000, ms % 1000 / 10, ms ? (unsigned long)(all.calls * 1000 / ms) : 0,
	       all.batches, all.faulted, all.deadline_kills, removed);
	print_deadlines(&all);
	printf("fuzz: free pages %lu before, %lu after; processes %lu before, %lu after\n",
	       (unsigned long)free_before, (unsigned long)free_after,
	       (unsigned long)procs_before, (unsigned long)nproc());

	char why[160] = "";
	if (!complete)
		snprintf(why, sizeof(why), "a worker died without its summary");
	else if (all.failures || workers_failed)
		snprintf(why, sizeof(why), "%ld problems (the FAIL lines above)", all.failures);
	else if (!settled)
		snprintf(why, sizeof(why), "%lu processes left, %lu before",
			 (unsigned long)nproc(), (unsigned long)procs_before);
	else if (free_after < free_before)
		snprintf(why, sizeof(why), "free pages %lu before, %lu after: %ld leaked",
			 (unsigned long)free_before, (unsigned long)free_after,
			 (long)(free_before - free_after));
	if (why[0]) {
		printf("fuzz: %ld calls, seed %lu, FAILED: %s\n", all.calls, (unsigned long)opt.seed, why);
		return 1;
	}
	printf("fuzz: %ld calls, seed %lu, ok\n", all.calls, (unsigned long)opt.seed);
	return 0;
}
