/*
 * mkdir [-p] dir...: make each directory; status 1 if any could not be
 * made.  -p makes the missing directories along each path too, and a
 * directory that already exists is no error.
 */
#include <stdio.h>
#include <sys/stat.h>
#include "canopy.h"

#define USAGE "mkdir [-p] dir...  (-p: parents too, no error if it exists)"

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Make every directory along path (cut at each '/' in turn); 0, or -1. */
static int
make_parents(char *path)
{
	for (char *s = path + 1;; s++) {    /* from path + 1: "/" itself is there */
		if (*s != '/' && *s != 0)
			continue;
		char c = *s;
		*s = 0;
		int ok = mkdir(path, 0777) == 0 || is_dir(path);
		*s = c;
		if (!ok || c == 0)
			return ok ? 0 : -1;
	}
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "p", on, USAGE);

	if (first == argc)
		usage_exit(USAGE);
	for (int i = first; i < argc; i++) {
		int r = *argv[i] == 0 ? -1 : on['p'] ? make_parents(argv[i]) : mkdir(argv[i], 0777);
		if (r < 0) {
			fprintf(stderr, "mkdir: cannot make %s\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
