/*
 * The runner of Canopy's own xv6-api test programs (xv6usertests,
 * xv6labtests, xv6test, xv6fstest, xv6lazysbrk), in libxv6
 * (src/ulib/xv6/testing.c).  It prints "PASS name" or "FAIL name" per
 * test, the reasons on indented lines before, and "<program>: N passed,
 * M failed" last: the lines tests/harness.py reads.
 *
 * Stock xv6 programs link with the same library and define what they
 * like (report, run, freemem, passed...): every name the runner defines
 * starts with xv6t_, so that none can clash with theirs.  Stock programs
 * never include this header.
 */
#ifndef XV6TESTING_H
#define XV6TESTING_H

#include "kernel/types.h"

/* A test run in a child of its own: it passes if the child exits with status 0. */
struct xv6t_test {
	char *name;
	void (*fn)(void);
	int slow;               /* left out after xv6t_skip_slow(), as stock usertests -q does */
};

/* A check run in the runner's own process: it passes if fn returns nonzero. */
struct xv6t_check {
	char *name;
	int (*fn)(void);
};

/* In a test: say why (an indented line, which the harness keeps) and fail. */
#define FAIL(...) do { printf("  " __VA_ARGS__); printf("\n"); exit(1); } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* Run only the tests argv names (argv[0] is the program); none named: all. */
void xv6t_select(int argc, char *argv[]);
int xv6t_wanted(char *name);
void xv6t_skip_slow(void);

void xv6t_run_tests(struct xv6t_test *tests);  /* each wanted one; ends at name 0 */
void xv6t_run(char *name, void (*fn)(void));
void xv6t_run_checks(struct xv6t_check *checks);
void xv6t_report(char *name, int ok);
/* Print the summary line under the program's name and exit: 1 if anything failed. */
void xv6t_exit(char *program) __attribute__((noreturn));

uint64 xv6t_freemem(void);      /* sysinfo's free bytes */
int xv6t_countfree(void);       /* stock usertests' countfree(): pages eager sbrk can take */
/* Report name, if wanted: at least `before` pages free again (xv6t_countfree). */
void xv6t_no_pages_lost(char *name, int before);
/* Write the stack pages a test may use below its frame (see testing.c). */
void xv6t_warm_stack(void);

#endif
