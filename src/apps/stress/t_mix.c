/*
 * mix: a seeded random mix over many processes at once.  `procs` root
 * workers each take `iters` steps, drawn from: copy-on-write rounds (read
 * all, maybe pause, write some, maybe pause, read all), checks, sbrk up
 * (new pages read zero) and down (and up again: zero again), forks of
 * further workers, of producers that send a checked stream through a
 * pipe, and of children that exec a small program with a known exit
 * status; draining and reaping those children (each status checked:
 * theirs, or -1 if we killed them), killing them, exec of this program
 * with the worker's state in argv (checked, with the fresh image's data,
 * bss and heap, by the new image), pauses that let the harts move the
 * processes around, and early exits that leave children to init.
 *
 * Every word read is checked against the model (model.c): the heap
 * region, a bss region and initialised data words, all shared
 * copy-on-write with every child forked since they were last written.
 */
#include <signal.h>
#include "stress.h"

enum {
	MIX_MAX_PAGES = 24,     /* heap pages a worker holds at most */
	MAX_DEPTH = 2,          /* worker generations below a root */
	MAX_KIDS = 2,           /* children alive per worker */
	MAX_RECORDS = 48,       /* records one producer sends (often more than a pipe holds) */
	BSS_PAGES = 2,
	DATA_WORDS = 8,
	MAX_PAYLOAD_ARGS = 6,
};

enum kid_kind { KID_WORKER, KID_PRODUCER, KID_PROGRAM };

static const char *const kind_name[] = { "worker", "producer", "program" };

struct kid {
	int pid;
	enum kid_kind kind;
	bool killed;
	int want;                       /* exit status, unless killed */
	int records;                    /* producers: how many they send */
	struct stream_reader sr;
};

static struct worker {
	struct rng rng;
	struct region heap;
	struct region bss;
	uint64_t data_model[DATA_WORDS];
	int depth;
	int steps;
	struct kid kids[MAX_KIDS];
	int nkids;
	struct { int pid, status; } early[MAX_KIDS];    /* reaped while waiting for another */
} w;

/* Zero in a fresh image; modeled like the heap. */
static uint64_t bss_pages[BSS_PAGES][WORDS_PER_PAGE] __attribute__((aligned(PGSIZE)));

/* Initialised data a fresh image must hold before anything writes it. */
#define DATA_INIT(i) (0x5eed0000d0d00000UL + (uint64_t)(i) * 0x1111)
static volatile uint64_t data_words[DATA_WORDS] = {
	DATA_INIT(0), DATA_INIT(1), DATA_INIT(2), DATA_INIT(3),
	DATA_INIT(4), DATA_INIT(5), DATA_INIT(6), DATA_INIT(7),
};

static void
bss_region_init(void)
{
	w.bss.base = (char *)bss_pages;
	w.bss.npages = BSS_PAGES;
	for (int i = 0; i < BSS_PAGES; i++)
		w.bss.stamp[i] = 0;
}

static bool
check_data(void)
{
	for (int i = 0; i < DATA_WORDS; i++)
		if (data_words[i] != w.data_model[i])
			return report("data word %d at %p: expected %#lx, found %#lx", i,
				      (void *)&data_words[i], (unsigned long)w.data_model[i],
				      (unsigned long)data_words[i]);
	return true;
}

static bool
check_everything(void)
{
	bool ok = region_check_all(&w.heap);

	ok &= region_check_all(&w.bss);
	return check_data() && ok;
}

static void
check_everything_step(void)
{
	check_everything();
}

/* ---- children ---- */

/* After a fork, in both processes: the model's pages become ours here (model.c). */
static void
own_model(void)
{
	own_pages(&w, sizeof(w));
}

/* In a new child: close what belongs to the parent's children. */
static void
drop_parents_kids(void)
{
	for (int i = 0; i < w.nkids; i++)
		if (w.kids[i].kind == KID_PRODUCER)
			close(w.kids[i].sr.fd);
	w.nkids = 0;
	for (int i = 0; i < MAX_KIDS; i++)
		w.early[i].pid = 0;
}

