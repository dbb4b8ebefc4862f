/*
 * stress [seed=N] [iters=M] [procs=P] [name...]: the multi-hart stress
 * test (see stress.h).  Prints the seed and options first, "PASS name" or
 * "FAIL name" per test, "stress: N passed, M failed", and then the
 * free-page count before and after the whole run.
 *
 *   cow_migrate   M rounds of fork, read, write, read, across harts
 *   exec_migrate  M/2 rounds of write, read, exec, read, across harts
 *   unmap_migrate M/2 rounds of write, read, sbrk(-n) / munmap / MAP_FIXED,
 *                 read the fresh memory there, across harts
 *   bits_migrate  M/2 rounds of write, msync or pgaccess, write, check the
 *                 dirty or accessed bits, across harts (msync needs /tmp)
 *   mix           P root workers of M steps each: fork, copy-on-write,
 *                 sbrk, exec, pipes, kill
 *   oom_storm     copy-on-write of superpage heaps shared by 42 children
 *                 runs memory out on every hart (t_storm.c)
 *
 * Helper modes, exec'd by the tests:
 *   stress --exit N              exit with status N at once
 *   stress --mix-resume ...      an exec'd mix worker (t_mix.c)
 *   stress --exec-fresh ...      an exec_migrate new image (t_exec_migrate.c)
 */
#include "stress.h"

static const struct test_group groups[] = {
	{ "migrate", tests_migrate, false },
	{ "mix", tests_mix, false },
	{ "storm", tests_storm, false },
	{ NULL, NULL, false },
};

/* The helper modes; -1 if argv names none. */
static int
helper_mode(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "--exit") == 0)
		return atoi(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "--mix-resume") == 0)
		return mix_exec_resume(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--exec-fresh") == 0)
		return exec_fresh_resume(argc, argv);
	return -1;
}

static void
parse_options(int argc, char *argv[])
{
	opt.iters = 200;
	opt.procs = 5;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "seed=", 5) == 0)
			opt.seed = strtoull(argv[i] + 5, NULL, 10);
		else if (strncmp(argv[i], "iters=", 6) == 0)
			opt.iters = atoi(argv[i] + 6);
		else if (strncmp(argv[i], "procs=", 6) == 0)
			opt.procs = atoi(argv[i] + 6);
	}
	if (opt.iters < 1)
		opt.iters = 1;
	if (opt.procs < 1)
		opt.procs = 1;
}

/*
 * Free pages once everything has settled: orphans are reaped by init a
 * moment after they exit, and an idle hart lets go of the last table it
 * ran after a tick.
 */
static uint64_t
settled_free_pages(uint64_t want)
{
	uint64_t n = free_pages();

	for (int i = 0; i < 100 && n < want; i++) {
		sleep_ticks(1);
		n = free_pages();
	}
	return n;
}

int
main(int argc, char *argv[])
{
	static const struct test_program stress = { "stress", groups, NULL };
	int helper = helper_mode(argc, argv);

	if (helper >= 0)
		return helper;
	parse_options(argc, argv);
	struct sysinfo si = info();
	printf("stress: seed %lu, iters %d, procs %d, %lu harts, design%s%s\n",
	       (unsigned long)opt.seed, opt.iters, opt.procs, (unsigned long)si.ncpu,
	       si.design & DESIGN_LAZY ? " lazy" : " eager",
	       si.design & DESIGN_COW ? " cow" : " copying-fork");
	uint64_t before = free_pages();
	int status = run_tests(&stress, argc, argv);
	uint64_t after = settled_free_pages(before);
	printf("stress: free pages %lu before, %lu after: %s\n", (unsigned long)before,
	       (unsigned long)after, after >= before ? "restored" : "LEAKED");
	return status || after < before;
}
