/* echo: print the arguments, separated by spaces, then a newline.  Status 1 if the output fails. */
#include <stdio.h>
#include "canopy.h"

int
main(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
	return stdout_ok("echo") ? 0 : 1;
}
