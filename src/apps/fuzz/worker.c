/*
 * A worker: runs its share of the calls, one batch at a time, each in a
 * fresh child, in a folder of its own (/tmp/fuzz-<pid>, also the
 * children's current folder).
 *
 * For each batch it makes a progress pipe, forks the child and a timer
 * that sleeps for the deadline, and waits for whichever ends first.  A
 * child that ends (by itself, by its own fault, by exit or by exec'ing
 * true) is fine.  A child that outlives the deadline (blocked on a pipe
 * it holds both ends of, say) is killed; one that then does not end
 * within GRACE_TICKS is stuck in the kernel: a hang, reported with its
 * last call.  The records on the progress pipe count the calls made and
 * carry the failures the child found.  Every opt.reset batches the
 * folder goes back to its starting files, so what the calls made does
 * not fill the disk.
 */
#include <stdio.h>
#include <string.h>
#include "fuzz.h"

#define GRACE_TICKS 1000        /* 10 s: a killed child ends sooner, or it is stuck */
#define TRIES 2000              /* 20 s of retries before fork or pipe counts as failing */

static struct record recs[FUZZ_MAX_K + 8];
static char dir[64];
static int worker_no;

/* --------------------------------------------------------------- the folder */

static void
write_file(const char *name, const char *text)
{
	int fd = (int)__sys_open(name, CANOPY_O_CREATE | CANOPY_O_WRONLY | CANOPY_O_TRUNC);

	if (fd >= 0) {
		__sys_write(fd, text, (long)strlen(text));
		__sys_close(fd);
	}
}

/* Make the folder with its starting files, and go into it.  0, or -1. */
static int
make_dir(void)
{
	__sys_mkdir(dir);
	if (__sys_chdir(dir) < 0)
		return -1;
	write_file("a", "the file a: read, written, linked and removed by the fuzzer\n");
	write_file("b", "b\n");
	__sys_mkdir("c");
	__sys_mkdir("d");
	write_file("d/e", "e\n");
	__sys_symlink("a", "l");
	return 0;
}

static void
reset_dir(void)
{
	__sys_chdir("/tmp");
	rm_tree(dir + 5);
	make_dir();
}

/* ------------------------------------------------------------- processes */

/*
 * fork, and pipe below, fail while the process table or the system's
 * open-file table (NFILE) is full, which the other workers' children may
 * well make it: try again for a while.
 */
static int
fork_retry(void)
{
	for (int i = 0; i < TRIES; i++) {
		int pid = (int)__sys_fork();
		if (pid >= 0)
			return pid;
		__sys_sleep(1);
	}
	return -1;
}

static int
pipe_retry(int fds[2])
{
	for (int i = 0; i < TRIES; i++) {
		if (__sys_pipe(fds) == 0)
			return 0;
		__sys_sleep(1);
	}
	return -1;
}

/* A process that ends after ticks (or when killed), holding no descriptor. */
static int
start_timer(int ticks)
{
	int pid = fork_retry();

	if (pid == 0) {
		for (int fd = 0; fd < NOFILE; fd++)
			__sys_close(fd);
		__sys_sleep(ticks);
		__sys_exit(0);
	}
	return pid;
}

/* Wait until child or timer ends; true if the child did (its status in *st). */
static bool
child_first(int child, int timer, int *st)
{
	for (;;) {
		int s, pid = (int)__sys_wait(&s);
		if (pid < 0 || pid == timer)
			return false;
		if (pid == child) {
			*st = s;
			return true;
		}
	}
}

static void
stop_timer(int timer)
{
	int s;

	__sys_kill(timer);
	for (;;) {
		int pid = (int)__sys_wait(&s);
		if (pid < 0 || pid == timer)
			break;
	}
}

/* ------------------------------------------------------------ reporting */

static void
print_call(const char *what, long batch, const struct record *r)
{
	char line[200];

	char name[sizeof(r->name) + 1] = { 0 };

	memcpy(name, r->name, sizeof(r->name));
	format_call(line, sizeof(line), (int)r->index, name, &r->c);
	printf("fuzz: %s: seed %lu worker %d batch %ld call %s\n", what,
	       (unsigned long)opt.seed, worker_no, batch, line);
}

static void
print_replay(long batch)
{
	char skip[200] = "";
	int n = 0;

	for (const struct skip_name *s = skip_names; s->name; s++)
		if ((opt.skip & s->bit) && n < (int)sizeof(skip))
			n += snprintf(skip + n, sizeof(skip) - n, "%s%s", n ? "," : " skip=", s->name);
	printf("fuzz: replay: fuzz %sseed=%lu k=%d worker=%d batch=%ld%s verbose\n",
	       opt.linux ? "linux " : "", (unsigned long)opt.seed, opt.k, worker_no, batch, skip);
}

/*
 * Read the child's records: all of them once every writer is gone, or
 * what is there now (the child is stuck: one read returns it all).
 * Returns how many records there are.
 */
static int
read_records(int fd, bool all)
{
	char *buf = (char *)recs;
	long got = 0, n;

	while (got < (long)sizeof(recs) &&
	       (n = __sys_read(fd, buf + got, (long)sizeof(recs) - got)) > 0) {
		got += n;
		if (!all)
			break;
	}
	return (int)(got / (long)sizeof(struct record));
}

