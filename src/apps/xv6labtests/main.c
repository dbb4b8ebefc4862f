/*
 * xv6labtests: the runner.  Runs every test but the big file (or those
 * named on the command line) in a child of its own, in a scratch
 * directory, and prints "PASS name" or "FAIL name" for each, then
 * "xv6labtests: N passed, M failed".  `xv6labtests bigfile` runs only
 * the 64 MiB file, under its own summary name (xv6labtests-bigfile), so
 * that a boot may run both.
 */
#include "labtests.h"

static int passed, failed;

uint64
freemem(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		FAIL("sysinfo failed");
	return si.freemem;
}

/* Does this kernel fork copy-on-write?  (Canopy's design bits, in its vDSO.) */
int
has_cow(void)
{
	return (((volatile struct vdso_data *)VDSO_DATA)->design & DESIGN_COW) != 0;
}

int
wait_status(int pid)
{
	int status = -2;

	if (wait(&status) != pid)
		FAIL("wait did not return child %d", pid);
	return status;
}

/*
 * Write the stack pages a test may use while memory is short: a child
 * shares them copy-on-write with the runner until it writes them.
 */
void
warm_stack(void)
{
	volatile char pad[12 * 1024];

	for (int i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

static void
report(char *name, int ok)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	if (ok)
		passed++;
	else
		failed++;
}

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
run(char *name, void (*fn)(void))
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
	report(name, status == 0);
}

static void
run_tests(struct test *t, int argc, char *argv[])
{
	for (; t->name; t++)
		if (wanted(argc, argv, t->name))
			run(t->name, t->fn);
}

int
main(int argc, char *argv[])
{
	char *dir = "/tmp/xv6lt";
	char *summary = "xv6labtests";

	mkdir(dir);
	if (chdir(dir) < 0) {
		printf("xv6labtests: cannot enter %s\n", dir);
		exit(1);
	}
	if (argc == 2 && strcmp(argv[1], "bigfile") == 0) {
		summary = "xv6labtests-bigfile";
		run("bigfile", big_file);
	} else {
		run_tests(syscall_tests, argc, argv);
		run_tests(trap_tests, argc, argv);
		run_tests(pgtbl_tests, argc, argv);
		run_tests(cow_tests, argc, argv);
		run_tests(fs_tests, argc, argv);
		run_tests(mmap_tests, argc, argv);
	}
	chdir("/");
	unlink(dir);
	printf("%s: %d passed, %d failed\n", summary, passed, failed);
	exit(failed ? 1 : 0);
}
