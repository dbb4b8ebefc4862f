/*
 * uptime: how long since the kernel booted, from the vDSO clock (no
 * system call), and how many processes exist: "up 12.34 s, 3 processes".
 */
#include <stdio.h>
#include "canopy.h"

#define USAGE "uptime  (no arguments)"

int
main(int argc, char *argv[])
{
	struct sysinfo si;
	bool on[128] = { 0 };

	if (get_options(argc, argv, "", on, USAGE) != argc)
		usage_exit(USAGE);
	uint64_t cs = uptime_ns() / 10000000;   /* hundredths of a second */
	if (sysinfo(&si) < 0) {
		fprintf(stderr, "uptime: sysinfo failed\n");
		return 1;
	}
	printf("up %lu.%02lu s, %lu process%s\n", (unsigned long)(cs / 100),
	       (unsigned long)(cs % 100), (unsigned long)si.nproc, si.nproc == 1 ? "" : "es");
	return stdout_ok("uptime") ? 0 : 1;
}
