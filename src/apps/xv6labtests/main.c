/*
 * xv6labtests [name...]: runs every test but the big file (or those
 * named on the command line) through libxv6's runner, each in a child
 * of its own, in a scratch directory, and prints "PASS name" or "FAIL
 * name" for each, then "xv6labtests: N passed, M failed".  `xv6labtests bigfile` runs only
 * the 64 MiB file, under its own summary name (xv6labtests-bigfile), so
 * that a boot may run both.
 */
#include "labtests.h"

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
		xv6t_run("bigfile", big_file);
	} else {
		xv6t_select(argc, argv);
		xv6t_run_tests(syscall_tests);
		xv6t_run_tests(trap_tests);
		xv6t_run_tests(pgtbl_tests);
		xv6t_run_tests(cow_tests);
		xv6t_run_tests(fs_tests);
		xv6t_run_tests(mmap_tests);
	}
	chdir("/");
	unlink(dir);
	xv6t_exit(summary);
}
