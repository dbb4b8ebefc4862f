/*
 * xv6usertests [-q] [name...]: the runner.  Runs every test (those named,
 * if any; -q leaves out the slow ones) in a child of its own, in a
 * scratch directory under /tmp, and prints "PASS name" or "FAIL name" for each, then
 * "xv6usertests: N passed, M failed" (the lines tests/harness.py reads).
 * Last, the free memory must be what it was at the start: stock
 * usertests' countfree() check, through eager sbrk.
 */
#include "xv6ut.h"

static int passed, failed;

static void
report(char *name, int ok)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	if (ok)
		passed++;
	else
		failed++;
}

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

uint64
freemem(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		FAIL("sysinfo failed");
	return si.freemem;
}

/*
 * Stock usertests' countfree(): a child takes pages with eager sbrk, one
 * at a time and each written, until sbrk fails, and reports them through
 * a pipe.  The count; the memory comes back when the child exits.
 */
int
count_free_pages(void)
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

static int quick;

static int
wanted(int argc, char *argv[], char *name)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

static void
run_tests(struct test *t, int argc, char *argv[])
{
	for (; t->name; t++) {
		if (!wanted(argc, argv, t->name) || (quick && t->slow))
			continue;
		int pid = fork(), status = -2;
		if (pid == 0) {
			t->fn();
			exit(0);
		}
		if (pid < 0)
			printf("  fork failed\n");
		else
			wait(&status);
		if (status != 0 && pid > 0)
			printf("  exit status %d\n", status);
		report(t->name, status == 0);
	}
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
		quick = 1;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	enter_scratch();
	int free0 = count_free_pages();
	run_tests(proc_tests, argc, argv);
	run_tests(file_tests, argc, argv);
	run_tests(mem_tests, argc, argv);
	run_tests(addr_tests, argc, argv);
	if (wanted(argc, argv, "no_pages_lost")) {
		int free1 = count_free_pages();
		if (free1 < free0)
			printf("  %d pages free before the tests, %d after\n", free0, free1);
		report("no_pages_lost", free1 >= free0 && free0 > 1000);
	}
	chdir("/");
	unlink("/tmp/xv6ut");
	printf("xv6usertests: %d passed, %d failed\n", passed, failed);
	exit(failed ? 1 : 0);
}
