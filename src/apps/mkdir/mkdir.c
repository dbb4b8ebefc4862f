/* mkdir dir...: make each directory; status 1 if any could not be made. */
#include <stdio.h>
#include <sys/stat.h>

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mkdir dir...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (mkdir(argv[i], 0777) < 0) {
			fprintf(stderr, "mkdir: cannot make %s\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