static struct kid *
add_kid(int pid, enum kid_kind kind, int want)
{
	struct kid *k = &w.kids[w.nkids++];

	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->kind = kind;
	k->want = want;
	return k;
}

/* The status of child pid, whatever order the children end in. */
static int
reap_status(int pid)
{
	int status;

	for (int i = 0; i < MAX_KIDS; i++) {
		if (w.early[i].pid == pid) {
			w.early[i].pid = 0;
			return w.early[i].status;
		}
	}
	for (;;) {
		int got = wait(&status);
		if (got < 0) {
			report("wait failed while waiting for child %d", pid);
			return -1000;
		}
		if (got == pid)
			return status;
		int i = 0;
		while (i < MAX_KIDS && w.early[i].pid)
			i++;
		if (i == MAX_KIDS) {
			report("wait returned %d, not one of our children", got);
			continue;
		}
		w.early[i].pid = got;
		w.early[i].status = status;
	}
}

/* Drain (a producer), reap and check child i, and forget it. */
static void
finish_kid(int i)
{
	struct kid *k = &w.kids[i];

	if (k->kind == KID_PRODUCER) {
		stream_consume(&k->sr, &w.rng, k->killed);
		if (!k->killed && k->sr.next_seq != (uint32_t)k->records)
			report("pipe stream %u: %u records, expected %d", k->sr.stream,
			       k->sr.next_seq, k->records);
		close(k->sr.fd);
		counts.pipe_bytes += k->sr.bytes;
	}
	int status = reap_status(k->pid);
	if (status != k->want && !(k->killed && status == -1))
		report("%s child %d exited with %d, expected %d%s", kind_name[k->kind], k->pid,
		       status, k->want, k->killed ? " or -1 (killed)" : "");
	w.kids[i] = w.kids[--w.nkids];
}

/* Producers first: a worker never waits on a child that waits for it. */
static void
finish_all_kids(void)
{
	for (int i = w.nkids - 1; i >= 0; i--)
		if (w.kids[i].kind == KID_PRODUCER)
			finish_kid(i);
	while (w.nkids > 0)
		finish_kid(w.nkids - 1);
}

static void
become_worker(uint64_t seed, int depth, int steps)
{
	model_start_process();
	rng_seed(&w.rng, seed);
	w.depth = depth;
	w.steps = steps;
}

static void
spawn_worker(void)
{
	if (w.depth >= MAX_DEPTH || w.nkids >= MAX_KIDS)
		return;
	uint64_t seed = rng_next(&w.rng);
	int pid = fork();
	if (pid < 0)
		return;                 /* no free slot or memory: not an error */
	own_model();
	if (pid == 0) {
		drop_parents_kids();
		become_worker(seed, w.depth + 1, w.steps / 2);
		return;                 /* the child goes on with the loop */
	}
	counts.forks++;
	add_kid(pid, KID_WORKER, 0);
}

static void
spawn_producer(void)
{
	int fds[2];

	if (w.nkids >= MAX_KIDS || pipe(fds) < 0)
		return;
	uint64_t seed = rng_next(&w.rng);
	uint32_t stream = (uint32_t)rng_next(&w.rng) & 0xfffff;
	int records = 1 + (int)rng_below(&w.rng, MAX_RECORDS);
	int pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	own_model();
	if (pid == 0) {
		close(fds[0]);
		drop_parents_kids();
		become_worker(seed, w.depth + 1, 0);
		bool ok = check_everything();  /* the parent's pages, shared */
		stream_produce(fds[1], stream, &w.rng, records);
		leave(ok && !errors_seen() ? 0 : EXIT_FOUND_ERROR);
	}
	close(fds[1]);
	counts.forks++;
	struct kid *k = add_kid(pid, KID_PRODUCER, 0);
	k->records = records;
	k->sr.fd = fds[0];
	k->sr.stream = stream;
}

