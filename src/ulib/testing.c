/* The in-guest test runner (see testing.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "testing.h"

static const char *current = "test";

void
fail(const char *fmt, ...)
{
	va_list ap;

	printf("  %s: ", current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

struct sysinfo
info(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		fail("sysinfo failed");
	return si;
}

/*
 * The free-page count, with the page cache emptied of what nothing maps
 * (programs run and files mapped leave their pages there, which memory
 * pressure would give back).  Asked twice: the first answer's copyout may
 * itself copy a stack page still shared copy-on-write, after the count
 * was taken.
 */
uint64_t
free_pages(void)
{
	selftest(SELFTEST_DROP_CACHES, 0);
	info();
	return info().free_pages;
}

/* Children reaped while waiting for another, with their statuses. */
static struct { int pid, status; } early[16];

/*
 * Under fault injection fork fails; a test that went on would wait for a
 * child that does not exist (a read of a pipe only it would write) until
 * its timeout.
 */
int
xfork(void)
{
	int pid = fork();

	expect(pid >= 0, "fork failed");
	return pid;
}

int
wait_for(int pid)
{
	int status;

	expect(pid > 0, "fork failed");
	for (unsigned i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		if (early[i].pid == pid) {
			early[i].pid = 0;
			return early[i].status;
		}
	}
	for (;;) {
		int got = wait(&status);
		expect(got > 0, "wait failed while waiting for child %d", pid);
		if (got == pid)
			return status;
		unsigned i = 0;
		while (i < sizeof(early) / sizeof(early[0]) && early[i].pid)
			i++;
		expect(i < sizeof(early) / sizeof(early[0]), "too many children");
		early[i].pid = got;
		early[i].status = status;
	}
}

int
run_in_child(void (*fn)(void))
{
	int pid = fork();

	if (pid == 0) {
		fn();
		exit(0);
	}
	return wait_for(pid);
}

/*
 * Free pages once the system has settled: a child reparented to init is
 * reaped a moment later, and a hart lets go of the last table it ran
 * after a tick of idleness, so wait (a few ticks at most) for the count
 * to come back.
 */
static uint64_t
settled_free_pages(uint64_t want)
{
	uint64_t n = free_pages();

	for (int i = 0; i < 50 && n < want; i++) {
		sleep_ticks(1);
		n = free_pages();
	}
	return n;
}

static bool
selected(const struct test_group *g, const char *name, int argc, char *argv[])
{
	bool any = false;

	for (int i = 1; i < argc; i++) {
		if (strchr(argv[i], '='))
			continue;
		any = true;
		if ((g->name && strcmp(argv[i], g->name) == 0) ||
		    (!g->on_request && (strcmp(argv[i], "all") == 0 || strstr(name, argv[i]))))
			return true;
	}
	return !any && !g->on_request;
}

static bool
run_one(const struct test_program *prog, const struct test *t)
{
	current = t->name;
	uint64_t before = free_pages();
	int status = run_in_child(t->fn);
	uint64_t after = settled_free_pages(before);
	bool ok = status == 0;

	/* a hart may still hold a page of a process that ran before `before`
	 * was read: only missing pages are a leak */
	if (ok && after < before) {
		printf("  %s: free pages %lu before, %lu after\n", t->name,
		       (unsigned long)before, (unsigned long)after);
		ok = false;
	} else if (status != 0 && status != 1) {
		printf("  %s: test exited with status %d\n", t->name, status);
	}
	if (prog->left_behind && prog->left_behind(t))
		ok = false;
	printf("%s %s\n", ok ? "PASS" : "FAIL", t->name);
	current = prog->name;
	return ok;
}

int
run_tests(const struct test_program *prog, int argc, char *argv[])
{
	int passed = 0, failed = 0;

	current = prog->name;
	for (const struct test_group *g = prog->groups; g->tests; g++)
		for (const struct test *t = g->tests; t->name; t++)
			if (selected(g, t->name, argc, argv))
				run_one(prog, t) ? passed++ : failed++;
	printf("%s: %d passed, %d failed\n", prog->name, passed, failed);
	return failed ? 1 : 0;
}
