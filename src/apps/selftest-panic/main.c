/*
 * selftest-panic: ask the kernel to make a wild access and panic, to test
 * the panic report.  The kernel refuses unless it was booted with
 * allow_panic_test on its command line.
 */
#include <stdio.h>
#include "canopy.h"

int
main(void)
{
	selftest(SELFTEST_PANIC, 0);
	printf("selftest-panic: refused (boot with allow_panic_test)\n");
	return 1;
}