/* A child that execs a small program whose exit status we know. */
static void
spawn_program(void)
{
	if (w.nkids >= MAX_KIDS)
		return;
	bool use_true = rng_below(&w.rng, 3) == 0;
	int status = use_true ? 0 : (int)rng_below(&w.rng, 100);
	int pid = fork();
	if (pid < 0)
		return;
	own_model();
	if (pid == 0) {
		char num[12];
		drop_parents_kids();
		model_start_process();
		snprintf(num, sizeof(num), "%d", status);
		char *true_argv[] = { "true", NULL };
		char *exit_argv[] = { "stress", "--exit", num, NULL };
		exec(use_true ? "true" : "stress", use_true ? true_argv : exit_argv);
		report("exec of %s failed", use_true ? "true" : "stress --exit");
		leave(EXIT_FOUND_ERROR);
	}
	counts.execs++;
	add_kid(pid, KID_PROGRAM, status);
}

static void
kill_kid(void)
{
	if (w.nkids == 0)
		return;
	int i = (int)rng_below(&w.rng, (uint64_t)w.nkids);
	struct kid *k = &w.kids[i];
	if (k->killed)
		return;
	/* refused only if it has exited already (Canopy kills no zombie): then its own status */
	k->killed = kill(k->pid, SIGKILL) == 0;
	counts.kills += k->killed;
	if (rng_below(&w.rng, 2))
		finish_kid(i);
}

/* ---- memory ---- */

static void
pause_briefly(void)
{
	if (rng_below(&w.rng, 2))
		sleep_ticks(1);
	else
		spin_us(rng_below(&w.rng, 2000));
}

/* Read everything, write some pages, read everything: copy-on-write breaks. */
static void
cow_round(void)
{
	check_everything();
	if (rng_below(&w.rng, 2))
		pause_briefly();
	int n = w.heap.npages ? 1 + (int)rng_below(&w.rng, (uint64_t)w.heap.npages) : 0;
	for (int i = 0; i < n; i++)
		region_write(&w.heap, (int)rng_below(&w.rng, (uint64_t)w.heap.npages));
	if (rng_below(&w.rng, 4) == 0)
		region_write(&w.bss, (int)rng_below(&w.rng, BSS_PAGES));
	if (rng_below(&w.rng, 2))
		pause_briefly();
	check_everything();
}

static void
grow_and_touch(void)
{
	int n = 1 + (int)rng_below(&w.rng, 8);

	if (w.heap.npages + n > MIX_MAX_PAGES)
		n = MIX_MAX_PAGES - w.heap.npages;
	int first = w.heap.npages;
	if (n <= 0 || !region_grow(&w.heap, n))
		return;
	for (int i = first; i < w.heap.npages; i++)
		if (rng_below(&w.rng, 2))
			region_write(&w.heap, i);
	region_check_all(&w.heap);
}

/* sbrk down, and sometimes straight up again: those pages must read zero. */
static void
shrink_maybe_regrow(void)
{
	int n = (int)rng_below(&w.rng, (uint64_t)w.heap.npages + 1);

	if (!region_shrink(&w.heap, n))
		return;
	if (rng_below(&w.rng, 2) && region_grow(&w.heap, n))
		region_check_all(&w.heap);
}

static void
scribble_data(void)
{
	int i = (int)rng_below(&w.rng, DATA_WORDS);

	check_data();
	w.data_model[i] = rng_next(&w.rng);
	data_words[i] = w.data_model[i];
}

/* ---- exec ---- */

static char
payload_char(uint64_t seed, int arg, int i)
{
	struct rng r;

	rng_seed(&r, seed + (uint64_t)arg * 1000003 + (uint64_t)i);
	return (char)(33 + rng_below(&r, 94));
}

static int
payload_len(uint64_t seed, int arg)
{
	return 1 + (int)((seed >> (arg * 7)) % 200);
}

