/*
 * cp SRC DST: copy the file SRC to DST, or to DST/NAME if DST is a
 * directory (NAME: SRC's last component).  The copy is created if missing
 * and replaced if not.  Directories are not copied.  Status 1 on any
 * failure, with a message naming the file; 2 with the usage line for a bad
 * argument (no options; "--" before a name that starts with '-').
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "canopy.h"

#define USAGE "cp source destination  (destination may be a directory)"

static char buf[4096];

/* Copy from to to; 0, or 1 with a message. */
static int
copy(int from, const char *src, int to, const char *dst)
{
	long n;

	while ((n = read(from, buf, sizeof(buf))) > 0) {
		if (write(to, buf, n) != n) {
			fprintf(stderr, "cp: %s: write error (is the disk full?)\n", dst);
			return 1;
		}
	}
	if (n < 0) {
		fprintf(stderr, "cp: %s: read error\n", src);
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	char dst[MAXPATH];
	struct stat s, d;

	bool on[128] = { 0 };
	int first = get_options(argc, argv, "", on, USAGE);

	if (argc - first != 2)
		usage_exit(USAGE);
	const char *src = argv[first], *dst_arg = argv[first + 1];
	int from = open(src, O_RDONLY);
	if (from < 0 || fstat(from, &s) < 0) {
		fprintf(stderr, "cp: cannot open %s\n", src);
		return 1;
	}
	if (S_ISDIR(s.st_mode)) {
		fprintf(stderr, "cp: %s is a directory: directories are not copied\n", src);
		return 1;
	}
	if (target_path(src, dst_arg, dst) < 0) {
		fprintf(stderr, "cp: %s/%s: path too long\n", dst_arg, last_name(src));
		return 1;
	}
	if (stat(dst, &d) == 0 && d.st_ino == s.st_ino) {
		fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
		return 1;
	}
	int to = open(dst, O_WRONLY | O_CREAT | O_TRUNC);
	if (to < 0) {
		fprintf(stderr, "cp: cannot create %s\n", dst);
		return 1;
	}
	int status = copy(from, src, to, dst);
	close(from);
	close(to);
	return status;
}
