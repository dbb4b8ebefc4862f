/*
 * Removing what the fuzzed calls made: whole trees of files, folders,
 * links and devices with any names (they are made from whatever bytes a
 * call pointed at), to any depth (folders made relative to the current
 * one nest without limit).  Works with relative names and chdir, so no
 * path grows, and holds one descriptor at a time.
 */
#include <string.h>
#include "fuzz.h"

#define MAX_DEPTH 400

static bool
is_dir(const char *name)
{
	struct canopy_stat st;
	int fd = (int)__sys_open(name, CANOPY_O_RDONLY | CANOPY_O_NOFOLLOW);

	if (fd < 0)
		return false;
	bool dir = __sys_fstat(fd, &st) == 0 && st.type == T_DIR;
	__sys_close(fd);
	return dir;
}

/* The skip+1'th entry of folder dir other than . and ..; false if none. */
static bool
nth_entry(const char *dir, int skip, char name[DIRSIZ + 1])
{
	struct dirent de;
	int fd = (int)__sys_open(dir, CANOPY_O_RDONLY);
	bool found = false;

	if (fd < 0)
		return false;
	while (!found && __sys_read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memcpy(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == 0)
			continue;
		found = skip-- == 0;
	}
	__sys_close(fd);
	return found;
}

static bool remove_tree(const char *name, int depth);

/* Empty the current folder, leaving what cannot be removed. */
static void
empty_here(int depth)
{
	char name[DIRSIZ + 1];
	int skip = 0;

	while (nth_entry(".", skip, name))
		if (!remove_tree(name, depth + 1))
			skip++;
}

static bool
remove_tree(const char *name, int depth)
{
	if (depth < MAX_DEPTH && is_dir(name) && __sys_chdir(name) == 0) {
		empty_here(depth);
		__sys_chdir("..");
	}
	return __sys_unlink(name) == 0;
}

/* Remove name, relative to the current folder, and everything below it; true if gone. */
bool
rm_tree(const char *name)
{
	return remove_tree(name, 0);
}

/* The names in folder dir (not . and ..), at most max; how many. */
int
dir_names(const char *dir, char names[][DIRSIZ + 1], int max)
{
	int n = 0;

	while (n < max && nth_entry(dir, n, names[n]))
		n++;
	return n;
}
