/* poweroff [status]: shut the machine down (QEMU exits with status, 0 by default). */
#include <stdio.h>
#include <stdlib.h>
#include "canopy.h"

#define USAGE "poweroff [status]  (a number, 0 to 255)"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "", on, USAGE);
	char *end = "";
	long status = first < argc ? strtol(argv[first], &end, 10) : 0;

	if (argc - first > 1 || *end != 0 || (first < argc && !*argv[first]) ||
	    status < 0 || status > 255)
		usage_exit(USAGE);
	poweroff((int)status);
}
