/*
 * ln old new: make new another name for the file old (a hard link).
 * ln -s target new: make new a symbolic link to target.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	if (argc == 4 && strcmp(argv[1], "-s") == 0) {
		if (symlink(argv[2], argv[3]) < 0) {
			fprintf(stderr, "ln: cannot make the link %s -> %s\n", argv[3], argv[2]);
			return 1;
		}
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: ln old new | ln -s target new\n");
		return 1;
	}
	if (link(argv[1], argv[2]) < 0) {
		fprintf(stderr, "ln: cannot link %s to %s\n", argv[2], argv[1]);
		return 1;
	}
	return 0;
}
