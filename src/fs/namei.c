/*
 * Path names to inodes.  A path is at most MAXPATH bytes (NUL included);
 * it starts at the root if it begins with '/', else at the process's
 * current directory; each element is cut to DIRSIZ bytes.
 *
 * Symbolic links met in the middle of a path are always followed; the
 * last element is followed only when the caller asks.  Following a link
 * replaces it by its target in the rest of the path (a relative target
 * is looked up from the directory holding the link).  More than
 * MAXSYMLINKS links in one lookup -- a loop or a long chain -- fails.
 *
 * Only one inode is locked at a time: a directory is unlocked before the
 * element found in it is locked, so ".." cannot deadlock.
 */
#include "fs/fs.h"
#include "sched/proc.h"
#include "lib/string.h"
#include "lib/errno.h"

/*
 * Copy the next element of *pathp into name (cut to DIRSIZ, NUL-ended)
 * and advance *pathp past it and the slashes after it.  False if there
 * is no element left.
 */
static bool
next_element(const char **pathp, char name[DIRSIZ + 1])
{
	const char *p = *pathp;

	while (*p == '/')
		p++;
	if (*p == 0)
		return false;
	const char *start = p;
	while (*p != '/' && *p != 0)
		p++;
	uint64 len = (uint64)(p - start);
	if (len > DIRSIZ)
		len = DIRSIZ;
	memcpy(name, start, len);
	name[len] = 0;
	while (*p == '/')
		p++;
	*pathp = p;
	return true;
}

/*
 * Read the target of symbolic link ip (locked) and put it in front of
 * rest in buf (MAXPATH bytes).  -1 if the link is empty or the result too long.
 */
static int
expand_link(struct inode *ip, const char *rest, char *buf)
{
	char target[MAXPATH];

	if (ip->size == 0 || ip->size >= MAXPATH)
		return -1;
	if (readi(ip, false, (uint64)target, 0, ip->size) != (int)ip->size)
		return -1;
	target[ip->size] = 0;
	uint64 tlen = strlen(target), rlen = strlen(rest);
	if (tlen == 0 || tlen + 1 + rlen + 1 > MAXPATH)
		return -1;
	/* rest may lie inside buf: move it first */
	if (rlen) {
		memmove(buf + tlen + 1, rest, rlen + 1);
		buf[tlen] = '/';
	} else {
		buf[tlen] = 0;
	}
	memcpy(buf, target, tlen);
	return 0;
}

/*
 * The walk behind namei() and nameiparent().  With parent, stop before the
 * last element, copy it to name and return its directory.  Relative paths
 * start at base, or the current directory if base is NULL.  Returns a
 * referenced, unlocked inode, or NULL with *err a negative errno.  In a
 * transaction (iput).
 */
static struct inode *
namex(struct inode *base, const char *path, bool parent, bool follow, char name[DIRSIZ + 1],
      int *err)
{
	char buf[MAXPATH];
	const char *p = buf;
	struct inode *ip, *next;
	int links = 0;

	*err = -ENOENT;
	if (!fs_mounted() || path[0] == 0)
		return NULL;
	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf)) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if (buf[0] == '/')
		ip = fs_root();
	else if (base || myproc()->cwd)
		ip = idup(base ? base : myproc()->cwd);
	else
		return NULL;
	if (!ip)
		return NULL;

	while (next_element(&p, name)) {
		int locked = ilock(ip);
		if (locked < 0 || ip->type != T_DIR) {
			*err = locked < 0 ? -EIO : -ENOTDIR;
			iunlockput(ip);
			return NULL;
		}
		bool last = *p == 0;
		if (parent && last) {
			iunlock(ip);
			return ip;
		}
		next = dirlookup(ip, name, NULL);
		iunlock(ip);
		if (!next) {
			iput(ip);
			return NULL;
		}
		if (last && !follow) {
			iput(ip);
			ip = next;
			continue;
		}
		if (ilock(next) < 0) {
			iunlockput(next);
			iput(ip);
			return NULL;
		}
		if (next->type != T_SYMLINK) {
			iunlock(next);
			iput(ip);
			ip = next;
			continue;
		}
		/* a symbolic link: continue with its target, from ip or the root */
		int r = ++links > MAXSYMLINKS ? -1 : expand_link(next, p, buf);
		iunlockput(next);
		if (r < 0) {
			*err = links > MAXSYMLINKS ? -ELOOP : -ENOENT;
			iput(ip);
			return NULL;
		}
		p = buf;
		if (buf[0] == '/') {
			iput(ip);
			if (!(ip = fs_root()))
				return NULL;
		}
	}
	if (parent) {           /* the path had no last element ("/") */
		iput(ip);
		return NULL;
	}
	return ip;
}

/* The inode path names, following a symbolic link at the end if follow. */
struct inode *
namei(const char *path, bool follow)
{
	char name[DIRSIZ + 1];
	int err;

	return namex(NULL, path, false, follow, name, &err);
}

/* The directory holding path's last element, whose name goes to name. */
struct inode *
nameiparent(const char *path, char name[DIRSIZ + 1])
{
	int err;

	return namex(NULL, path, true, false, name, &err);
}

/*
 * namei() with a relative path starting at directory base (the current
 * directory if NULL), for the Linux *at calls; on failure *err is a
 * negative errno: -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG or -EIO.
 */
struct inode *
namei_at(struct inode *base, const char *path, bool follow, int *err)
{
	char name[DIRSIZ + 1];

	return namex(base, path, false, follow, name, err);
}

/* nameiparent() starting at base, with the errors of namei_at(). */
struct inode *
nameiparent_at(struct inode *base, const char *path, char name[DIRSIZ + 1], int *err)
{
	return namex(base, path, true, false, name, err);
}
