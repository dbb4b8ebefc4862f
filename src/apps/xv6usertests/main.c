/*
 * xv6usertests [-q] [name...]: runs every test (those named, if any; -q
 * leaves out the slow ones) through libxv6's runner, each in a child of
 * its own, in a scratch directory under /tmp, and prints "PASS name" or
 * "FAIL name" for each, then "xv6usertests: N passed, M failed" (the
 * lines tests/harness.py reads).  Last, the free memory must be what it
 * was at the start: stock usertests' countfree() check, through eager
 * sbrk.
 */
#include "xv6ut.h"

/* Run fn in a child; its exit status (-1 if the kernel killed it). */
int
status_of(void (*fn)(void))
{
	int pid = fork(), status = -2;

	if (pid < 0)
		FAIL("fork failed");
	if (pid == 0) {
		fn();
		exit(0);
	}
	if (wait(&status) != pid)
		FAIL("wait did not return the child");
	return status;
}

/* Did fn, run in a child, get killed (status -1)? */
int
killed(void (*fn)(void))
{
	return status_of(fn) == -1;
}

/* Did fn(arg), run in a child, get killed? */
int
killed_at(void (*fn)(uint64), uint64 arg)
{
	int pid = fork(), status = -2;

	if (pid < 0)
		FAIL("fork failed");
	if (pid == 0) {
		fn(arg);
		exit(0);
	}
	wait(&status);
	return status == -1;
}

void
make_file(char *path, char *data, int n)
{
	int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);

	CHECK(fd >= 0, "cannot create %s", path);
	CHECK(write(fd, data, n) == n, "cannot write %s", path);
	close(fd);
}

int
file_size(char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	return (int)st.size;
}

/* A scratch directory for the file tests, so that / stays as it was. */
static void
enter_scratch(void)
{
	mkdir("/tmp/xv6ut");
	if (chdir("/tmp/xv6ut") < 0) {
		printf("xv6usertests: cannot enter /tmp/xv6ut\n");
		exit(1);
	}
}

int
main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "--args") == 0)
		exec_args_child(argc, argv);
	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		xv6t_skip_slow();
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	xv6t_select(argc, argv);
	enter_scratch();
	int free0 = xv6t_countfree();
	xv6t_run_tests(proc_tests);
	xv6t_run_tests(file_tests);
	xv6t_run_tests(mem_tests);
	xv6t_run_tests(addr_tests);
	xv6t_no_pages_lost("no_pages_lost", free0);
	chdir("/");
	unlink("/tmp/xv6ut");
	xv6t_exit("xv6usertests");
}
