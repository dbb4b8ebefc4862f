/*
 * touch file...: create each file that does not exist, empty.  Files have
 * no timestamps in Canopy, so an existing file (or directory) is left as
 * it is.  Status 1 if any file could not be created; 2 with the usage line
 * if no file was named or an option given (there are none: "--" comes
 * before a name that starts with '-').
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "canopy.h"

#define USAGE "touch file...  (creates missing files; no options)"

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "", on, USAGE);

	if (first == argc)
		usage_exit(USAGE);
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (*argv[i] && stat(argv[i], &st) == 0)    /* "" would find the current directory */
			continue;
		int fd = open(argv[i], O_WRONLY | O_CREAT);
		if (fd < 0) {
			fprintf(stderr, "touch: cannot create %s\n", argv[i]);
			status = 1;
			continue;
		}
		close(fd);
	}
	return status;
}