/*
 * Replace this image with a new one of the same program, the worker's
 * state in argv with payload arguments the new image checks.  Only with
 * no children: their records and statuses would be lost.
 */
static void
exec_self(void)
{
	static char payload[MAX_PAYLOAD_ARGS][208];
	char rng_s[24], steps_s[12], depth_s[12], fd_s[12], seed_s[24], count_s[12];
	char *argv[8 + MAX_PAYLOAD_ARGS + 1];    /* and the NULL */

	if (w.nkids > 0)
		return;
	uint64_t pseed = rng_next(&w.rng);
	int count = 1 + (int)rng_below(&w.rng, MAX_PAYLOAD_ARGS);
	snprintf(rng_s, sizeof(rng_s), "%lu", (unsigned long)rng_next(&w.rng));
	snprintf(steps_s, sizeof(steps_s), "%d", w.steps);
	snprintf(depth_s, sizeof(depth_s), "%d", w.depth);
	snprintf(fd_s, sizeof(fd_s), "%d", opt.report_fd);
	snprintf(seed_s, sizeof(seed_s), "%lu", (unsigned long)pseed);
	snprintf(count_s, sizeof(count_s), "%d", count);
	int n = 0;
	argv[n++] = "stress";
	argv[n++] = "--mix-resume";
	argv[n++] = rng_s;
	argv[n++] = steps_s;
	argv[n++] = depth_s;
	argv[n++] = fd_s;
	argv[n++] = seed_s;
	argv[n++] = count_s;
	for (int a = 0; a < count; a++) {
		int len = payload_len(pseed, a);
		for (int i = 0; i < len; i++)
			payload[a][i] = payload_char(pseed, a, i);
		payload[a][len] = 0;
		argv[n++] = payload[a];
	}
	argv[n] = NULL;
	counts.execs++;
	counts_send();
	exec("stress", argv);
	report("exec of stress --mix-resume failed");
}

/* The new image: argv as sent, data as initialised, bss zero. */
static bool
check_fresh_image(int argc, char *argv[], uint64_t pseed, int count)
{
	if (argc != 8 + count)
		return report("exec: %d arguments, expected %d", argc, 8 + count);
	for (int a = 0; a < count; a++) {
		const char *s = argv[8 + a];
		int len = payload_len(pseed, a);
		for (int i = 0; i <= len; i++) {
			char want = i < len ? payload_char(pseed, a, i) : 0;
			if (s[i] != want)
				return report("exec: argument %d byte %d at %p is %#x, "
					      "expected %#x", 8 + a, i, (void *)&s[i],
					      (unsigned char)s[i], (unsigned char)want);
		}
	}
	for (int i = 0; i < DATA_WORDS; i++)
		w.data_model[i] = DATA_INIT(i);
	bss_region_init();
	return check_everything();
}

/* ---- the worker ---- */

static void
drain_a_producer(void)
{
	for (int i = 0; i < w.nkids; i++) {
		if (w.kids[i].kind == KID_PRODUCER) {
			finish_kid(i);
			return;
		}
	}
}

static void
reap_a_kid(void)
{
	if (w.nkids)
		finish_kid((int)rng_below(&w.rng, (uint64_t)w.nkids));
}

/* Exit early (not a root): our children go to init. */
static void
exit_early(void)
{
	if (w.depth == 0)
		return;
	check_everything();
	leave(errors_seen() ? EXIT_FOUND_ERROR : 0);
}

/* The steps and their weights. */
static const struct {
	void (*fn)(void);
	int weight;
} steps[] = {
	{ cow_round, 18 },
	{ check_everything_step, 6 },
	{ grow_and_touch, 9 },
	{ shrink_maybe_regrow, 8 },
	{ spawn_worker, 9 },
	{ spawn_producer, 8 },
	{ drain_a_producer, 5 },
	{ kill_kid, 6 },
	{ reap_a_kid, 6 },
	{ spawn_program, 5 },
	{ exec_self, 3 },
	{ scribble_data, 5 },
	{ pause_briefly, 9 },
	{ exit_early, 1 },
};

