/*
 * pwd: print the path of the current directory, as getcwd() finds it by
 * walking up to the root (symbolic links followed on the way in are not
 * in it).  Status 1 if it cannot be found: the directory was removed.
 */
#include <stdio.h>
#include <unistd.h>
#include "canopy.h"

#define USAGE "pwd  (no arguments)"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	char path[MAXPATH];

	if (get_options(argc, argv, "", on, USAGE) != argc)
		usage_exit(USAGE);
	if (!getcwd(path, sizeof(path))) {
		fprintf(stderr, "pwd: cannot find the current directory's path "
			"(removed, or too deep)\n");
		return 1;
	}
	printf("%s\n", path);
	return stdout_ok("pwd") ? 0 : 1;
}
