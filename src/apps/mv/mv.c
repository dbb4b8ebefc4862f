/*
 * mv SRC DST: move (rename) SRC to DST, or to DST/NAME if DST is a
 * directory (NAME: SRC's last component).  There is no rename system
 * call: mv links the new name, then unlinks the old one.  Moving over an
 * existing file unlinks that file first (if the link then fails, the old
 * DST is gone and SRC stays).  Directories cannot be moved (link refuses
 * them), and mv says so.  A symbolic link is moved itself, not what it
 * points to.  Status 1 on any failure, with a message naming the file; 2
 * with the usage line for a bad argument (no options; "--" before a name
 * that starts with '-').
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "canopy.h"

#define USAGE "mv source destination  (destination may be a directory)"

/* Clear the way for a new name dst: 0, or -1 with a message. */
static int
replace(const char *src, const struct stat *s, const char *dst)
{
	struct stat d;

	if (lstat(dst, &d) < 0)
		return 0;       /* nothing there */
	if (d.st_ino == s->st_ino) {
		fprintf(stderr, "mv: %s and %s are the same file\n", src, dst);
		return -1;
	}
	if (S_ISDIR(d.st_mode)) {
		fprintf(stderr, "mv: cannot replace the directory %s\n", dst);
		return -1;
	}
	if (unlink(dst) < 0) {
		fprintf(stderr, "mv: cannot remove %s\n", dst);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	char dst[MAXPATH];
	struct stat s;

	bool on[128] = { 0 };
	int first = get_options(argc, argv, "", on, USAGE);

	if (argc - first != 2)
		usage_exit(USAGE);
	const char *src = argv[first], *dst_arg = argv[first + 1];
	if (lstat(src, &s) < 0) {
		fprintf(stderr, "mv: cannot open %s\n", src);
		return 1;
	}
	if (S_ISDIR(s.st_mode)) {
		fprintf(stderr, "mv: %s is a directory: directories cannot be moved "
			"(there is no rename; link refuses directories)\n", src);
		return 1;
	}
	if (target_path(src, dst_arg, dst) < 0) {
		fprintf(stderr, "mv: %s/%s: path too long\n", dst_arg, last_name(src));
		return 1;
	}
	if (replace(src, &s, dst) < 0)
		return 1;
	if (link(src, dst) < 0) {
		fprintf(stderr, "mv: cannot make %s\n", dst);
		return 1;
	}
	if (unlink(src) < 0) {
		fprintf(stderr, "mv: %s is also %s now, but cannot be removed\n", src, dst);
		return 1;
	}
	return 0;
}
