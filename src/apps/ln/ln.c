/*
 * ln old new: make new another name for the file old (a hard link).
 * ln -s target new: make new a symbolic link to target.
 * Status 1 if the link cannot be made, 2 with the usage line for a bad
 * argument.
 */
#include <stdio.h>
#include <unistd.h>
#include "canopy.h"

#define USAGE "ln [-s] old new  (-s: a symbolic link)"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "s", on, USAGE);

	if (argc - first != 2)
		usage_exit(USAGE);
	const char *old = argv[first], *new = argv[first + 1];
	if (on['s'] && symlink(old, new) < 0) {
		fprintf(stderr, "ln: cannot make the link %s -> %s\n", new, old);
		return 1;
	}
	if (!on['s'] && link(old, new) < 0) {
		fprintf(stderr, "ln: cannot link %s to %s\n", new, old);
		return 1;
	}
	return 0;
}
