/*
 * echo [-n] [word...]: print the words, separated by spaces, then a
 * newline (none with -n).  "--" ends the options, so `echo -- -x` prints
 * -x.  Status 1 if the output fails.
 */
#include <stdio.h>
#include "canopy.h"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "n", on, "echo [-n] [word...]");

	for (int i = first; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	if (!on['n'])
		printf("\n");
	return stdout_ok("echo") ? 0 : 1;
}
