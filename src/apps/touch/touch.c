/*
 * touch file...: create each file that does not exist, empty.  Files have
 * no timestamps in Canopy, so an existing file (or directory) is left as
 * it is.  Status 1 if any file could not be created, or no file was named.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

static void
usage(void)
{
	fprintf(stderr, "usage: touch file...  (creates missing files; no options)\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		usage();
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' || argv[i][0] == 0)
			usage();   /* no options; and not an empty name */
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0)
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
