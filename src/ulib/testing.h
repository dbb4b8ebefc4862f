/*
 * The runner shared by Canopy's in-guest test programs (utest, vmtest,
 * fstest).  Each test runs in a forked child; the runner compares the
 * free-page count before and after, so a test also fails if it leaks, and
 * prints "PASS name" or "FAIL name" per test (the reasons on indented
 * lines before it) and "<program>: N passed, M failed" at the end, which
 * is what tests/harness.py reads.
 */
#ifndef TESTING_H
#define TESTING_H

#include <stdbool.h>
#include <stdint.h>
#include "canopy.h"

struct test {
	const char *name;
	void (*fn)(void);
};

struct test_group {
	const char *name;
	const struct test *tests;       /* ends with name == NULL */
	bool on_request;                /* runs only when named on the command line */
};

struct test_program {
	const char *name;
	const struct test_group *groups;        /* ends with tests == NULL */
	/* After each test, in the parent: true (with a reason printed) fails it. */
	bool (*left_behind)(const struct test *t);
};

/*
 * Run the tests argv selects: a word naming a group runs it, "all" runs
 * every group not on request, any other word runs the tests whose names
 * contain it; words with '=' are options for the program, not selections.
 * No selecting word: every group not on request.  Returns the exit status.
 */
int run_tests(const struct test_program *prog, int argc, char *argv[]);

/* In a test: print why (prefixed with the test's name) and end the child. */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define expect(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

struct sysinfo info(void);
uint64_t free_pages(void);
int run_in_child(void (*fn)(void));     /* fn in a child; its status (-1 if killed) */
int xfork(void);                        /* fork, or fail the test (never wait for a child never made) */
int wait_for(int pid);                  /* that child's status, whatever order they end in */

#endif
