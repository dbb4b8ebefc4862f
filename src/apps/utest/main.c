/*
 * utest [name...]: run the core tests (all, or those whose names contain
 * one of the arguments).  Prints "PASS name" or "FAIL name" per test and
 * "utest: N passed, M failed" at the end; exits 1 if any failed.
 */
#include <stdarg.h>
#include "utest.h"

static const char *current;

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

	if (sysinfo(&si) < 0) {
		printf("utest: sysinfo failed\n");
		exit(2);
	}
	return si;
}

uint64_t
free_pages(void)
{
	return info().free_pages;
}

int
run_in_child(void (*fn)(void))
{
	int status;
	int pid = fork();

	if (pid < 0)
		fail("fork failed");
	if (pid == 0) {
		fn();
		exit(0);
	}
	if (wait(&status) != pid)
		fail("wait did not return the child");
	return status;
}

/*
 * Free pages once the system has settled: a child reparented to init is
 * reaped a moment later, so wait (a few ticks at most) for the count to
 * come back.
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
selected(const char *name, int argc, char *argv[])
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return true;
	return false;
}

static const struct test *const groups[] = {
	tests_syscall, tests_proc, tests_memory, tests_vdso, tests_pipe,
};

int
main(int argc, char *argv[])
{
	int passed = 0, failed = 0;

	for (unsigned g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct test *t = groups[g]; t->name; t++) {
			if (!selected(t->name, argc, argv))
				continue;
			current = t->name;
			uint64_t before = free_pages();
			int status = run_in_child(t->fn);
			uint64_t after = settled_free_pages(before);
			bool ok = status == 0;
			/* a hart may still hold a page of a process that ran before
			 * `before` was read: only missing pages are a leak */
			if (ok && after < before) {
				printf("  %s: free pages %lu before, %lu after\n", t->name,
				       (unsigned long)before, (unsigned long)after);
				ok = false;
			} else if (status != 0 && status != 1) {
				printf("  %s: test exited with status %d\n", t->name, status);
			}
			printf("%s %s\n", ok ? "PASS" : "FAIL", t->name);
			ok ? passed++ : failed++;
		}
	}
	printf("utest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