static void
step(void)
{
	int total = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		total += steps[i].weight;
	int r = (int)rng_below(&w.rng, (uint64_t)total);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (r < steps[i].weight) {
			steps[i].fn();
			return;
		}
		r -= steps[i].weight;
	}
}

/* Run the remaining steps, check, reap every child and exit. */
static void __attribute__((noreturn))
worker_run(void)
{
	while (w.steps > 0) {
		w.steps--;
		step();
	}
	check_everything();
	finish_all_kids();
	leave(errors_seen() ? EXIT_FOUND_ERROR : 0);
}

static void __attribute__((noreturn))
mix_root(uint64_t seed)
{
	become_worker(seed, 0, opt.iters);
	w.nkids = 0;
	for (int i = 0; i < DATA_WORDS; i++)
		w.data_model[i] = data_words[i];
	bss_region_init();
	region_start(&w.heap);
	worker_run();
}

/* stress --mix-resume RNG STEPS DEPTH ERRFD PSEED COUNT PAYLOAD...: an exec'd worker. */
int
mix_exec_resume(int argc, char *argv[])
{
	if (argc < 8)
		return 2;
	opt.report_fd = atoi(argv[5]);
	become_worker(strtoull(argv[2], NULL, 10), atoi(argv[4]), atoi(argv[3]));
	w.nkids = 0;
	check_fresh_image(argc, argv, strtoull(argv[6], NULL, 10), atoi(argv[7]));
	region_start(&w.heap);
	worker_run();
}

static void
mix(void)
{
	int roots[64];
	int n = opt.procs < 64 ? opt.procs : 64;

	channel_open();
	struct sysinfo before = info();
	uint64_t t0 = uptime_ns();
	int first_pid = 0, last_pid = 0;
	for (int i = 0; i < n; i++) {
		uint64_t seed = opt.seed * 0x9e3779b97f4a7c15UL + 1000 + (uint64_t)i;
		roots[i] = fork();
		expect(roots[i] >= 0, "fork of root worker %d failed", i);
		if (roots[i] == 0) {
			channel_drop_reader();
			mix_root(seed);
		}
		if (i == 0)
			first_pid = roots[i];
	}
	int bad_roots = 0;
	for (int i = 0; i < n; i++) {
		int status = wait_for(roots[i]);
		if (status != 0) {
			printf("  mix: root worker %d exited with %d\n", roots[i], status);
			bad_roots++;
		}
	}
	struct counts c;
	int errors = channel_close(&c);         /* waits for orphans too */
	last_pid = fork();
	if (last_pid == 0)
		exit(0);
	wait_for(last_pid);
	struct sysinfo after = info();
	printf("  mix: seed %lu: %d roots x %d steps, %d processes (%lu forks, %lu execs, "
	       "%lu kills), %lu pipe bytes, %lu sbrk moves, %lu words checked (%lu zero pages), "
	       "%lu faults, %lu copy-on-write copies, %lu ms\n",
	       (unsigned long)opt.seed, n, opt.iters, last_pid - first_pid,
	       (unsigned long)c.forks, (unsigned long)c.execs, (unsigned long)c.kills,
	       (unsigned long)c.pipe_bytes, (unsigned long)c.sbrk_moves,
	       (unsigned long)c.words_checked, (unsigned long)c.zero_checks,
	       (unsigned long)(after.page_faults - before.page_faults),
	       (unsigned long)(after.cow_copies - before.cow_copies),
	       (unsigned long)((uptime_ns() - t0) / 1000000));
	expect(errors == 0 && bad_roots == 0,
	       "seed %lu: %d errors reported, %d root workers failed",
	       (unsigned long)opt.seed, errors, bad_roots);
}

const struct test tests_mix[] = {
	{ "mix", mix },
	{ NULL, NULL },
};
