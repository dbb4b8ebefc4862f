/*
 * sleep SECONDS: wait that long (a decimal fraction is allowed, e.g. 0.25).
 * Status 2 with the usage line for a bad argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include "canopy.h"

#define USAGE "sleep seconds"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "", on, USAGE);
	char *end;

	if (argc - first != 1)
		usage_exit(USAGE);
	const char *arg = argv[first];
	double s = strtod(arg, &end);
	if (*arg == 0 || *end != 0 || s < 0 || s > 1e6) {
		fprintf(stderr, "sleep: %s: not a number of seconds\n", arg);
		usage_exit(USAGE);
	}
	return sleep_ticks((int)(s * vdso()->tick_hz + 0.5)) < 0;
}
