/*
 * cp SRC DST: copy the file SRC to DST, or to DST/NAME if DST is a
 * directory (NAME: SRC's last component).  The copy is created if missing
 * and replaced if not.  Directories are not copied.  Status 1 on a bad
 * argument or any failure, with a message naming the file.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "canopy.h"

static char buf[4096];

/* An argument that can be a path: not empty, not an option. */
static bool
is_path(const char *s)
{
	return s[0] != 0 && s[0] != '-';
}

/* The last component of path ("c" for "a/b/c"). */
static const char *
last_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Where to copy src for the argument dst: dst itself, or dst/NAME if dst
 * is a directory.  In out (MAXPATH bytes); -1 if that path is too long.
 */
static int
target_path(const char *src, const char *dst, char *out)
{
	struct stat st;

	if (stat(dst, &st) < 0 || !S_ISDIR(st.st_mode))
		return snprintf(out, MAXPATH, "%s", dst) < MAXPATH ? 0 : -1;
	const char *sep = dst[strlen(dst) - 1] == '/' ? "" : "/";
	return snprintf(out, MAXPATH, "%s%s%s", dst, sep, last_name(src)) < MAXPATH ? 0 : -1;
}

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

	if (argc != 3 || !is_path(argv[1]) || !is_path(argv[2])) {
		fprintf(stderr, "usage: cp source destination  (destination may be a directory)\n");
		return 1;
	}
	const char *src = argv[1];
	int from = open(src, O_RDONLY);
	if (from < 0 || fstat(from, &s) < 0) {
		fprintf(stderr, "cp: cannot open %s\n", src);
		return 1;
	}
	if (S_ISDIR(s.st_mode)) {
		fprintf(stderr, "cp: %s is a directory: directories are not copied\n", src);
		return 1;
	}
	if (target_path(src, argv[2], dst) < 0) {
		fprintf(stderr, "cp: %s/%s: path too long\n", argv[2], last_name(src));
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
