/*
 * Directories: files of struct dirent.  Names are compared and stored cut
 * to DIRSIZ bytes, as on xv6, so "a-very-long-file-name" and
 * "a-very-long-fi" are the same name.  An entry naming an inode number
 * outside the table is reported and skipped.
 *
 * A removed directory (no links left; it lives on while it is someone's
 * current directory or open) is dead, as on Linux: it holds nothing, not
 * even "..", so lookups in it find only "." (itself), and nothing can be
 * added to it.  Otherwise an entry made there would name an inode no path
 * reaches, and a subdirectory's ".." would give the dead directory a link
 * back and keep it for ever.
 */
#include "fs/fs.h"
#include "fs/procfs.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "lib/errno.h"
#include "fs/log.h"
#include "sched/proc.h"

int
namecmp(const char *a, const char *b)
{
	return strncmp(a, b, DIRSIZ);
}

/*
 * Look name up in directory dp (locked).  Returns the inode, referenced
 * and unlocked, and its entry's offset in *offp (if offp); NULL if absent.
 * Asks the name cache first, else reads the directory a block at a time.
 */
struct inode *
dirlookup(struct inode *dp, const char *name, uint32 *offp)
{
	struct dirent des[BSIZE / sizeof(struct dirent)];
	uint32 inum, off;

	if (dp->type != T_DIR)
		panic("dirlookup: not a directory");
	if (procfs_inode(dp) || procfs_covers(dp, name))
		return procfs_lookup(dp, name, offp);   /* /proc: fs/procfs.c */
	if (dp->nlink < 1) {    /* removed: see the top of the file */
		if (namecmp(name, ".") != 0)
			return NULL;
		if (offp)
			*offp = 0;
		return idup(dp);
	}
	uint64 gen = namecache_generation();
	if (namecache_find(dp, name, &inum, &off)) {
		if (offp)
			*offp = off;
		return iget(dp->dev, inum);
	}
	for (uint32 base = 0; base < dp->size; base += BSIZE) {
		int n = readi(dp, false, (uint64)des, base, BSIZE);
		if (n < 0)
			return NULL;
		for (int i = 0; i < n / (int)sizeof(des[0]); i++) {
			struct dirent *de = &des[i];
			/* the first byte alone settles most entries: a call less each */
			if (de->inum == 0 || de->name[0] != name[0] || namecmp(name, de->name) != 0)
				continue;
			if (de->inum >= fs_super()->ninodes) {
				char shown[DIRSIZ + 1];
				memcpy(shown, de->name, DIRSIZ);
				shown[DIRSIZ] = 0;
				kprintf("fs: directory %u: entry '%s' names inode %u, out of "
					"range: skipped\n", dp->inum, shown, de->inum);
				continue;
			}
			off = base + i * sizeof(des[0]);
			namecache_add(dp, name, de->inum, off, gen);
			if (offp)
				*offp = off;
			return iget(dp->dev, de->inum);
		}
	}
	return NULL;
}

/*
 * Add the entry (name, inum) to directory dp (locked), reusing a free slot
 * or growing the directory.  -1 if dp was removed, the name is there
 * already or the disk is full.  In a transaction.
 */
int
dirlink(struct inode *dp, const char *name, uint32 inum)
{
	struct dirent de;
	struct inode *ip;
	uint32 off;

	if (dp->nlink < 1 || procfs_inode(dp))
		return -1;
	if ((ip = dirlookup(dp, name, NULL))) {
		iput(ip);
		return -1;
	}
	for (off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, false, (uint64)&de, off, sizeof(de)) != sizeof(de))
			return -1;
		if (de.inum == 0)
			break;
	}
	memset(&de, 0, sizeof(de));
	strncpy(de.name, name, DIRSIZ);
	de.inum = (uint16)inum;
	if (writei(dp, false, (uint64)&de, off, sizeof(de)) != sizeof(de))
		return -1;
	return 0;
}

/* Does directory dp (locked) hold nothing but "." and ".."? */
bool
dir_is_empty(struct inode *dp)
{
	struct dirent de;

	if (procfs_inode(dp))
		return false;  /* never removable */
	for (uint32 off = 2 * sizeof(de); off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, false, (uint64)&de, off, sizeof(de)) != sizeof(de))
			return false;
		if (de.inum != 0)
			return false;
	}
	return true;
}

/*
 * The name of inode ip in directory dp (locked), into name; -ENOENT if
 * no entry names it.
 */
static int
dir_name_of(struct inode *dp, struct inode *ip, char name[DIRSIZ + 1])
{
	struct dirent de;
	uint32 inum = ip->inum;

	if (procfs_inode(dp) || procfs_inode(ip))
		return procfs_name_of(dp, ip, name);
	for (uint32 off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, false, (uint64)&de, off, sizeof(de)) != sizeof(de))
			return -EIO;
		if (de.inum == inum && namecmp(de.name, ".") != 0 && namecmp(de.name, "..") != 0) {
			memcpy(name, de.name, DIRSIZ);
			name[DIRSIZ] = 0;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * The absolute path of the current directory into buf (size bytes):
 * its length, or -ENOENT (removed, or no file system), -ERANGE, -EIO.
 * Climbs "..", finding each directory's name in its parent.
 */
long
fs_cwd_path(char *buf, uint64 size)
{
	struct inode *cur = myproc()->cwd;
	char name[DIRSIZ + 1];
	uint64 at = size - 1;
	long err = 0;

	if (!cur || size < 2)
		return cur ? -ERANGE : -ENOENT;
	buf[at] = 0;
	begin_op();
	cur = idup(cur);
	while (err == 0) {
		if (ilock(cur) < 0) {
			err = -EIO;
			iunlock(cur);
			break;
		}
		if (cur->inum == ROOTINO) {
			iunlock(cur);
			break;
		}
		struct inode *parent = cur->nlink < 1 ? NULL : dirlookup(cur, "..", NULL);
		iunlock(cur);
		if (!parent) {
			err = -ENOENT;
			break;
		}
		if (ilock(parent) < 0)
			err = -EIO;
		else
			err = dir_name_of(parent, cur, name);
		iunlock(parent);
		uint64 len = strlen(name);
		if (err == 0 && at < len + 1)
			err = -ERANGE;
		if (err == 0) {
			at -= len;
			memcpy(buf + at, name, len);
			buf[--at] = '/';
		}
		iput(cur);
		cur = parent;
	}
	iput(cur);
	end_op();
	if (err < 0)
		return err;
	if (at == size - 1)
		buf[--at] = '/';
	memmove(buf, buf + at, size - at);
	return (long)(size - 1 - at);
}
