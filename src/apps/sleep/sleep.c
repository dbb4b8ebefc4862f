/* sleep SECONDS: wait that long (a decimal fraction is allowed, e.g. 0.25). */
#include <stdio.h>
#include <stdlib.h>
#include "canopy.h"

int
main(int argc, char *argv[])
{
	char *end;

	if (argc != 2) {
		fprintf(stderr, "usage: sleep seconds\n");
		return 1;
	}
	double s = strtod(argv[1], &end);
	if (*argv[1] == 0 || *end != 0 || s < 0 || s > 1e6) {
		fprintf(stderr, "sleep: %s: not a number of seconds\n", argv[1]);
		return 1;
	}
	return sleep_ticks((int)(s * vdso()->tick_hz + 0.5)) < 0;
}
