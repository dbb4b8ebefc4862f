/*
 * ls [path...]: list directories (one line per entry) and name other
 * files.  Each line: name, type (dir, file, dev, link), inode number and
 * size; a symbolic link also shows its target.  Links are not followed
 * for the entries listed, but a path given on the command line is.  If
 * standard output fails (the reader of a pipe has gone), stop at once
 * with status 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "canopy.h"

static int status;

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

/* One line for path, shown as name; links are described, not followed. */
static void
show(const char *path, const char *name)
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
	printf("%-14s %-4s %5u %8lu", name, type_name(st.type), st.ino, (unsigned long)st.size);
	if (st.type == T_SYMLINK) {
		long n = read(fd, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = 0;
		printf(" -> %s", target);
	}
	printf("\n");
	close(fd);
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
	if (argc < 2)
		list(".");
	for (int i = 1; i < argc; i++)
		list(argv[i]);
	return status;
}