/* Count the calls; report the failures.  Returns the failures. */
static int
judge(long batch, int n, struct worker_summary *sum, const struct record **last)
{
	int failures = 0;

	*last = NULL;
	for (int i = 0; i < n; i++) {
		const struct record *r = &recs[i];
		if (r->kind == REC_CALL) {
			sum->calls++;
			*last = r;
		} else if (r->kind == REC_FAIL) {
			char what[160];
			snprintf(what, sizeof(what), "FAIL (%s; result %ld)", why_text(r->why),
				 (long)r->result);
			print_call(what, batch, r);
			failures++;
		}
	}
	if (failures)
		print_replay(batch);
	return failures;
}

/* ----------------------------------------------------------------- batch */

/* n more children killed at the deadline in the call named name. */
void
count_deadline(struct worker_summary *sum, const char *name, long n)
{
	int i = 0;

	while (i < DEADLINE_NAMES - 1 && sum->deadline_in[i].n &&
	       strncmp(sum->deadline_in[i].name, name, sizeof(sum->deadline_in[i].name)) != 0)
		i++;
	if (!sum->deadline_in[i].n)
		memcpy(sum->deadline_in[i].name, i < DEADLINE_NAMES - 1 ? name : "other",
		       sizeof(sum->deadline_in[i].name));
	sum->deadline_in[i].n += n;
}

/* Run one batch.  The problems found (0: none). */
static int
run_batch(long batch, struct worker_summary *sum)
{
	int pp[2], st = 0;
	const struct record *last;

	if (pipe_retry(pp) < 0) {
		printf("fuzz: FAIL: worker %d: pipe keeps failing (batch %ld)\n", worker_no, batch);
		return 1;
	}
	int child = fork_retry();
	if (child == 0) {
		__sys_close(pp[0]);
		if (opt.linux)
			linux_batch(worker_no, batch, pp[1]);
		child_main(worker_no, batch, pp[1]);
	}
	__sys_close(pp[1]);
	if (opt.trace && child > 0)
		printf("fuzz: w%d b%ld pid %d\n", worker_no, batch, child);
	int timer = child > 0 ? start_timer(opt.deadline) : -1;
	if (child < 0 || timer < 0) {
		printf("fuzz: FAIL: worker %d: fork keeps failing (batch %ld)\n", worker_no, batch);
		__sys_close(pp[0]);
		return 1;
	}
	sum->batches++;
	bool timed_out = !child_first(child, timer, &st);
	if (!timed_out) {
		stop_timer(timer);
	} else {
		sum->deadline_kills++;
		__sys_kill(child);
		int grace = start_timer(GRACE_TICKS);
		if (!child_first(child, grace, &st)) {
			int n = read_records(pp[0], false);
			judge(batch, n, sum, &last);
			printf("fuzz: FAIL (hang): worker %d batch %ld: pid %d did not end %d s after "
			       "it was killed\n", worker_no, batch, child, GRACE_TICKS / 100);
			if (last)
				print_call("FAIL (hang) in", batch, last);
			print_replay(batch);
			return 1000;    /* do not go on: the child is still there */
		}
		stop_timer(grace);
		st = 0;
	}
	if (st == -1)
		sum->faulted++;
	int n = read_records(pp[0], true);
	__sys_close(pp[0]);
	if (opt.linux && n == 0 && st == 4) {
		printf("fuzz: FAIL: worker %d: cannot run %s\n", worker_no, LINUX_BATCH);
		return 1000;
	}
	int failures = judge(batch, n, sum, &last);
	if (timed_out && last)
		count_deadline(sum, last->name, 1);
	return failures;
}

/* ---------------------------------------------------------------- worker */

int
worker_setup_dir(char *out, int size)
{
	snprintf(dir, sizeof(dir), "/tmp/fuzz-%d", ugetpid());
	snprintf(out, size, "%s", dir);
	return make_dir();
}

/*
 * Run batches until quota calls are made (or, replaying, the one batch).
 * Returns the problems found; *sum says what happened.
 */
int
worker_main(int worker, long quota, struct worker_summary *sum)
{
	char d[64];
	int failures = 0;
	long max_batches = 4 * (quota / opt.k) + 20;

	worker_no = worker;
	memset(sum, 0, sizeof(*sum));
	if (worker_setup_dir(d, sizeof(d)) < 0) {
		printf("fuzz: FAIL: worker %d cannot make its folder %s\n", worker, d);
		return 1;
	}
	gen_set_dir(d);
	if (opt.only_batch >= 0) {
		/* from the reset before it, so the folder holds what it held then */
		bool verbose = opt.verbose;
		long first = opt.reset > 0 ? opt.only_batch - opt.only_batch % opt.reset : 0;
		for (long b = first; b <= opt.only_batch && failures < 1000; b++) {
			opt.verbose = verbose && b == opt.only_batch;
			failures += run_batch(b, sum);
		}
	} else {
		for (long b = 0; sum->calls < quota && b < max_batches && failures < 1000; b++) {
			failures += run_batch(b, sum);
			if (opt.reset > 0 && (b + 1) % opt.reset == 0)
				reset_dir();
		}
	}
	if (failures < 1000) {
		__sys_chdir("/tmp");
		rm_tree(dir + 5);
	}
	return failures;
}
