/*
 * rm [-rf] path...: remove each name; an empty directory too, as unlink
 * allows it.  -r removes a directory with everything in it (a symbolic
 * link is removed, not followed).  -f says nothing of names that do not
 * exist and lets rm run without any.  Status 1 if something could not be
 * removed; "." and ".." are refused, as elsewhere.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "canopy.h"

#define USAGE "rm [-rf] path...  (-r: directories and all in them, -f: no error if missing)"

static bool recursive, force;
static char path[MAXPATH];      /* the name being removed; -r extends it in place */

static int remove_path(void);

/*
 * Remove everything in the directory path.  The directory is closed
 * while each entry goes, so the depth of the tree is not limited by the
 * open files a process may have: it is reopened at the next entry.
 */
static int
remove_entries(void)
{
	size_t len = strlen(path);
	off_t next = 0;
	int status = 0;

	for (;;) {
		struct dirent de;
		int fd = open(path, O_RDONLY);
		long got = fd < 0 || lseek(fd, next, SEEK_SET) < 0 ? -1 : read(fd, &de, sizeof(de));
		if (fd >= 0)
			close(fd);
		if (got != sizeof(de))
			return got == 0 ? status : 1;
		next += sizeof(de);
		if (de.inum == 0 || strncmp(de.name, ".", DIRSIZ) == 0 ||
		    strncmp(de.name, "..", DIRSIZ) == 0)
			continue;
		if (snprintf(path + len, sizeof(path) - len, "/%.*s", DIRSIZ, de.name) >=
		    (int)(sizeof(path) - len)) {
			path[len] = 0;
			fprintf(stderr, "rm: %s/%.*s: path too long\n", path, DIRSIZ, de.name);
			status = 1;
			continue;
		}
		status |= remove_path();
		path[len] = 0;
	}
}

/*
 * Remove path (with what is in it, under -r); 0, or 1 with a message.
 * unlink comes first, alone: it takes files and empty directories, and
 * also an entry that cannot be opened (a damaged one) for lstat to see.
 */
static int
remove_path(void)
{
	struct stat st;

	if (unlink(path) == 0)
		return 0;
	bool exists = lstat(path, &st) == 0;
	if (!exists && force)
		return 0;
	if (exists && recursive && S_ISDIR(st.st_mode) && remove_entries() == 0 &&
	    unlink(path) == 0)
		return 0;
	fprintf(stderr, "rm: cannot remove %s\n", path);
	return 1;
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int status = 0;
	int first = get_options(argc, argv, "rf", on, USAGE);

	recursive = on['r'];
	force = on['f'];
	if (first == argc && !force)
		usage_exit(USAGE);
	for (int i = first; i < argc; i++) {
		const char *name = last_name(argv[i]);
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			fprintf(stderr, "rm: %s: . and .. cannot be removed\n", argv[i]);
			status = 1;
		} else if (snprintf(path, sizeof(path), "%s", argv[i]) >= (int)sizeof(path)) {
			fprintf(stderr, "rm: %s: path too long\n", argv[i]);
			status = 1;
		} else {
			status |= remove_path();
		}
	}
	return status;
}
