/*
 * utest [name...]: run the core tests (all, or those whose names contain
 * one of the arguments).  Prints "PASS name" or "FAIL name" per test and
 * "utest: N passed, M failed" at the end; exits 1 if any failed.
 *
 * utest --spin N: spin for N ticks, exit 0 (an exec'd child in t_labs.c).
 *
 * utest --console-keep: read a console line into a bad buffer (which must
 * fail and leave the line unread), then into a good one, and print
 * "console kept: LINE" (tests/suite_core.py types the line).
 *
 * utest --line N: print a shell line of N characters, `echo` and words
 * L000xxx..., for tests/suite_core.py to pipe into sh (longer than the
 * kernel command line can hold).
 */
#include "utest.h"

static const struct test_group groups[] = {
	{ "syscall", tests_syscall, false },
	{ "proc", tests_proc, false },
	{ "memory", tests_memory, false },
	{ "vdso", tests_vdso, false },
	{ "pipe", tests_pipe, false },
	{ "labs", tests_labs, false },
	{ "procinfo", tests_procinfo, false },
	{ NULL, NULL, false },
};

static int
console_keep(void)
{
	char line[80];

	if (read(0, (char *)0x1000, sizeof(line)) != -1) {
		printf("console: a read into an unmapped buffer did not fail\n");
		return 1;
	}
	long n = read(0, line, sizeof(line) - 1);
	if (n < 0)
		return 1;
	line[n] = 0;
	printf("console kept: %s", line);
	return 0;
}

/* "echo L000xx...x L001xx...x ...": words of 99 characters, n in all. */
static int
print_line(long n)
{
	static const char head[] = "echo";
	const long start = sizeof(head) - 1;

	if (n < start)
		return 1;
	fputs(head, stdout);
	for (long i = start; i < n; i++) {
		long at = (i - start) % 100, word = (i - start) / 100;
		static const long tens[] = { 100, 10, 1 };
		putchar(at == 0 ? ' ' : at == 1 ? 'L' : at <= 4 ? '0' + word / tens[at - 2] % 10 : 'x');
	}
	putchar('\n');
	return stdout_ok("utest") ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	static const struct test_program utest = { "utest", groups, NULL };

	if (argc == 2 && strcmp(argv[1], "--console-keep") == 0)
		return console_keep();
	if (argc == 3 && strcmp(argv[1], "--line") == 0)
		return print_line(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "--spin") == 0) {
		long end = uptime() + atoi(argv[2]);
		while (uptime() < end)
			;
		return 0;
	}
	return run_tests(&utest, argc, argv);
}
