/*
 * ls [-l] [path...]: list each directory's entries (of "." if no path),
 * one name a line, and name each other file.  With -l each line is the
 * type (dir, file, dev, link, pipe), the link count, the size in bytes,
 * the inode number, then the name; a symbolic link also shows its target.
 * Links are not followed for the entries listed, but a path given on the
 * command line is.  Status 1 if a path cannot be listed, 2 with the usage
 * line for a bad option.  If standard output fails (the reader of a pipe
 * has gone), stop at once with status 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

static int status;
static bool long_form;

static const char *
type_name(int type)
{
	switch (type) {
	case T_DIR: return "dir";
	case T_FILE: return "file";
	case T_DEVICE: return "dev";
	case T_SYMLINK: return "link";
	case T_PIPE: return "pipe";
	}
	return "?";
}

/* The -l line for path, shown as name; links are described, not followed. */
static void
show_long(const char *path, const char *name)
{
	struct canopy_stat st;
	char target[MAXPATH];
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0 || fstat_canopy(fd, &st) < 0) {
		fprintf(stderr, "ls: cannot stat %s\n", path);
		status = 1;
		if (fd >= 0)
			close(fd);
		return;
	}
	printf("%-4s %3d %8lu %5u %s", type_name(st.type), st.nlink, (unsigned long)st.size,
	       st.ino, name);
	if (st.type == T_SYMLINK) {
		long n = read(fd, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = 0;
		printf(" -> %s", target);
	}
	printf("\n");
	close(fd);
}

static void
show(const char *path, const char *name)
{
	if (long_form)
		show_long(path, name);
	else
		printf("%s\n", name);
	if (!stdout_ok("ls"))
		exit(1);
}

static void
list(const char *path)
{
	struct canopy_stat st;
	struct dirent de;
	char child[MAXPATH];
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat_canopy(fd, &st) < 0) {
		fprintf(stderr, "ls: cannot open %s\n", path);
		status = 1;
		if (fd >= 0)
			close(fd);
		return;
	}
	if (st.type != T_DIR) {
		close(fd);
		show(path, path);
		return;
	}
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		char name[DIRSIZ + 1];
		if (de.inum == 0)
			continue;
		memcpy(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		const char *sep = path[strlen(path) - 1] == '/' ? "" : "/";
		if (snprintf(child, sizeof(child), "%s%s%s", path, sep, name) >= (int)sizeof(child)) {
			fprintf(stderr, "ls: %s/%s: path too long\n", path, name);
			status = 1;
			continue;
		}
		show(child, name);
	}
	close(fd);
}

int
main(int argc, char *argv[])
{
	bool on[128] = { 0 };
	int first = get_options(argc, argv, "l", on, "ls [-l] [path...]");

	long_form = on['l'];
	if (first == argc)
		list(".");
	for (int i = first; i < argc; i++)
		list(argv[i]);
	return status;
}
