/*
 * utest [name...]: run the core tests (all, or those whose names contain
 * one of the arguments).  Prints "PASS name" or "FAIL name" per test and
 * "utest: N passed, M failed" at the end; exits 1 if any failed.
 */
#include "utest.h"

static const struct test_group groups[] = {
	{ "syscall", tests_syscall, false },
	{ "proc", tests_proc, false },
	{ "memory", tests_memory, false },
	{ "vdso", tests_vdso, false },
	{ "pipe", tests_pipe, false },
	{ NULL, NULL, false },
};

int
main(int argc, char *argv[])
{
	static const struct test_program utest = { "utest", groups, NULL };

	return run_tests(&utest, argc, argv);
}
