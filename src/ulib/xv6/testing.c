/*
 * The runner of Canopy's xv6-api test programs (see xv6testing.h).  It is
 * an object of its own in libxv6: a stock program never uses an xv6t_
 * name, so the linker never pulls it in there.
 */
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/sysinfo.h"
#include "user/user.h"
#include "xv6testing.h"

static int passed, failed;
static int skip_slow;
static int chosen_argc;
static char **chosen_argv;

void
xv6t_select(int argc, char *argv[])
{
	chosen_argc = argc;
	chosen_argv = argv;
}

int
xv6t_wanted(char *name)
{
	if (chosen_argc < 2)
		return 1;
	for (int i = 1; i < chosen_argc; i++)
		if (strcmp(chosen_argv[i], name) == 0)
			return 1;
	return 0;
}

void
xv6t_skip_slow(void)
{
	skip_slow = 1;
}

void
xv6t_report(char *name, int ok)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	if (ok)
		passed++;
	else
		failed++;
}

/* In a child: what a test does to its memory, the runner and the next test never see. */
void
xv6t_run(char *name, void (*fn)(void))
{
	int pid = fork(), status = -2;

	if (pid == 0) {
		fn();
		exit(0);
	}
	if (pid < 0)
		printf("  fork failed\n");
	else
		wait(&status);
	if (status != 0 && pid > 0)
		printf("  exit status %d\n", status);
	xv6t_report(name, status == 0);
}

void
xv6t_run_tests(struct xv6t_test *t)
{
	for (; t->name; t++)
		if (xv6t_wanted(t->name) && !(skip_slow && t->slow))
			xv6t_run(t->name, t->fn);
}

/*
 * In the runner's process: some checks look at what a fresh process has
 * (xv6test's stack, which a child would share copy-on-write).
 */
void
xv6t_run_checks(struct xv6t_check *c)
{
	for (; c->name; c++)
		if (xv6t_wanted(c->name))
			xv6t_report(c->name, c->fn());
}

void
xv6t_exit(char *program)
{
	printf("%s: %d passed, %d failed\n", program, passed, failed);
	exit(failed ? 1 : 0);
}

uint64
xv6t_freemem(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		FAIL("sysinfo failed");
	return si.freemem;
}

/*
 * A child takes pages with eager sbrk, one at a time and each written,
 * until sbrk fails, and reports them through a pipe: the count, as stock
 * usertests' countfree() takes it.  The memory comes back when the child
 * exits.
 */
int
xv6t_countfree(void)
{
	int fds[2], n = 0;
	char c;

	if (pipe(fds) < 0)
		FAIL("pipe failed");
	int pid = fork();
	if (pid < 0)
		FAIL("fork failed");
	if (pid == 0) {
		close(fds[0]);
		for (;;) {
			char *a = sbrk(PGSIZE);
			if (a == SBRK_ERROR)
				break;
			a[PGSIZE - 1] = 1;
			if (write(fds[1], "x", 1) != 1)
				exit(1);
		}
		exit(0);
	}
	close(fds[1]);
	while (read(fds[0], &c, 1) == 1)
		n++;
	close(fds[0]);
	wait(0);
	return n;
}

/* A count of a few pages would mean countfree itself went wrong. */
void
xv6t_no_pages_lost(char *name, int before)
{
	if (!xv6t_wanted(name))
		return;
	int after = xv6t_countfree();

	if (after < before)
		printf("  %d pages free before the tests, %d after\n", before, after);
	xv6t_report(name, after >= before && before > 1000);
}

/*
 * A test in a child shares the runner's stack pages copy-on-write; one
 * first written when memory has run out would need a page there is none
 * of, and one written while a test counts free memory would move the
 * count.
 */
void
xv6t_warm_stack(void)
{
	volatile char pad[12 * 1024];

	for (int i = 0; i < (int)sizeof(pad); i += 512)
		pad[i] = 0;
}
